// The CLI's failures: every one a located diagnostic or a single readable line, a non-zero exit
// status, and never a JavaScript stack trace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli, STACK_FRAME } from './cli-process.js';

describe('bpfscope errors', () => {
  it('shows a syntax error at its line and column, with the source line and a caret', async () => {
    const result = await runCli('-e', 'BEGIN { printf("x\\n") exit(); }');
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, [
      "-e:1:23: error: unexpected identifier 'exit', expected ';' or '}' after statement",
      'BEGIN { printf("x\\n") exit(); }',
      '                      ^~~~',
      '',
    ].join('\n'));
  });

  it('names the script file in diagnostics', async () => {
    const result = await runCli('test/e2e/testdata/type-error.bt');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^test\/e2e\/testdata\/type-error\.bt:2:\d+: error: /);
    assert.doesNotMatch(result.stderr, STACK_FRAME);
  });

  it('says which file could not be read', async () => {
    const result = await runCli('no/such/script.bt');
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'bpfscope: cannot read the script no/such/script.bt: ENOENT (no such file; a program given on the command line goes after -e)\n');
  });

  it('rejects an unknown option with exit status 2 and a pointer to --help', async () => {
    const result = await runCli('-x', '-e', 'BEGIN {}');
    assert.equal(result.status, 2);
    assert.equal(result.stderr, "bpfscope: unknown option '-x'\nrun 'bpfscope --help' for usage\n");
  });

  it('rejects an output format it does not know', async () => {
    const result = await runCli('-f', 'yaml', '-e', 'BEGIN {}');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^bpfscope: -f accepts text or json, not 'yaml'\n/);
  });

  it('asks for a program when none is given', async () => {
    const result = await runCli();
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^bpfscope: no program given/);
  });

  it('refuses -c with a command that does not exist, before compiling anything', async () => {
    const result = await runCli('-c', 'no-such-command-here', '-e', 'BEGIN { exit(); }');
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'bpfscope: cannot run no-such-command-here: not found in PATH\n');
  });

  it('refuses -p with a process that does not exist', async () => {
    const result = await runCli('-p', '999999999', '-e', 'BEGIN { exit(); }');
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'bpfscope: -p 999999999: no such process\n');
  });

  it('prints the usage with -h and the version with --version', async () => {
    const help = await runCli('-h');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: bpfscope \[options\] FILE/);
    const version = await runCli('--version');
    assert.match(version.stdout, /^bpfscope \d+\.\d+\.\d+\n$/);
  });
});
