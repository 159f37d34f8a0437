// The one-liners people copy from articles and talks, run unmodified through the CLI with a
// deterministic workload as the -c command: each test checks the output's structure and the exact
// lines (or counts) the workload must cause. Other processes on the machine add lines of their own,
// so the checks look for the workload's lines rather than comparing whole outputs.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../e2e/cli-process.js';
import { buildFixture } from '../fixtures/build-fixture.js';

let workload = '';
const scratch = mkdtempSync(join(tmpdir(), 'bpfscope-examples-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
before(async () => {
  workload = await buildFixture('workload');
});

/** stdout lines printed for the workload's own events (its comm is the fixture's name). */
function workloadLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('workload '));
}

/** Sum of the counts of a text histogram whose header line is `header`. */
function histogramTotal(stdout: string, header: RegExp): number {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => header.test(line));
  assert.notEqual(start, -1, `no histogram ${header} in:\n${stdout}`);
  let total = 0;
  for (const line of lines.slice(start + 1)) {
    const bucket = /^\[[^\]]*[\])]\s+(\d+) \|[@ ]{52}\|$/.exec(line);
    if (bucket === null) break;
    total += Number(bucket[1]);
  }
  return total;
}

describe('examples from articles', () => {
  it('the execve one-liner prints every argv joined', async () => {
    const result = await runCli('-e', 'tracepoint:syscalls:sys_enter_execve { join(args->argv); }', '-c', `${workload} fork 2`);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines.filter((line) => line === `${workload} fork 2`).length, 1, 'the command itself, exec\'d after attaching');
    assert.ok(lines.filter((line) => line === 'true').length >= 2, 'each child exec\'s /bin/true');
  });

  for (const stored of ['args->filename', 'str(args->filename)']) {
    it(`open tracing pairs sys_enter_openat with sys_exit_openat by tid (storing ${stored})`, async () => {
      const path = join(scratch, 'present');
      writeFileSync(path, 'x');
      const name = stored.startsWith('str') ? '@filename[tid]' : 'str(@filename[tid])';
      const script = `
        tracepoint:syscalls:sys_enter_openat { @filename[tid] = ${stored}; @flags[tid] = args->flags; }
        tracepoint:syscalls:sys_exit_openat /${stored.startsWith('str') ? '@filename[tid] != ""' : '@filename[tid]'}/ {
          printf("%-16s %s flags=%d ret=%d\\n", comm, ${name}, @flags[tid], args->ret);
          delete(@filename[tid]); delete(@flags[tid]);
        }
        END { clear(@filename); clear(@flags); }`;
      const result = await runCli('-e', script, '-c', `${workload} open ${path} 4`);
      assert.equal(result.status, 0, result.stderr);
      const mine = workloadLines(result.stdout).filter((line) => line.includes(path));
      assert.deepEqual(mine, [
        `workload         ${path} flags=0 ret=3`,
        `workload         ${path}.missing flags=0 ret=-2`,
        `workload         ${path} flags=0 ret=3`,
        `workload         ${path}.missing flags=0 ret=-2`,
      ]);
    });
  }

  it('the scheduler-latency histogram per (comm, pid) counts each wake-up once', async () => {
    const script = `
      tracepoint:sched:sched_wakeup { @qtime[args->pid] = nsecs; }
      tracepoint:sched:sched_switch {
        if (@qtime[args->next_pid]) {
          @usecs[args->next_comm, args->next_pid] = hist((nsecs - @qtime[args->next_pid]) / 1000);
          delete(@qtime[args->next_pid]);
        }
      }
      END { clear(@qtime); }`;
    const result = await runCli('-e', script, '-c', `${workload} sleep-wake 20`);
    assert.equal(result.status, 0, result.stderr);
    const header = /^@usecs\[workload, \d+\]: $/;
    assert.equal(result.stdout.split('\n').filter((line) => header.test(line)).length, 1, 'one key for the workload');
    // Twenty 1 ms sleeps wake it twenty times; pinning itself to one CPU first may move it through
    // the migration thread, which can add one wake-up of its own.
    const total = histogramTotal(result.stdout, header);
    assert.ok(total === 20 || total === 21, `twenty wake-ups from the sleeps, not ${total}`);
  });

  it('the per-comm syscall count printed and cleared every 5 s reads as bpftrace JSON', async () => {
    const command = join(scratch, 'count-then-sleep');
    writeFileSync(command, `#!/bin/sh\n${workload} getppid 100\nexec sleep 5.4\n`);
    chmodSync(command, 0o755);
    const script = 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); } interval:s:5 { print(@); clear(@); }';
    const result = await runCli('-f', 'json', '-e', script, '-c', command);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], '{"type": "attached_probes", "data": {"probes": 2}}');
    const records = lines.filter((line) => line !== '').map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> });
    const maps = records.filter((record) => record.type === 'map');
    assert.equal(maps.length, 2, 'one print() from the interval, then the map at exit');
    const counts = maps.map((record) => record.data['@'] as Record<string, number>);
    assert.ok(counts[0].workload >= 100, `100 getppid calls and the loader's own: ${JSON.stringify(counts[0])}`);
    assert.equal(counts[1].workload, undefined, 'cleared by the interval, and the workload has exited');
    // bpftrace 0.17 separates the exit dump from what came before with two empty lines, in JSON too.
    assert.deepEqual(lines.slice(-4, -1), ['', '', lines[lines.length - 2]]);
  });
});
