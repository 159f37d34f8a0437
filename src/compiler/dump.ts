// Text dumps for `-d`: the syntax tree (`ast`), the compiled script's maps and event tables (`ir`),
// and each program's instructions in the verifier's notation (`asm`).
import { disassemble } from '../asm/index.js';
import { typeName } from '../abi/index.js';
import { type Program, printExpr, printStatement } from '../lang/index.js';
import type { CompiledScript } from './compiled-script.js';

export type DumpKind = 'ast' | 'ir' | 'asm';

export function dumpScript(kind: DumpKind, program: Program, script: CompiledScript | undefined): string {
  switch (kind) {
    case 'ast':
      return program.probes.map((probe) => {
        const head = probe.attachPoints.map((p) => p.raw).join(', ');
        const predicate = probe.predicate === null ? '' : ` /${printExpr(probe.predicate)}/`;
        return `${head}${predicate}\n${printStatement(probe.body)}`;
      }).join('\n');
    case 'ir':
      return script === undefined ? '' : dumpTables(script);
    case 'asm':
      return script === undefined ? '' : script.programs.map((p) =>
        `; ${p.name}: ${p.targets.map((t) => t.name).join(', ')}${p.hook === undefined ? '' : ` (through ${p.hook.name})`}\n` +
        disassemble(p.instructions)).join('\n\n');
  }
}

function dumpTables(script: CompiledScript): string {
  const lines: string[] = [];
  script.maps.forEach((map, i) => {
    const key = map.keyType === null ? '-' : typeName(map.keyType);
    const value = map.value === null ? '-' : map.value.kind === 'scalar' ? typeName(map.value.type) : map.value.kind;
    lines.push(`map ${i} ${map.name} (${map.bpfName}) type ${map.type} key ${key} [${map.keySize}] value ${value} [${map.valueSize}] max ${map.maxEntries}`);
  });
  script.printfs.forEach((spec, i) => lines.push(`printf ${i} ${JSON.stringify(spec.format)} (${spec.args.map(typeName).join(', ')})`));
  script.commands.forEach((spec, i) => lines.push(`command ${i} ${JSON.stringify(spec.format)} (${spec.args.map(typeName).join(', ')})`));
  script.timeFormats.forEach((format, i) => lines.push(`time ${i} ${JSON.stringify(format)}`));
  script.printedValues.forEach((type, i) => lines.push(`print ${i} ${typeName(type)}`));
  script.joins.forEach((join, i) => lines.push(`join ${i} ${JSON.stringify(join.delimiter)}`));
  return lines.join('\n');
}
