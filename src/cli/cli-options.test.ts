import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine, UsageError, type RunOptions } from './cli-options.js';

function run(...argv: string[]): RunOptions {
  const command = parseCommandLine(argv);
  assert.equal(command.kind, 'run');
  return command.run;
}

describe('parseCommandLine', () => {
  it('takes the program from -e and every positional as a parameter', () => {
    const options = run('-e', 'BEGIN { exit(); }', 'a', 'b');
    assert.deepEqual(options.script, { from: 'inline', text: 'BEGIN { exit(); }' });
    assert.deepEqual(options.params, ['a', 'b']);
  });

  it('takes the first positional as the script file and the rest as parameters', () => {
    const options = run('-q', 'tool.bt', '5', '--', '-3');
    assert.deepEqual(options.script, { from: 'file', path: 'tool.bt' });
    assert.deepEqual(options.params, ['5', '-3']);
    assert.equal(options.quiet, true);
  });

  it('reads bpftrace-style short options with values', () => {
    const options = run('-p', '123', '-f', 'json', '-o', 'out.txt', '-d', 'asm', '-d', 'verifier', '--dry-run', '--unsafe', '-v', '-e', 'BEGIN {}');
    assert.equal(options.pid, 123);
    assert.equal(options.format, 'json');
    assert.equal(options.outputFile, 'out.txt');
    assert.deepEqual(options.dumps, ['asm', 'verifier']);
    assert.equal(options.dryRun, true);
    assert.equal(options.unsafe, true);
    assert.equal(options.verbose, true);
  });

  it('takes a short option\'s value from the rest of its word, even one that starts with a dash, as getopt does', () => {
    const options = run('-qp123', '-d', 'ast', '-dasm', '--format=json', '-o', '-', '-e', '-1 == 1', 'x');
    assert.equal(options.pid, 123);
    assert.equal(options.quiet, true);
    assert.deepEqual(options.dumps, ['ast', 'asm']);
    assert.equal(options.format, 'json');
    assert.equal(options.outputFile, '-');
    assert.deepEqual(options.script, { from: 'inline', text: '-1 == 1' });
    assert.deepEqual(options.params, ['x']);
  });

  it('reads options after positionals too, and none after --', () => {
    const options = run('tool.bt', '-v', 'a', '--', '-q', '--dry-run');
    assert.equal(options.verbose, true);
    assert.equal(options.quiet, false);
    assert.deepEqual(options.params, ['a', '-q', '--dry-run']);
  });

  it('keeps -c as one command line', () => {
    assert.equal(run('-c', 'ls -l /tmp', '-e', 'BEGIN {}').command, 'ls -l /tmp');
  });

  it('reads -l with an optional pattern, and -lv as -l -v', () => {
    assert.deepEqual(parseCommandLine(['-l']), { kind: 'list', pattern: undefined, verbose: false });
    assert.deepEqual(parseCommandLine(['-lv', 'tracepoint:sched:*']), { kind: 'list', pattern: 'tracepoint:sched:*', verbose: true });
  });

  it('keeps the info command and --info working', () => {
    assert.deepEqual(parseCommandLine(['info']), { kind: 'info', json: false });
    assert.deepEqual(parseCommandLine(['--info', '--json']), { kind: 'info', json: true });
  });

  it('refuses what it cannot honour with a usage error', () => {
    const cases: [string[], RegExp][] = [
      [['-p', 'abc', '-e', 'BEGIN {}'], /-p needs a process id/],
      [['-d', 'llvm', '-e', 'BEGIN {}'], /-d accepts ast, ir, asm, verifier, not 'llvm'/],
      [['-p', '1', '-c', 'true', '-e', 'BEGIN {}'], /-p and -c cannot be used together/],
      [['-l', '-e', 'BEGIN {}'], /cannot be combined with -e/],
      [['--json', '-e', 'BEGIN {}'], /for script output use -f json/],
      [['-e'], /option '-e' needs a value/],
      [['--output'], /option '--output' needs a value/],
      [['--quiet=yes', '-e', 'BEGIN {}'], /option '--quiet' takes no value/],
      [['-x'], /unknown option '-x'/],
      [['--nope'], /unknown option '--nope'/],
      [['-qx'], /unknown option '-x'/],
      [[], /no program given/],
    ];
    for (const [argv, message] of cases) {
      assert.throws(() => parseCommandLine(argv), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
    }
  });
});
