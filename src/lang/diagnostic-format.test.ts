import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticCode, error, formatDiagnostic, formatDiagnostics, Source, span } from './index.js';

describe('Source', () => {
  const source = new Source('a.bt', 'one\r\ntwo\n\nfour');

  it('maps offsets to 1-based lines and columns', () => {
    assert.deepEqual(source.location(0), { line: 1, column: 1 });
    assert.deepEqual(source.location(5), { line: 2, column: 1 });
    assert.deepEqual(source.location(7), { line: 2, column: 3 });
    assert.deepEqual(source.location(9), { line: 3, column: 1 });
    assert.deepEqual(source.location(10), { line: 4, column: 1 });
    assert.deepEqual(source.location(source.text.length), { line: 4, column: 5 });
  });

  it('returns line text without terminators', () => {
    assert.deepEqual([1, 2, 3, 4].map((line) => source.lineText(line)), ['one', 'two', '', 'four']);
    assert.equal(source.lineCount, 4);
  });
});

describe('formatDiagnostic', () => {
  const source = new Source('script.bt', 'BEGIN {\n  @x = count(;\n}\n');

  it('puts a single caret under a one-character span', () => {
    const diagnostic = error(DiagnosticCode.ExpectedExpression, "unexpected ';', expected an expression", span(20, 21), ['close the call']);
    assert.equal(
      formatDiagnostic(source, diagnostic),
      "script.bt:2:13: error: unexpected ';', expected an expression\n  @x = count(;\n            ^\nhint: close the call",
    );
  });

  it('underlines a longer span and clips it to the first line', () => {
    assert.equal(
      formatDiagnostic(source, error(DiagnosticCode.UnexpectedToken, 'bad', span(10, 15))),
      'script.bt:2:3: error: bad\n  @x = count(;\n  ^~~~~',
    );
    assert.equal(
      formatDiagnostic(source, error(DiagnosticCode.UnexpectedToken, 'spans lines', span(13, 24))),
      'script.bt:2:6: error: spans lines\n  @x = count(;\n     ^~~~~~~~~',
    );
  });

  it('puts details between the caret and the hints', () => {
    const diagnostic = { ...error(DiagnosticCode.ProgramRejected, 'rejected', span(0, 5), ['try -d verifier']), details: ['  0: r0 = 1', '  R1 !read_ok'] };
    assert.equal(
      formatDiagnostic(source, diagnostic),
      'script.bt:1:1: error: rejected\nBEGIN {\n^~~~~\n  0: r0 = 1\n  R1 !read_ok\nhint: try -d verifier',
    );
  });

  it('joins several diagnostics and prints warnings with their severity', () => {
    const warning = { ...error(DiagnosticCode.UnexpectedToken, 'odd', span(0, 5)), severity: 'warning' as const };
    assert.equal(
      formatDiagnostics(source, [warning, error(DiagnosticCode.UnexpectedToken, 'worse', span(26, 26))]),
      'script.bt:1:1: warning: odd\nBEGIN {\n^~~~~\nscript.bt:4:1: error: worse\n\n^',
    );
  });
});
