// Runs every benchmark and writes bench/RESULTS.md. One command: `npm run bench` (as root).
import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { ringBufferBench } from './ring-buffer.js';
import type { BenchResult } from './result.js';

const suites: Array<[string, () => BenchResult[] | Promise<BenchResult[]>]> = [
  ['Ring buffer', ringBufferBench],
];

function format(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value >= 10 ? 1 : 2);
}

const lines = [
  '# Benchmark results',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, Linux ${release()}, ` +
    `Node ${process.version}. Ratios compare bpfscope with the reference tool measured in the same run ` +
    '(> 1 means bpfscope is better for throughput, < 1 for times).',
  '',
];
for (const [title, run] of suites) {
  console.error(`bench: ${title}...`);
  const results = await run();
  lines.push(`## ${title}`, '', '| measurement | bpfscope | reference | ratio |', '|---|---|---|---|');
  for (const r of results) {
    const reference = r.reference ? `${format(r.reference.value)} ${r.unit} (${r.reference.tool})` : '';
    const ratio = r.reference ? format(r.value / r.reference.value) : '';
    lines.push(`| ${r.name} | ${format(r.value)} ${r.unit} | ${reference} | ${ratio} |`);
    console.error(`  ${r.name}: ${format(r.value)} ${r.unit}`);
  }
  lines.push('');
}
writeFileSync(new URL('./RESULTS.md', import.meta.url), lines.join('\n'));
console.error('bench: wrote bench/RESULTS.md');
