// The kernel functions kprobes can name, from /proc/kallsyms: its text symbols, without the
// compiler's padding labels (`__pfx_*`, the alignment in front of each function) and cold
// sections (`*.cold`), which are not function entries. Each name once, in kallsyms order.
// (bpftrace reads available_filter_functions instead; this kernel refuses that file even to root.)

export interface KernelFunction {
  readonly name: string;
  /** The loadable module that owns it; absent for the kernel image. */
  readonly module?: string;
}

const TEXT_TYPES = new Set(['T', 't', 'W', 'w']);
const LINE = /^[0-9a-fA-F]+ (\S) (\S+)(?:\t\[(\S+)\])?/;

export function kernelFunctions(kallsyms: string): KernelFunction[] {
  const functions: KernelFunction[] = [];
  const seen = new Set<string>();
  for (const line of kallsyms.split('\n')) {
    const match = LINE.exec(line);
    if (match === null || !TEXT_TYPES.has(match[1])) continue;
    const [, , name, module] = match;
    if (name.startsWith('__pfx_') || name.endsWith('.cold') || name.includes('.cold.')) continue;
    const key = module === undefined ? name : `${module}:${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    functions.push(module === undefined ? { name } : { name, module });
  }
  return functions;
}
