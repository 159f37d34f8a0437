// `bpfscope info`: what this machine lets bpfscope do, as a readable report or (--json) as the
// FeatureReport itself. It always probes afresh and refreshes the on-disk cache other commands read.
import {
  defaultCacheDir, type Feature, type FeatureReport, probeFeatures, type SystemInfo, TRACING_CAPABILITIES,
} from '../features/index.js';

export interface InfoOptions {
  readonly json: boolean;
}

const SECTIONS = [
  ['Program types', 'programTypes'],
  ['Map types', 'mapTypes'],
  ['Attach kinds', 'attachKinds'],
  ['Helpers', 'helpers'],
] as const;

function yesNo(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
}

function orUnknown(value: number | string | null): string {
  return value === null ? 'unknown' : String(value);
}

function describeCapabilities(held: readonly string[] | null): string {
  if (held === null) return 'unknown (no CapEff in /proc/self/status)';
  const relevant = TRACING_CAPABILITIES.filter((name) => held.includes(name));
  const missing = TRACING_CAPABILITIES.filter((name) => !held.includes(name));
  const summary = relevant.length === 0 ? 'none of the tracing capabilities' : relevant.join(' ');
  const lacking = missing.length === 0 ? '' : `; missing ${missing.join(' ')}`;
  return `${summary}${lacking} (${held.length} effective)`;
}

function describeTracefs(tracefs: SystemInfo['tracefs']): string {
  if (tracefs.mountPoint !== null) return `mounted at ${tracefs.mountPoint}`;
  return tracefs.mountable ? 'not mounted (bpfscope mounts it when needed)' : 'not available (not in /proc/filesystems)';
}

function systemLines(kernel: SystemInfo): [string, string][] {
  return [
    ['kernel', `${kernel.release} (${kernel.arch})`],
    ['btf', yesNo(kernel.btf)],
    ['lockdown', kernel.lockdown ?? 'unknown (securityfs is not mounted at /sys/kernel/security)'],
    ['capabilities', describeCapabilities(kernel.capabilities)],
    ['tracefs', describeTracefs(kernel.tracefs)],
    ['jit', yesNo(kernel.jitEnabled)],
    ['unprivileged_bpf_disabled', orUnknown(kernel.unprivilegedBpfDisabled)],
    ['kptr_restrict', orUnknown(kernel.kptrRestrict)],
    ['perf_event_paranoid', orUnknown(kernel.perfEventParanoid)],
  ];
}

function featureText(feature: Feature): string {
  return feature.available ? 'yes' : `no — ${feature.reason ?? `needs Linux ${feature.minKernel}`}`;
}

/** A titled block of `  name  value` lines, values aligned in one column. */
function section(title: string, lines: readonly [string, string][]): string {
  const width = Math.max(...lines.map(([name]) => name.length));
  return [title, ...lines.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`)].join('\n');
}

export function formatReport(report: FeatureReport): string {
  const blocks = [section('System', systemLines(report.kernel))];
  for (const [title, family] of SECTIONS) {
    const lines = Object.entries(report[family]).map(([name, feature]): [string, string] => [name, featureText(feature)]);
    blocks.push(section(title, lines));
  }
  return `${blocks.join('\n\n')}\n`;
}

export function formatReportJson(report: FeatureReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function runInfo(options: InfoOptions): void {
  const report = probeFeatures({ cacheDir: defaultCacheDir(), refresh: true });
  process.stdout.write(options.json ? formatReportJson(report) : formatReport(report));
}
