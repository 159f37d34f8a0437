// kstack/ustack modes end to end. Kernel addresses change with every boot (KASLR), so these runs are
// checked against this boot's /proc/kallsyms rather than recorded in the differential suite.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KernelSymbols } from '../../src/kernel/index.js';
import { buildFixture } from '../fixtures/build-fixture.js';
import { runCli } from './cli-process.js';

const workload = await buildFixture('workload');
const FORK = 'tracepoint:sched:sched_process_fork /pid == cpid/';

describe('stack modes', () => {
  it('kstack(perf, N) prints N frames as a tab, the address in hex and the symbol with its offset', async () => {
    const result = await runCli('-c', `${workload} fork 1`, '-e', `${FORK} { printf("[%s]\\n", kstack(perf, 2)); }`);
    assert.equal(result.status, 0, result.stderr);
    const match = /^\[\n\t([0-9a-f]+) (\w+)\+(\d+)\n\t([0-9a-f]+) (\w+)\+(\d+)\n\]\n/.exec(result.stdout);
    assert.ok(match !== null, `unexpected output: ${JSON.stringify(result.stdout)}`);
    const kallsyms = KernelSymbols.fromProcfs();
    for (const [address, name, offset] of [match.slice(1, 4), match.slice(4, 7)]) {
      const symbol = kallsyms.lookup(BigInt(`0x${address}`));
      assert.deepEqual([symbol?.name, symbol?.offset], [name, Number(offset)]);
    }
  });

  it('keeps bpftrace mode and perf mode apart as map keys and values', async () => {
    const result = await runCli('-c', `${workload} fork 1`, '-e', `${FORK} { @perf[kstack(perf, 1)] = count(); @plain = kstack(1); }`);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^@perf\[\n\t[0-9a-f]+ \w+\+\d+\n\]: 1\n@plain: \n {8}\w+\+\d+\n/m);
  });
});
