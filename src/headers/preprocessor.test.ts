import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveIncludes } from './include-resolver.js';
import type { MacroTable } from './macro-table.js';

/** A fresh include tree: each key is a path under the root, each value the header text. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bpfscope-headers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function value(table: MacroTable, name: string): bigint | string | undefined {
  const found = table.lookup(name);
  if (found?.kind === 'unsupported') return `unsupported: ${found.reason}`;
  return found?.value;
}

describe('header preprocessing', () => {
  it('follows a chain of nested includes, quoted ones relative to the includer', () => {
    const root = tree({
      'top.h': '#include <mid/mid.h>\n#define TOP (MID + 1)',
      'mid/mid.h': '#include "leaf.h"\n#define MID (LEAF * 10)',
      'mid/leaf.h': '#define LEAF 4',
    });
    const table = resolveIncludes([{ path: 'top.h' }], { includeDirs: [root] });
    assert.deepEqual(table.issues, []);
    assert.equal(value(table, 'TOP'), 41n);
  });

  it('stops at an include cycle of unguarded headers', () => {
    const root = tree({ 'a.h': '#include <b.h>\n#define A 1', 'b.h': '#include <a.h>\n#define B (A + 1)' });
    const table = resolveIncludes([{ path: 'a.h' }], { includeDirs: [root] });
    assert.equal(value(table, 'A'), 1n);
    assert.equal(value(table, 'B'), 2n);
  });

  it('reports function-like and non-constant macros as unsupported, with the reason', () => {
    const root = tree({ 'f.h': '#define SQUARE(x) ((x) * (x))\n#define PTR ((void *)0)\n#define CALL getpid()\n#define TWICE SQUARE(3)' });
    const table = resolveIncludes([{ path: 'f.h' }], { includeDirs: [root] });
    assert.match(String(value(table, 'SQUARE')), /^unsupported: 'SQUARE\(x\)' is a function-like macro/);
    assert.match(String(value(table, 'PTR')), /pointer cast/);
    assert.match(String(value(table, 'CALL')), /function call/);
    assert.equal(value(table, 'TWICE'), 9n);
  });

  it('evaluates #if, #elif, #else, defined() and nested inactive branches', () => {
    const root = tree({
      'c.h': [
        '#define LEVEL 2',
        '#if LEVEL > 2',
        '# define PICK 1',
        '#elif defined(LEVEL) && LEVEL == 2',
        '# define PICK 2',
        '# if 0',
        '#  define HIDDEN 1',
        '# endif',
        '#else',
        '# define PICK 3',
        '#endif',
        '#ifdef __KERNEL__',
        '# define KERNEL_ONLY 1',
        '#endif',
        '#if defined __x86_64__ || defined __aarch64__',
        '# define SIXTY_FOUR 1',
        '#endif',
        '#if UNKNOWN_FUNCTION(1)',
        '# define BROKEN 1',
        '#endif',
        '#if 0 && 1 / 0',
        '#else',
        '# define SHORT_CIRCUIT 1',
        '#endif',
      ].join('\n'),
    });
    const table = resolveIncludes([{ path: 'c.h' }], { includeDirs: [root], arch: 'x64' });
    assert.equal(value(table, 'PICK'), 2n);
    assert.equal(value(table, 'HIDDEN'), undefined);
    assert.equal(value(table, 'KERNEL_ONLY'), undefined);
    assert.equal(value(table, 'SIXTY_FOUR'), 1n);
    assert.equal(value(table, 'BROKEN'), undefined);
    assert.equal(value(table, 'SHORT_CIRCUIT'), 1n);
  });

  it('supports #include_next, __has_include and #pragma once', () => {
    const root = tree({
      'first/x.h': '#pragma once\n#include_next <x.h>\n#define FIRST 1\n#if __has_include(<y.h>)\n#define HAS_Y 1\n#endif\n#if __has_include("nope.h")\n#define HAS_NOPE 1\n#endif',
      'second/x.h': '#define SECOND 2',
      'second/y.h': '',
    });
    const table = resolveIncludes([{ path: 'x.h' }, { path: 'x.h' }], { includeDirs: [join(root, 'first'), join(root, 'second')] });
    assert.equal(value(table, 'FIRST'), 1n);
    assert.equal(value(table, 'SECOND'), 2n);
    assert.equal(value(table, 'HAS_Y'), 1n);
    assert.equal(value(table, 'HAS_NOPE'), undefined);
  });

  it('collects enumerators, implicit values included', () => {
    const root = tree({ 'e.h': 'enum color {\n  RED,\n  GREEN = 5,\n  BLUE,\n#define BLUE BLUE\n};' });
    const table = resolveIncludes([{ path: 'e.h' }], { includeDirs: [root] });
    assert.deepEqual([value(table, 'RED'), value(table, 'GREEN'), value(table, 'BLUE')], [0n, 5n, 6n]);
  });

  it('reports a missing nested header with the includer as a warning', () => {
    const root = tree({ 'n.h': '#include <gone.h>\n#define STILL 1' });
    const table = resolveIncludes([{ path: 'n.h' }], { includeDirs: [root] });
    assert.equal(value(table, 'STILL'), 1n);
    assert.equal(table.issues.length, 1);
    assert.equal(table.issues[0].severity, 'warning');
    assert.match(table.issues[0].message, /cannot find <gone\.h> \(included from .*n\.h:1\)/);
  });
});
