// `for ($kv : @map)` and len(@map) without a kernel: what the checker accepts and rejects, and how the
// callbacks they compile to are laid out after the program's code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PseudoLoad, isWideLoad, labelPositions, slots } from '../asm/index.js';
import { CompileError, DiagnosticCode, formatDiagnostics } from '../lang/index.js';
import type { CompiledProgram } from './compiled-script.js';
import { compileText } from './testing/fake-providers.js';

function firstError(text: string): { code: string; message: string } {
  try {
    compileText(text);
  } catch (caught) {
    if (!(caught instanceof CompileError)) throw caught;
    return caught.diagnostics[0];
  }
  return assert.fail(`expected a compile error for: ${text}`);
}

function compiles(text: string): CompiledProgram {
  try {
    return compileText(text).programs[0];
  } catch (caught) {
    if (caught instanceof CompileError) assert.fail(formatDiagnostics(caught.source, caught.diagnostics));
    throw caught;
  }
}

describe('for loops and len() are checked', () => {
  const rejected: readonly [string, string, string, RegExp][] = [
    ['a range', 'BEGIN { for ($i : 0..5) { } }', DiagnosticCode.Unsupported, /for loops over a range are not supported yet/],
    ['a map never assigned', 'BEGIN { for ($kv : @nope) { } }', DiagnosticCode.UnknownMap, /@nope is used but never assigned/],
    ['a map without keys', 'BEGIN { @x = 1; for ($kv : @x) { } }', DiagnosticCode.InvalidOperation, /needs a map with keys/],
    ['a histogram', 'BEGIN { @h[1] = hist(3); for ($kv : @h) { } }', DiagnosticCode.InvalidOperation, /cannot iterate over hist\(\) map @h/],
    ['an average', 'BEGIN { @a[1] = avg(3); for ($kv : @a) { } }', DiagnosticCode.InvalidOperation, /cannot iterate over avg\(\) map @a/],
    ['a per-CPU minimum', 'BEGIN { @lo[1] = min(3); for ($kv : @lo) { } }', DiagnosticCode.InvalidOperation, /cannot iterate over min\(\) map @lo/],
    ['return in the body', 'BEGIN { @m[1] = 1; for ($kv : @m) { return; } }', DiagnosticCode.MisplacedStatement, /'return' is not allowed in a for loop/],
    ['a loop variable hiding a variable', 'BEGIN { $kv = 1; @m[1] = 1; for ($kv : @m) { } }', DiagnosticCode.TypeMismatch, /would hide the variable/],
    ['the loop variable after the loop', 'BEGIN { @m[1] = 1; for ($kv : @m) { } print($kv); }', DiagnosticCode.UnknownVariable, /\$kv is used before/],
    ['a variable first assigned in the body, after the loop', 'BEGIN { @m[1] = 1; for ($kv : @m) { $x = 1; } print($x); }', DiagnosticCode.UnknownVariable, /\$x is used before/],
    ['a tuple index past (key, value)', 'BEGIN { @m[1] = 1; for ($kv : @m) { print($kv.2); } }', DiagnosticCode.InvalidOperation, /tuple index 2 is out of range/],
    ['len() of an expression', 'BEGIN { @m[1] = 1; $x = len(@m[1]); }', DiagnosticCode.WrongArgumentType, /len\(\) expects a map/],
    ['len() of a histogram', 'BEGIN { @h[1] = hist(3); $x = len(@h); }', DiagnosticCode.InvalidOperation, /entries of hist\(\) map @h are buckets/],
  ];
  for (const [what, text, code, message] of rejected) {
    it(`rejects ${what}`, () => {
      const found = firstError(text);
      assert.equal(found.code, code, found.message);
      assert.match(found.message, message);
    });
  }

  it('types $kv as (key, value), the key a tuple when the map has several', () => {
    compiles(`BEGIN {
      @m["a", 1] = (uint32)7; @c[comm] = count();
      for ($kv : @m) { $s = $kv.0.0; $n = $kv.0.1 + $kv.1; }
      for ($kv : @c) { printf("%s %d\\n", $kv.0, $kv.1); break; }
      for ($kv : @m) { if ($kv.1 > 3) { continue; } }
    }`);
  });
});

describe('callbacks', () => {
  it('a program without callbacks has no functions to describe, so it loads without BTF', () => {
    assert.equal(compiles('BEGIN { @m[1] = 1; $i = 0; while ($i < 3) { $i++; } }').functions, undefined);
  });

  it('follow the program, each at the slot its function address load points to', () => {
    const program = compiles(`BEGIN {
      @m[1] = 1; @n[2] = 2; $total = len(@m) + len(@n);
      for ($a : @m) { for ($b : @n) { $total += $a.1 * $b.1; } }
    }`);
    const functions = program.functions ?? assert.fail('no functions');
    assert.deepEqual(functions.map((f) => f.signature), ['program', 'map-callback', 'map-callback', 'map-callback']);
    assert.deepEqual(functions[0], { name: 'BEGIN', offset: 0, signature: 'program' });
    assert.equal(new Set(functions.map((f) => f.name)).size, functions.length, 'names are unique');
    // Every function address load points at the start of a function; len()'s counter is shared.
    const positions = labelPositions(program.instructions);
    const targets = program.instructions.filter((insn) => isWideLoad(insn) && insn.src === PseudoLoad.FUNC)
      .map((insn) => positions.get(insn.target ?? ''));
    assert.equal(targets.length, 4);
    assert.deepEqual([...new Set(targets)].sort((a, b) => (a ?? 0) - (b ?? 0)), functions.slice(1).map((f) => f.offset));
    const total = program.instructions.reduce((sum, insn) => sum + slots(insn), 0);
    assert.ok(functions.every((f, i) => f.offset < (functions[i + 1]?.offset ?? total)), 'functions are in order');
  });
});
