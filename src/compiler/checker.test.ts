import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompileError, DiagnosticCode, formatDiagnostics } from '../lang/index.js';
import { compileText } from './testing/fake-providers.js';

/** Compiles and returns the first diagnostic, failing when the script compiles. */
function firstError(text: string, options: Parameters<typeof compileText>[1] = {}): { code: string; message: string; hints: readonly string[]; rendered: string } {
  try {
    compileText(text, options);
  } catch (caught) {
    if (!(caught instanceof CompileError)) throw caught;
    const [first] = caught.diagnostics;
    return { ...first, rendered: formatDiagnostics(caught.source, caught.diagnostics) };
  }
  return assert.fail(`expected a compile error for: ${text}`);
}

describe('checker rejects', () => {
  const cases: readonly [string, string, string, RegExp][] = [
    ['an unknown function', 'BEGIN { foo(1); }', DiagnosticCode.UnknownFunction, /unknown function 'foo'/],
    ['a wrong argument count', 'BEGIN { @x = lhist(1, 2); }', DiagnosticCode.WrongArgumentCount, /lhist\(\) takes 4 arguments, 2 given/],
    ['printf with too few arguments', 'BEGIN { printf("%d %s\\n", 1); }', DiagnosticCode.WrongArgumentCount, /2 conversions but 1 argument/],
    ['printf %d of a string', 'BEGIN { printf("%d\\n", "a"); }', DiagnosticCode.WrongArgumentType, /%d expects an integer/],
    ['a map read that is never assigned', 'BEGIN { printf("%d\\n", @nope); }', DiagnosticCode.UnknownMap, /@nope is used but never assigned/],
    ['a variable used before assignment', 'BEGIN { @x = $y; $y = 1; }', DiagnosticCode.UnknownVariable, /\$y is used before it is assigned/],
    ['a map value type change', 'BEGIN { @x = 1; @x = "a"; }', DiagnosticCode.TypeMismatch, /type mismatch for @x: it holds int64, here assigned string\[2\]/],
    ['a map aggregation change', 'BEGIN { @x = count(); @x = sum(1); }', DiagnosticCode.TypeMismatch, /it holds count\(\), here sum\(\)/],
    ['a map key type change', 'BEGIN { @x[1] = 1; @x["a"] = 1; }', DiagnosticCode.TypeMismatch, /keys of type int64 elsewhere, here string\[2\]/],
    ['an unknown identifier', 'BEGIN { @x = pidd; }', DiagnosticCode.UnknownBuiltin, /unknown identifier 'pidd'/],
    ['retval outside return probes', 'tracepoint:syscalls:sys_enter_openat { @x = retval; }', DiagnosticCode.BuiltinNotAvailable, /retval is only available in return probes/],
    ['args where the probe has none', 'BEGIN { @x = args.foo; }', DiagnosticCode.BuiltinNotAvailable, /BEGIN probes have no args/],
    ['an unsafe function without --unsafe', 'BEGIN { system("ls"); }', DiagnosticCode.UnsafeFunction, /system\(\) is an unsafe function/],
    ['an unknown probe type', 'nosuch:thing { exit(); }', DiagnosticCode.UnknownProbe, /unknown probe type 'nosuch'/],
    ['a probe that matches nothing', 'tracepoint:nope:nope { exit(); }', DiagnosticCode.UnknownProbe, /tracepoint not found/],
    ['an aggregation outside a map assignment', 'BEGIN { $x = count(); }', DiagnosticCode.InvalidOperation, /count\(\) must be assigned to a map/],
    ['break outside a loop', 'BEGIN { break; }', DiagnosticCode.MisplacedStatement, /break outside of a loop/],
    ['string arithmetic', 'BEGIN { @x = "a" + 1; }', DiagnosticCode.TypeMismatch, /'\+' cannot combine string\[2\] and int64/],
    ['an unknown struct in a cast', 'BEGIN { @x = ((struct nosuch *)0)->a; }', DiagnosticCode.UnknownType, /unknown struct nosuch/],
    ['a constant index past the end of an array in memory', 'struct S { int e[2]; } BEGIN { @x = ((struct S *)0)->e[2]; }', DiagnosticCode.InvalidOperation, /the index 2 is out of bounds for array of size 2/],
    ['a negative constant index into an array in memory', 'struct S { int e[2][3]; } BEGIN { @x = ((struct S *)0)->e[1][-1]; }', DiagnosticCode.InvalidOperation, /the index -1 is out of bounds for array of size 3/],
    ['an index into a string', 'BEGIN { @x = comm[1]; }', DiagnosticCode.InvalidOperation, /cannot index string\[16\]/],
    ['non-constant lhist bounds', 'BEGIN { $m = 5; @x = lhist(1, 0, $m, 1); }', DiagnosticCode.NotConstant, /lhist\(\) bounds and step must be constants/],
  ];
  for (const [what, text, code, message] of cases) {
    it(what, () => {
      const found = firstError(text);
      assert.equal(found.code, code, found.rendered);
      assert.match(found.message, message);
    });
  }

  it('ncpus when the caller did not give the CPU count, or it cannot be read', () => {
    const found = firstError('BEGIN { @x = ncpus; }', { ncpus: undefined });
    assert.equal(found.code, DiagnosticCode.BuiltinNotAvailable, found.rendered);
    assert.match(found.message, /ncpus is unknown: the compiler was not told/);
    const unreadable = firstError('BEGIN { @x = ncpus; }', { ncpus: () => { throw new Error('no /sys'); } });
    assert.match(unreadable.message, /ncpus is unknown: no \/sys/);
  });

  it('an unknown args field, suggesting the closest name', () => {
    const found = firstError('tracepoint:syscalls:sys_enter_openat { @x = args.filname; }');
    assert.equal(found.code, DiagnosticCode.UnknownField);
    assert.match(found.message, /tracepoint:syscalls:sys_enter_openat has no field 'filname'/);
    assert.deepEqual(found.hints, ["did you mean 'filename'?"]);
  });

  it('an unknown preamble struct member, suggesting the closest name', () => {
    const found = firstError('struct S { int count; long total; }\nBEGIN { @x = ((struct S *)0)->totl; }');
    assert.equal(found.code, DiagnosticCode.UnknownField);
    assert.deepEqual(found.hints, ["did you mean 'total'?"]);
  });

  /** Scripts with every diagnostic they get, rendered: each once, at its span, with its hints. */
  const located: readonly [string, string, readonly string[]][] = [
    ['with the span of the offending node', 'BEGIN {\n  printf("%d\\n", nope);\n}', [
      "test.bt:2:18: error: unknown identifier 'nope'",
      '  printf("%d\\n", nope);',
      '                 ^~~~',
    ]],
    ['from the opening parenthesis of a parenthesised expression', 'struct s { int a; }\nBEGIN { $x = ((struct s *)0)->pair; }', [
      "test.bt:2:14: error: struct s has no field 'pair'",
      'BEGIN { $x = ((struct s *)0)->pair; }',
      '             ^~~~~~~~~~~~~~~~~~~~~',
    ]],
    ['at the assignment that copies a struct with bitfields into a variable, and only there',
      'struct b { int x:3; int y; }\nBEGIN { $b = *(struct b *)0; @y = $b.y; }', [
        'test.bt:2:9: error: struct b has bitfields, so it cannot be copied into a variable',
        'BEGIN { $b = *(struct b *)0; @y = $b.y; }',
        '        ^~~~~~~~~~~~~~~~~~~',
        'hint: keep the pointer it was read through and read its members from that, e.g. $t = curtask; $t->pid',
      ]],
    ['at an index into a char array, which is read as a string, as bpftrace 0.17 has it',
      'struct S { char name[16]; }\nBEGIN { @c = ((struct S *)0)->name[20]; }', [
        'test.bt:2:14: error: cannot index string[16]',
        'BEGIN { @c = ((struct S *)0)->name[20]; }',
        '             ^~~~~~~~~~~~~~~~~~~~~~~~~',
        'hint: [] applies to arrays and pointers; a char array is read as a string',
      ]],
  ];
  for (const [what, text, rendered] of located) {
    it(what, () => assert.equal(firstError(text).rendered, rendered.join('\n')));
  }
});

