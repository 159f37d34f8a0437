import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompileError, formatDiagnostics, parse, Source } from './index.js';

/** Parses `text` as script.bt and returns the rendered diagnostics plus the first code. */
function failure(text: string): { code: string; rendered: string } {
  const source = new Source('script.bt', text);
  try {
    parse(source);
  } catch (caught) {
    if (!(caught instanceof CompileError)) throw caught;
    return { code: caught.diagnostics[0].code, rendered: formatDiagnostics(source, caught.diagnostics) };
  }
  return assert.fail(`expected a syntax error in: ${text}`);
}

interface ErrorCase {
  readonly name: string;
  readonly text: string;
  readonly code: string;
  readonly rendered: readonly string[];
}

const CASES: readonly ErrorCase[] = [
  {
    name: 'missing call argument',
    text: 'BEGIN {\n    @x = count(;\n}',
    code: 'E0202',
    rendered: [
      "script.bt:2:16: error: unexpected ';', expected an expression",
      '    @x = count(;',
      '               ^',
    ],
  },
  {
    name: 'call left open at the end of the block',
    text: 'BEGIN {\n  @x = count(\n}',
    code: 'E0202',
    rendered: ["script.bt:3:1: error: unexpected '}', expected an expression", '}', '^'],
  },
  {
    name: 'missing semicolon between statements',
    text: 'BEGIN\n{\n\tprintf("%d\\n", pid) exit();\n}',
    code: 'E0203',
    rendered: [
      "script.bt:3:22: error: unexpected identifier 'exit', expected ';' or '}' after statement",
      '\tprintf("%d\\n", pid) exit();',
      '\t                    ^~~~',
    ],
  },
  {
    name: 'unterminated string literal',
    text: 'BEGIN { printf("hello\n"); }',
    code: 'E0102',
    rendered: [
      'script.bt:1:16: error: unterminated string literal',
      'BEGIN { printf("hello',
      '               ^~~~~~',
      'hint: a string must end on the line it starts; write \\n for a newline inside it',
    ],
  },
  {
    name: 'unknown escape sequence',
    text: 'BEGIN { printf("a\\qb"); }',
    code: 'E0103',
    rendered: [
      "script.bt:1:18: error: unknown escape sequence '\\q'",
      'BEGIN { printf("a\\qb"); }',
      '                 ^~',
      'hint: supported escapes: \\n \\t \\r \\a \\b \\f \\v \\\\ \\" \\\' \\? \\NNN (octal) \\xHH (hex); write \\\\ for a backslash',
    ],
  },
  {
    name: 'octal escape out of range',
    text: 'BEGIN { printf("\\777"); }',
    code: 'E0105',
    rendered: [
      "script.bt:1:17: error: octal escape sequence '\\777' is out of range",
      'BEGIN { printf("\\777"); }',
      '                ^~~~',
      'hint: an octal escape names one byte, at most \\377',
    ],
  },
  {
    name: 'integer with a bad suffix',
    text: 'BEGIN { $x = 12abc; }',
    code: 'E0106',
    rendered: [
      "script.bt:1:14: error: invalid integer literal '12abc': unknown suffix 'abc'",
      'BEGIN { $x = 12abc; }',
      '             ^~~~~',
    ],
  },
  {
    name: 'integer too large',
    text: 'BEGIN { $x = 18446744073709551616; }',
    code: 'E0107',
    rendered: [
      "script.bt:1:14: error: integer literal '18446744073709551616' does not fit in 64 bits",
      'BEGIN { $x = 18446744073709551616; }',
      '             ^~~~~~~~~~~~~~~~~~~~',
    ],
  },
  {
    name: 'predicate not closed',
    text: 'kprobe:f /pid == 1 { }',
    code: 'E0205',
    rendered: [
      "script.bt:1:20: error: unexpected '{', expected '/' to end the predicate",
      'kprobe:f /pid == 1 { }',
      '                   ^',
      'hint: the predicate starts at line 1, column 10',
    ],
  },
  {
    name: 'block never closed',
    text: 'kprobe:f { @x = 1;',
    code: 'E0201',
    rendered: [
      "script.bt:1:19: error: unexpected end of input, expected '}'",
      'kprobe:f { @x = 1;',
      '                  ^',
      'hint: the block opened at line 1, column 10 is never closed',
    ],
  },
  {
    name: 'block without an attach point',
    text: '{ @x = 1; }',
    code: 'E0204',
    rendered: [
      "script.bt:1:1: error: unexpected '{', expected an attach point",
      '{ @x = 1; }',
      '^',
      'hint: a probe starts with an attach point such as BEGIN, kprobe:vfs_read or tracepoint:syscalls:sys_enter_openat',
    ],
  },
  {
    name: 'assignment to a builtin',
    text: 'BEGIN { pid = 1; }',
    code: 'E0206',
    rendered: [
      'script.bt:1:9: error: cannot assign to this expression',
      'BEGIN { pid = 1; }',
      '        ^~~',
      'hint: only scratch variables ($x) and maps (@x, @x[key]) can be assigned',
    ],
  },
  {
    name: 'increment of an expression',
    text: 'BEGIN { (1 + 2)++; }',
    code: 'E0207',
    rendered: [
      "script.bt:1:9: error: '++' can only be applied to a $variable or an @map",
      'BEGIN { (1 + 2)++; }',
      '        ^~~~~~~',
    ],
  },
  {
    name: 'dollar without a name',
    text: 'BEGIN { $ = 1; }',
    code: 'E0109',
    rendered: [
      "script.bt:1:9: error: expected a variable name or parameter number after '$'",
      'BEGIN { $ = 1; }',
      '        ^',
      'hint: variables are written $name, positional parameters $1, $2, … and their count $#',
    ],
  },
  {
    name: 'invalid character',
    text: 'BEGIN { $x = `a`; }',
    code: 'E0101',
    rendered: ["script.bt:1:14: error: invalid character '`'", 'BEGIN { $x = `a`; }', '             ^'],
  },
  {
    name: 'directive after a probe',
    text: 'BEGIN { }\n#include <linux/sched.h>',
    code: 'E0210',
    rendered: [
      'script.bt:2:1: error: C definitions and preprocessor directives must come before the first probe',
      '#include <linux/sched.h>',
      '^~~~~~~~~~~~~~~~~~~~~~~~',
    ],
  },
  {
    name: 'unterminated block comment',
    text: 'BEGIN { /* never closed }',
    code: 'E0108',
    rendered: ['script.bt:1:9: error: unterminated comment', 'BEGIN { /* never closed }', '        ^~'],
  },
  {
    name: 'cast without an operand',
    text: 'BEGIN { $x = (uint8); }',
    code: 'E0202',
    rendered: [
      "script.bt:1:21: error: unexpected ';', expected an expression to cast to 'uint8'",
      'BEGIN { $x = (uint8); }',
      '                    ^',
    ],
  },
  {
    name: 'member declaration without a semicolon',
    text: 'struct X {\n  int a\n};\nBEGIN {}',
    code: 'E0201',
    rendered: ["script.bt:3:1: error: unexpected '}', expected ';' after the member declaration", '};', '^'],
  },
  {
    name: 'function pointer member',
    text: 'struct ops { void (*run)(int); };',
    code: 'E0209',
    rendered: [
      'script.bt:1:19: error: function pointer members are not supported',
      'struct ops { void (*run)(int); };',
      '                  ^',
      "hint: declare the member as a plain pointer instead, e.g. 'void *callback;'",
    ],
  },
  {
    name: 'malformed include',
    text: '#include linux/sched.h\nBEGIN {}',
    code: 'E0211',
    rendered: [
      'script.bt:1:1: error: expected <file> or "file" after \'#include\'',
      '#include linux/sched.h',
      '^~~~~~~~~~~~~~~~~~~~~~',
    ],
  },
  {
    name: 'unterminated quote in an attach point',
    text: 'uprobe:"/bin/bash:readline { }',
    code: 'E0110',
    rendered: ['script.bt:1:8: error: unterminated quoted attach point', 'uprobe:"/bin/bash:readline { }', '       ^'],
  },
];

describe('syntax errors', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const { code, rendered } = failure(testCase.text);
      assert.equal(rendered, testCase.rendered.join('\n'));
      assert.equal(code, testCase.code);
    });
  }

  it('summarises the first diagnostic in the error message', () => {
    const source = new Source('stdin', 'BEGIN { @x = ; }');
    assert.throws(() => parse(source), {
      name: 'CompileError',
      message: "stdin:1:14: unexpected ';', expected an expression",
    });
  });
});
