// tracepoint:syscalls:* served from the raw sys_enter/sys_exit tracepoints
// (src/providers/syscall-dispatch.ts): the CLI prints what per-syscall tracepoints give — exact
// counts under each probe's own name, args, NDJSON — from one attachment, and leaves out the 32-bit
// system calls that the raw tracepoints report and syscall tracepoints do not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { tracefsRoot } from '../../src/kernel/tracefs.js';
import { ownedBpfObjects, stillLoaded } from '../../src/runtime/testing/owned-objects.js';
import { buildFixture } from '../fixtures/build-fixture.js';
import { CliProcess, runCli } from './cli-process.js';

let syscalls = '';
before(async () => {
  syscalls = await buildFixture('syscalls');
});

describe('syscall tracepoints through the raw sys_enter/sys_exit tracepoints', () => {
  it('counts each call of a getp* wildcard under its own probe name, through one raw tracepoint program', async () => {
    // getpeername, getpgid, getpgrp, getpid, getppid, getpriority; gettid is outside the set.
    const script = 'tracepoint:syscalls:sys_enter_getp* /pid == cpid/ { @[probe] = count(); }';
    const result = await runCli('-c', `${syscalls} getpid=7 getppid=5 gettid=3`, '-e', script);
    assert.equal(result.stderr, 'Attaching 6 probes...\n');
    assert.equal(result.stdout, '\n\n@[tracepoint:syscalls:sys_enter_getppid]: 5\n@[tracepoint:syscalls:sys_enter_getpid]: 7\n');
    assert.equal(result.status, 0);
    const dump = await runCli('--dry-run', '-d', 'asm', '-e', script.replace(' /pid == cpid/', ''));
    assert.match(dump.stderr, /^; \w+: tracepoint:syscalls:sys_enter_getpeername, .*, tracepoint:syscalls:sys_enter_getpriority \(through rawtracepoint:sys_enter\)$/m);
  });

  it('counts exactly with the classic @[probe] = count() over sys_enter_*, in text and in JSON', async () => {
    const events = readdirSync(`${tracefsRoot()}/events/syscalls`).filter((name) => name.startsWith('sys_enter_'));
    const script = 'tracepoint:syscalls:sys_enter_* /pid == cpid/ { @[probe] = count(); }';
    const command = `${syscalls} getpid=3 getppid=11 gettid=6`;
    const text = await runCli('-c', command, '-e', script);
    assert.equal(text.status, 0, text.stderr);
    assert.equal(text.stderr, `Attaching ${events.length} probes...\n`);
    const lines = text.stdout.split('\n');
    for (const [name, count] of [['getpid', 3], ['getppid', 11], ['gettid', 6], ['execve', 1]] as const) {
      assert.equal(lines.filter((line) => line.startsWith(`@[tracepoint:syscalls:sys_enter_${name}]: `)).join(), `@[tracepoint:syscalls:sys_enter_${name}]: ${count}`);
    }
    const json = await runCli('-f', 'json', '-c', command, '-e', script);
    const map = json.stdout.split('\n').filter((line) => line.startsWith('{"type": "map"')).map((line) => JSON.parse(line) as { data: { '@': Record<string, number> } });
    assert.equal(map.length, 1, json.stdout);
    const counts = map[0].data['@'];
    assert.deepEqual(['getpid', 'getppid', 'gettid'].map((name) => counts[`tracepoint:syscalls:sys_enter_${name}`]), [3, 11, 6]);
  });

  it('attaches sys_enter_* once and detaches it on Ctrl-C', async () => {
    const cli = new CliProcess(['-e', 'BEGIN { printf("ready\\n"); } tracepoint:syscalls:sys_enter_* { @[probe] = count(); }']);
    await cli.waitForStdout('ready\n');
    const owned = ownedBpfObjects(cli.child.pid ?? 0);
    assert.equal(owned.links.length, 1, 'one link for every sys_enter_* tracepoint');
    cli.child.kill('SIGINT');
    const result = await cli.result;
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^@\[tracepoint:syscalls:sys_enter_\w+\]: \d+$/m);
    assert.deepEqual(await stillLoaded(owned), { programs: [], links: [] });
  });

  it('reads args from the saved registers at the syscall events\' offsets, on exit too', async () => {
    const script = 'tracepoint:syscalls:sys_exit_getp* /pid == cpid/ { @ret[probe, args.ret == cpid] = count(); @nr[probe, args.__syscall_nr] = count(); }';
    const result = await runCli('-c', `${syscalls} getpid=7 getppid=5`, '-e', script);
    assert.equal(result.stderr, [
      // bpftrace 0.17 warns the same: args.ret is a long, cpid a u32.
      "-e:1:73: warning: comparison of integers of different signs: 'int64' and 'unsigned int32' can lead to undefined behavior",
      script,
      `${' '.repeat(72)}^~`,
      'Attaching 6 probes...',
      '',
    ].join('\n'));
    assert.equal(result.stdout, [
      '', '',
      '@nr[tracepoint:syscalls:sys_exit_getppid, 110]: 5',
      '@nr[tracepoint:syscalls:sys_exit_getpid, 39]: 7',
      '@ret[tracepoint:syscalls:sys_exit_getppid, 0]: 5',
      '@ret[tracepoint:syscalls:sys_exit_getpid, 1]: 7',
      '',
    ].join('\n'));
    const dump = await runCli('--dry-run', '-d', 'asm', '-e', script.replaceAll('cpid', '1'));
    assert.match(dump.stderr, /\(through rawtracepoint:sys_exit\)$/m);
  });

  it('leaves the raw tracepoint\'s own frames out of a sys_exit_* kstack, and keeps sys_enter_* stacks on their tracepoints', async () => {
    const script = 'tracepoint:syscalls:sys_exit_getppid /pid == cpid/ { @[kstack] = count(); }';
    const dump = await runCli('--dry-run', '-d', 'asm', '-e', `${script.replace(' /pid == cpid/', '')} ${script.replaceAll('exit', 'enter').replace(' /pid == cpid/', '')}`);
    assert.match(dump.stderr, /^; \w+: tracepoint:syscalls:sys_exit_getppid \(through rawtracepoint:sys_exit\)$/m);
    assert.match(dump.stderr, /^; \w+: tracepoint:syscalls:sys_enter_getppid$/m);
    const result = await runCli('-c', `${syscalls} getppid=2`, '-e', script);
    assert.equal(result.status, 0, result.stderr);
    const frames = result.stdout.split('\n').filter((line) => line.startsWith('    '));
    assert.ok(frames.length > 0, result.stdout);
    assert.deepEqual(frames.filter((frame) => /bpf_prog_|bpf_trace_run|__bpf_trace_/.test(frame)), []);
    assert.match(result.stdout, /\]: 2\n$/);
  });

  it('leaves out 32-bit system calls, which the raw tracepoints report under their own numbers', async (t) => {
    if (spawnSync(syscalls, ['compat-getpid=1']).status !== 0) {
      t.skip('this kernel runs no 32-bit system calls (no IA32 emulation)');
      return;
    }
    // The 32-bit getpid is number 20, which is writev's in x86_64's numbering.
    const raw = await runCli('-c', `${syscalls} compat-getpid=5`, '-e', 'tracepoint:raw_syscalls:sys_enter /pid == cpid && args.id == 20/ { @raw = count(); }');
    assert.equal(raw.stdout, '\n\n@raw: 5\n');
    const script = 'tracepoint:syscalls:sys_enter_get*pid, tracepoint:syscalls:sys_enter_writev /pid == cpid/ { @[probe] = count(); }';
    const result = await runCli('-c', `${syscalls} getpid=2 compat-getpid=5`, '-e', script);
    assert.equal(result.stderr, 'Attaching 3 probes...\n');
    assert.equal(result.stdout, '\n\n@[tracepoint:syscalls:sys_enter_getpid]: 2\n');
  });
});