describe('checker accepts', () => {
  const scripts = [
    // A map read in a probe that comes before the one assigning it.
    'END { printf("%d\\n", @start[1]); } BEGIN { @start[1] = nsecs; }',
    'BEGIN { @x = 1; @x = -5; @s = "a"; @s = "longer"; }',
    'tracepoint:syscalls:sys_enter_openat /args.flags & 1/ { @[str(args.filename)] = count(); }',
    'uretprobe:/bin/sh:readline { printf("%s\\n", str(retval)); @[arg0] = sum(retval); }',
    'rawtracepoint:sched_switch { @[arg1] = count(); }',
    'BEGIN { system("echo %d", 1); }',
    'BEGIN { @x = ncpus * 2; }',
    '#define LIMIT 10\nenum e { A, B = 5, C };\nBEGIN { @x = LIMIT + C + TASK_INTERRUPTIBLE; }',
    // Indices computed at run time into memory, and any constant into a flexible array member.
    'struct S { int n; int e[2]; int f[0]; } BEGIN { $i = 5; @x = ((struct S *)0)->e[$i] + ((struct S *)0)->e[1] + ((struct S *)0)->f[7]; }',
  ];
  for (const text of scripts) {
    it(text, () => {
      try {
        compileText(text, { unsafe: true });
      } catch (caught) {
        if (caught instanceof CompileError) assert.fail(formatDiagnostics(caught.source, caught.diagnostics));
        throw caught;
      }
    });
  }
});

