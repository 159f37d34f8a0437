import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedFeatureError } from '../kernel/errors.js';
import { NO_CPU_PMU } from '../kernel/links/perf-event-link.js';
import { hasCpuPmu } from '../kernel/links/pmu.js';
import { defaultProviders } from './registry.js';
import { attachPoint } from './testing/fixtures.js';
import { loadTrivialProgram } from './testing/programs.js';

const registry = defaultProviders();

/** Expands one attach point, loads a trivial program of its kind and attaches it; returns the link's description. */
function attachAndDetach(raw: string): string {
  const [probe] = registry.expand(attachPoint(raw), {});
  const provider = registry.expect(probe.provider);
  const program = loadTrivialProgram('prov_perf', provider.programKind(probe));
  try {
    const link = provider.attach(program.fd, probe, {});
    link.detach();
    return link.description;
  } finally {
    program.close();
  }
}

test('software events attach on every CPU and detach', () => {
  assert.equal(attachAndDetach('software:cpu-clock:1000000'), 'software:cpu-clock:1000000');
  assert.equal(attachAndDetach('s:faults'), 'software:page-faults:100');
  assert.equal(attachAndDetach('software:cs:1'), 'software:context-switches:1');
});

test('interval and profile timers attach and detach', () => {
  assert.equal(attachAndDetach('interval:ms:100'), 'interval:ms:100');
  assert.equal(attachAndDetach('interval:1s'), 'interval:us:1000000');
  assert.equal(attachAndDetach('profile:hz:99'), 'profile:hz:99');
});

test('hardware events attach where the machine has a CPU PMU, and say why not where it has none', () => {
  if (hasCpuPmu()) {
    assert.equal(attachAndDetach('hardware:cycles:1000000'), 'hardware:cpu-cycles:1000000');
    return;
  }
  assert.throws(() => attachAndDetach('hardware:cycles:1000000'), (error: unknown) =>
    error instanceof UnsupportedFeatureError && error.reason === NO_CPU_PMU);
});
