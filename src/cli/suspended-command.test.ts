import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CommandError, SuspendedCommand, findExecutable } from './suspended-command.js';

function scratchFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'bpfscope-cmd-')), 'ran');
}

describe('findExecutable', () => {
  it('searches PATH as execvp does, and takes a path with a slash as it is', () => {
    assert.equal(findExecutable('sh', '/nonexistent:/bin'), '/bin/sh');
    assert.equal(findExecutable('/bin/sh', ''), '/bin/sh');
  });

  it('says why a command cannot run', () => {
    assert.throws(() => findExecutable('no-such-program', '/bin'), new CommandError('cannot run no-such-program: not found in PATH'));
    assert.throws(() => findExecutable('./no-such-program'), new CommandError('cannot run ./no-such-program: no such executable file'));
  });
});

describe('SuspendedCommand', () => {
  it('runs the command only once released', async () => {
    const file = scratchFile();
    const command = await SuspendedCommand.spawn(`touch ${file}`);
    assert.ok(command.isRunning);
    assert.equal(existsSync(file), false);
    command.release();
    assert.equal(await command.exited, 0);
    assert.equal(existsSync(file), true);
  });

  it('never runs a command terminated before its release', async () => {
    const file = scratchFile();
    const command = await SuspendedCommand.spawn(`touch ${file}`);
    command.terminate();
    assert.notEqual(await command.exited, 0);
    assert.equal(existsSync(file), false);
  });

  it('reports the exit status of the command', async () => {
    const command = await SuspendedCommand.spawn('false');
    command.release();
    assert.equal(await command.exited, 1);
  });
});