describe('warnings', () => {
  /** Each warning with its span's offsets, in order. */
  const warnings = (text: string, options: Parameters<typeof compileText>[1] = {}): string[] =>
    (compileText(text, options).warnings ?? []).map((w) => `${w.severity} at ${w.span.start}-${w.span.end}: ${w.message}`);
  const comparison = (left: string, right: string): string =>
    `comparison of integers of different signs: '${left}' and '${right}' can lead to undefined behavior`;
  const arithmetic = (left: string, right: string): string =>
    `arithmetic on integers of different signs: '${left}' and '${right}' can lead to undefined behavior`;
  const signedOperands = (op: string): string => `signed operands for '${op}' can lead to undefined behavior (cast to unsigned to silence warning)`;

  it('prints them located at the operator, in the form of errors', () => {
    const text = 'BEGIN { $a = (uint64)1; $b = -1; if ($a < $b) {} }';
    const script = compileText(text);
    assert.equal(formatDiagnostics(script.source!, script.warnings ?? []), [
      `test.bt:1:41: warning: ${comparison('unsigned int64', 'int64')}`,
      text,
      '                                        ^',
    ].join('\n'));
  });

  it('warns about division and modulo with a signed operand that is not a literal, as bpftrace 0.17 does', () => {
    assert.deepEqual(warnings('BEGIN { $x = -10; @a = $x / 3; @b = (uint64)$x % 3; @c = $x % 4; @d = 100 / 7 % 3; @e = (uint64)5 / $x; }'), [
      `warning at 26-27: ${signedOperands('/')}`,
      `warning at 60-61: ${signedOperands('%')}`,
      `warning at 78-79: ${signedOperands('%')}`,
      `warning at 98-99: ${arithmetic('unsigned int64', 'int64')}`,
      `warning at 98-99: ${signedOperands('/')}`,
    ], 'literals count as unsigned (100 / 7 is quiet), the int64 quotient does not');
  });

  it('warns about comparing integers of different signs unless the signed side is a literal', () => {
    assert.deepEqual(warnings('BEGIN { $u = (uint64)1; $s = -1; @ = ($u < 1) + (1 > $u) + ($u == $s) + ($u >= -1) + ((int32)$s != (uint8)2); }'), [
      `warning at 63-65: ${comparison('unsigned int64', 'int64')}`,
      `warning at 76-78: ${comparison('unsigned int64', 'int64')}`,
      `warning at 96-98: ${comparison('int32', 'unsigned int8')}`,
    ], '-1 is a negation, not a literal');
  });

  it('warns about arithmetic on integers of different signs, not about bitwise operations, shifts or pointers', () => {
    assert.deepEqual(warnings('BEGIN { $u = (uint16)1; $s = -1; @ = ($u - $s) + ($u * 2) + ($u & $s) + ($u << $s) + ($u | -1); $p = (uint8 *)0; $q = $p + $s; }'), [
      `warning at 41-42: ${arithmetic('unsigned int16', 'int64')}`,
    ]);
  });

  it('takes positional parameters and non-negative #define and enum constants for literals, as bpftrace does', () => {
    const text = '#define N 5\n#define M -5\nenum { E = 3 };\nBEGIN { @ = (pid > N) + (pid < E) + (pid == $1) + (pid / $#) + (pid > M); }';
    const [, , , line] = text.split('\n');
    const at = text.length - line.length + line.lastIndexOf('>');
    assert.deepEqual(warnings(text, { params: ['-7'] }), [`warning at ${at}-${at + 1}: ${comparison('unsigned int64', 'int64')}`],
      'only M, which the preprocessor makes a negation');
  });

  it('names rand unsigned int64, as bpftrace 0.17 types it', () => {
    assert.deepEqual(warnings('BEGIN { $a = -1; if (rand < $a) {} $r = rand; @ = $r > $a; }'), [
      `warning at 26-27: ${comparison('unsigned int64', 'int64')}`,
      `warning at 53-54: ${comparison('unsigned int64', 'int64')}`,
    ]);
  });

  it('names a variable by the integer type it was first assigned', () => {
    assert.deepEqual(warnings('BEGIN { $a = (uint32)1; $a = (uint64)2; $b = (int8)-1; @ = $a >= $b; }'), [
      `warning at 62-64: ${comparison('unsigned int32', 'int8')}`,
    ]);
  });

  it('warns about compound assignments as the operation they stand for, at their operator', () => {
    assert.deepEqual(warnings('BEGIN { $a = (uint64)1; $b = -1; $a += $b; @m = (uint64)1; @m -= $b; $b /= 2; $a <<= $b; }'), [
      `warning at 36-38: ${arithmetic('unsigned int64', 'int64')}`,
      `warning at 62-64: ${arithmetic('unsigned int64', 'int64')}`,
      `warning at 72-74: ${signedOperands('/')}`,
    ]);
  });

  it('warns once about a probe compiled into several programs', () => {
    const text = 'tracepoint:syscalls:sys_enter_openat, rawtracepoint:sched_switch { $s = -1; @ = (uint64)1 < $s; }';
    assert.equal(compileText(text).programs.length, 2);
    assert.deepEqual(warnings(text), [`warning at 90-91: ${comparison('unsigned int64', 'int64')}`]);
  });
});
