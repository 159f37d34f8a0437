// The CLI running real scripts: exact output in both formats, the -c command, Ctrl-C, a closed pipe,
// and the flags that shape a run (-o, -q, --dry-run, positional parameters, -l, -d, --unsafe).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { heldPython } from '../../src/kernel/links/kernel-test-support.js';
import { ownedBpfObjects, stillLoaded } from '../../src/runtime/testing/owned-objects.js';
import { CliProcess, runCli, STACK_FRAME } from './cli-process.js';

const AGGREGATIONS = 'BEGIN { @c[1] = count(); @c[2] = count(); @c[2] = count(); @s = sum(-4); @a = avg(7); @st = stats(3); @h = hist(5); @h = hist(700); @l = lhist(3, 0, 10, 5); @m["x", 2] = 1; printf("%s|%5d|%-3s|%x\\n", "ok", 42, "ab", 255); exit(); }';

/** The interpreter itself: a PATH shim (pyenv) would make its own calls under the same pid first. */
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

describe('bpfscope runs', () => {
  it('prints printf output and every map at exit exactly as bpftrace 0.17 does', async () => {
    const result = await runCli('-e', AGGREGATIONS);
    assert.equal(result.status, 0);
    assert.equal(result.stderr, 'Attaching 1 probe...\n');
    assert.equal(result.stdout, [
      'ok|   42|ab |ff',
      '',
      '',
      '@a: 7',
      '',
      '@c[1]: 1',
      '@c[2]: 2',
      '@h: ',
      '[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|',
      '[8, 16)                0 |                                                    |',
      '[16, 32)               0 |                                                    |',
      '[32, 64)               0 |                                                    |',
      '[64, 128)              0 |                                                    |',
      '[128, 256)             0 |                                                    |',
      '[256, 512)             0 |                                                    |',
      '[512, 1K)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|',
      '',
      '@l: ',
      '[0, 5)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|',
      '',
      '@m[x, 2]: 1',
      '@s: -4',
      '@st: count 1, average 3, total 3',
      '',
      '',
    ].join('\n'));
  });

  it('prints the same run as bpftrace NDJSON with -f json', async () => {
    const result = await runCli('-f', 'json', '-e', AGGREGATIONS);
    assert.equal(result.status, 0);
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, [
      '{"type": "attached_probes", "data": {"probes": 1}}',
      '{"type": "printf", "data": "ok|   42|ab |ff\\n"}',
      '',
      '',
      '{"type": "stats", "data": {"@a": 7}}',
      '{"type": "map", "data": {"@c": {"1": 1, "2": 2}}}',
      '{"type": "hist", "data": {"@h": [{"min": 4, "max": 7, "count": 1}, {"min": 8, "max": 15, "count": 0}, {"min": 16, "max": 31, "count": 0}, {"min": 32, "max": 63, "count": 0}, {"min": 64, "max": 127, "count": 0}, {"min": 128, "max": 255, "count": 0}, {"min": 256, "max": 511, "count": 0}, {"min": 512, "max": 1023, "count": 1}]}}',
      '{"type": "hist", "data": {"@l": [{"min": 0, "max": 4, "count": 1}]}}',
      '{"type": "map", "data": {"@m": {"x,2": 1}}}',
      '{"type": "map", "data": {"@s": -4}}',
      '{"type": "stats", "data": {"@st": {"count": 1, "average": 3, "total": 3}}}',
      '',
    ].join('\n'));
  });

  it('starts the -c command once probes are attached, sets cpid, and ends when it exits', async () => {
    const result = await runCli('-c', `${PYTHON} test/e2e/testdata/getppid.py 9`, '-e', 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @calls = count(); }');
    assert.equal(result.stderr, 'Attaching 1 probe...\n');
    assert.equal(result.stdout, '\n\n@calls: 9\n');
    assert.equal(result.status, 0);
  });

  it('on Ctrl-C prints the maps, detaches everything and exits 0', async () => {
    const child = await heldPython('for _ in range(5): os.getppid()');
    const cli = new CliProcess(['-e', 'BEGIN { printf("ready\\n"); } tracepoint:syscalls:sys_enter_getppid /pid == $1/ { @calls = count(); }', String(child.pid)]);
    await cli.waitForStdout('ready\n');
    const owned = ownedBpfObjects(cli.child.pid ?? 0);
    assert.ok(owned.programs.length >= 2 && owned.links.length >= 1, 'BEGIN and the tracepoint are loaded, the tracepoint linked');
    assert.equal(await child.release(), 0);
    cli.child.kill('SIGINT');
    const result = await cli.result;
    assert.equal(result.stdout, 'ready\n\n\n@calls: 5\n');
    assert.equal(result.status, 0);
    assert.deepEqual(await stillLoaded(owned), { programs: [], links: [] });
  });

  it('ends quietly when the reader of its output goes away', async () => {
    const cli = new CliProcess(['-e', 'interval:ms:5 { printf("tick\\n"); }']);
    await cli.waitForStdout('tick\n');
    cli.child.stdout.destroy();
    const result = await cli.result;
    assert.equal(result.status, 0);
    assert.doesNotMatch(result.stderr, STACK_FRAME);
  });

  it('writes the script output to the -o file, and leaves out the attach line with -q', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bpfscope-cli-')), 'out.txt');
    const result = await runCli('-q', '-o', file, '-e', 'BEGIN { printf("to file\\n"); exit(); }');
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, '');
    assert.equal(readFileSync(file, 'utf8'), 'to file\n\n\n');
  });

  it('loads but attaches nothing with --dry-run', async () => {
    const result = await runCli('--dry-run', '-e', 'tracepoint:syscalls:sys_enter_getppid { @calls = count(); }');
    assert.deepEqual(result, { status: 0, signal: null, stdout: '', stderr: '' });
  });

  it('runs BEGIN in a process whose comm is bpfscope', async () => {
    const result = await runCli('-e', 'BEGIN { printf("%s\\n", comm); exit(); }');
    assert.equal(result.stdout, 'bpfscope\n\n\n');
  });

  it('passes positional parameters as $1… and their count as $#', async () => {
    const result = await runCli('-e', 'BEGIN { printf("%s %d %d\\n", str($1), $2 + 1, $#); exit(); }', 'word', '41');
    assert.equal(result.stdout, 'word 42 2\n\n\n');
  });

  it('lists probes matching a pattern with -l', async () => {
    const result = await runCli('-l', 'tracepoint:syscalls:sys_enter_getpp*');
    assert.deepEqual(result, { status: 0, signal: null, stdout: 'tracepoint:syscalls:sys_enter_getppid\n', stderr: '' });
  });

  it('dumps the instructions with -d asm and the verifier log with -d verifier, on stderr', async () => {
    const result = await runCli('-q', '-d', 'asm', '-d', 'verifier', '-e', 'BEGIN { exit(); }');
    assert.equal(result.stdout, '\n\n');
    assert.match(result.stderr, /^; BEGIN: BEGIN\n/);
    assert.match(result.stderr, /; verifier log of BEGIN \(BEGIN\)\n/);
    assert.match(result.stderr, /processed \d+ insns/);
  });

  it('runs system() and cat() only with --unsafe', async () => {
    const script = 'BEGIN { system("echo %d", 7); cat("/proc/sys/kernel/ostype"); exit(); }';
    const refused = await runCli('-e', script);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^-e:1:9: error: system\(\) is an unsafe function\n/);
    const allowed = await runCli('--unsafe', '-e', script);
    assert.equal(allowed.stdout, '7\nLinux\n\n\n');
  });
});
