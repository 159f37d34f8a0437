// Runs every benchmark and writes bench/RESULTS.md. One command: `npm run bench` (as root);
// `npm run bench -- startup streaming` runs only the suites whose titles contain those words and
// prints their tables instead of replacing RESULTS.md.
// A suite that throws is recorded as failed and the others still run: parts of the language may not
// work yet, and the reference tool's figures are worth keeping meanwhile.
import { writeFileSync } from 'node:fs';
import { loadavg, release } from 'node:os';
import { kernelAttachBench } from './kernel-attach.js';
import { perEventBench } from './per-event.js';
import { ringBufferBench } from './ring-buffer.js';
import type { BenchResult, Failed } from './result.js';
import { startupBench } from './startup.js';
import { streamingBench } from './streaming.js';
import { wildcardBench } from './wildcard.js';

/** Title, the module whose header comment says what is measured and how, and its entry point. */
const suites: Array<[string, string, () => BenchResult[] | Promise<BenchResult[]>]> = [
  ['Ring buffer', 'ring-buffer.ts', ringBufferBench],
  ['Kernel layer: load and attach one tracepoint program', 'kernel-attach.ts', kernelAttachBench],
  ['Start-up', 'startup.ts', startupBench],
  ['Per-event cost', 'per-event.ts', perEventBench],
  ['printf streaming', 'streaming.ts', streamingBench],
  ['Wildcard attach and detach: tracepoint:syscalls:sys_enter_*', 'wildcard.ts', wildcardBench],
];

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

function figure(value: number | Failed, unit: string): string {
  return typeof value === 'number' ? `${format(value)} ${unit}` : `failed: ${value.failed.replaceAll('|', '\\|')}`;
}

function ratio(r: BenchResult): string {
  if (r.reference === undefined || typeof r.value !== 'number' || typeof r.reference.value !== 'number') return '';
  if (r.reference.value === 0) return r.value === 0 ? '1.00' : '';
  return format(r.value / r.reference.value);
}

const only = process.argv.slice(2);
const lines = [
  '# Benchmark results',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, Linux ${release()}, ` +
    `Node ${process.version}. Ratios are bpfscope ÷ the reference tool measured in the same run (> 1 means ` +
    'bpfscope is better for throughput, < 1 for times and costs); the target column is the bound on ' +
    'that ratio set in issue 3. bpfscope runs through `./bpfscope` on the built bundle, as a user runs it.',
  '',
  // The machine is shared with other work; the load says how much to trust small differences.
  `Load average when the run started: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (2 CPUs).`,
  '',
];
for (const [title, source, run] of suites) {
  if (only.length > 0 && !only.some((word) => title.toLowerCase().includes(word.toLowerCase()))) continue;
  console.error(`bench: ${title}...`);
  const started = Date.now();
  lines.push(`## ${title}`, '', `What and how: the header of [bench/${source}](${source}).`, '');
  let results: BenchResult[];
  try {
    results = await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    lines.push(`failed: ${reason}`, '');
    console.error(`  failed: ${reason}`);
    continue;
  }
  lines.push('| measurement | bpfscope | reference | ratio | target |', '|---|---|---|---|---|');
  for (const r of results) {
    const reference = r.reference ? `${figure(r.reference.value, r.unit)} (${r.reference.tool})` : '';
    lines.push(`| ${r.name} | ${figure(r.value, r.unit)} | ${reference} | ${ratio(r)} | ${r.target ?? ''} |`);
    console.error(`  ${r.name}: ${figure(r.value, r.unit)}${r.reference ? ` vs ${figure(r.reference.value, r.unit)}` : ''}`);
  }
  lines.push('', `(${Math.round((Date.now() - started) / 1000)} s)`, '');
}
// A partial run (suites named on the command line, for development) must not replace the full record.
if (only.length > 0) {
  process.stdout.write(lines.join('\n'));
} else {
  writeFileSync(new URL('./RESULTS.md', import.meta.url), lines.join('\n'));
  console.error('bench: wrote bench/RESULTS.md');
}
