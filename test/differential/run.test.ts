// The differential suite's own machinery: the command line a case becomes, what normalisation drops
// (and, as important, what it keeps), and the unified diff a mismatch is reported with.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commandLine, compareOutcomes, instantiate, normalise, WORKLOAD_PLACEHOLDER } from './run.js';
import { unifiedDiff } from './unified-diff.js';

const MEMLOCK =
  'ERROR: Unknown error -1: couldn\'t set RLIMIT_MEMLOCK for bpftrace. If your program is not loading, you can try "ulimit -l 8192" to fix the problem\n';

describe('commandLine', () => {
  it('puts options first, then the program, then its positional parameters', () => {
    const argv = commandLine({ name: 'n', script: 'BEGIN { exit(); }', args: ['1', 'x'], workload: ['add', '3'], json: true });
    assert.deepEqual(argv, ['-f', 'json', '-c', `${WORKLOAD_PLACEHOLDER} add 3`, '-e', 'BEGIN { exit(); }', '1', 'x']);
    assert.deepEqual(instantiate(argv, '/tmp/w')[3], '/tmp/w add 3');
  });

  it('substitutes the workload path inside the program too', () => {
    const argv = commandLine({ name: 'n', script: `uprobe:${WORKLOAD_PLACEHOLDER}:f { }` });
    assert.deepEqual(instantiate(argv, '/tmp/w'), ['-e', 'uprobe:/tmp/w:f { }']);
  });
});

describe('normalise', () => {
  it("drops bpftrace's Attaching line and RLIMIT_MEMLOCK warning, and keeps the rest", () => {
    const outcome = normalise({ stdout: 'Attaching 2 probes...\nhi\n', stderr: `${MEMLOCK}WARNING: x\n`, status: 0 });
    assert.deepEqual(outcome, { stdout: 'hi\n', stderr: 'WARNING: x\n', status: 0 });
  });

  it("drops bpfscope's Attaching line on stderr and the JSON attached_probes record", () => {
    const outcome = normalise({
      stdout: '{"type": "attached_probes", "data": {"probes": 1}}\n{"type": "printf", "data": "a"}\n',
      stderr: 'Attaching 1 probe...\n',
      status: 0,
    });
    assert.deepEqual(outcome, { stdout: '{"type": "printf", "data": "a"}\n', stderr: '', status: 0 });
  });

  it('keeps an Attaching line the program itself prints after other output', () => {
    const stdout = 'first\nAttaching 1 probe...\n';
    assert.equal(normalise({ stdout, stderr: '', status: 0 }).stdout, stdout);
  });
});

describe('compareOutcomes', () => {
  it('is empty for equal outcomes and names every difference otherwise', () => {
    const same = { stdout: 'a\n', stderr: '', status: 0 };
    assert.equal(compareOutcomes(same, { ...same }, 'bpftrace', 'bpfscope'), '');
    const report = compareOutcomes(same, { stdout: 'b\n', stderr: 'oops\n', status: 1 }, 'bpftrace', 'bpfscope');
    assert.match(report, /--- bpftrace stdout\n\+\+\+ bpfscope stdout\n@@ -1 \+1 @@\n-a\n\+b\n/);
    assert.match(report, /--- bpftrace stderr\n\+\+\+ bpfscope stderr\n@@ -0,0 \+1 @@\n\+oops\n/);
    assert.match(report, /exit status: bpftrace 0, bpfscope 1/);
  });
});

describe('unifiedDiff', () => {
  it('prints diff -u hunks with three lines of context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
    const after = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\n';
    assert.equal(
      unifiedDiff(before, after, 'old', 'new'),
      '--- old\n+++ new\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -8,3 +8,4 @@\n h\n i\n j\n+k\n',
    );
  });

  it('marks a missing final newline', () => {
    assert.equal(unifiedDiff('x\n', 'x', 'old', 'new'), '--- old\n+++ new\n@@ -1 +1 @@\n-x\n+x\n\\ No newline at end of file\n');
  });
});
