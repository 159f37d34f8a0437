import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, printExpr, printType, Source, type CEnum, type CRecord, type PreambleItem } from './index.js';

function preamble(text: string): readonly PreambleItem[] {
  return parse(new Source('test.bt', `${text}\nBEGIN {}`)).preamble;
}

function record(text: string): CRecord {
  const [item] = preamble(text);
  assert.equal(item.kind, 'CRecord');
  return item;
}

/** Members as `name: type` lines. */
function members(definition: CRecord): string[] {
  return definition.members.map((m) => `${m.name}: ${printType(m.type)}${m.bitWidth ? ` : ${printExpr(m.bitWidth)}` : ''}`);
}

describe('preprocessor directives', () => {
  it('parses includes and defines', () => {
    const items = preamble('#include <linux/sched.h>\n#include "local.h"\n#define TASK_COMM_LEN 16\n#define MAX(a, b) ((a) > (b) ? (a) : (b))\n#define LONG \\\n  1 + \\\n  2\n#ifndef X');
    assert.deepEqual(
      items.map((item) => ({ ...item, span: undefined })),
      [
        { kind: 'Include', span: undefined, path: 'linux/sched.h', system: true },
        { kind: 'Include', span: undefined, path: 'local.h', system: false },
        { kind: 'Define', span: undefined, name: 'TASK_COMM_LEN', params: null, value: '16' },
        { kind: 'Define', span: undefined, name: 'MAX', params: ['a', 'b'], value: '((a) > (b) ? (a) : (b))' },
        { kind: 'Define', span: undefined, name: 'LONG', params: null, value: '1 +    2' },
        { kind: 'Directive', span: undefined, name: 'ifndef', text: '#ifndef X' },
      ],
    );
  });

  it('ignores a shebang on the first line only', () => {
    assert.deepEqual(preamble('#!/usr/bin/env bpftrace\n#include <a.h>').map((item) => item.kind), ['Include']);
  });
});

describe('C definitions', () => {
  it('parses members with pointers, arrays, multi-word types and qualifiers', () => {
    const definition = record(
      'struct task_info {\n  int pid;\n  const char *name, **argv;\n  char comm[TASK_COMM_LEN];\n  unsigned long long start_time;\n  struct task_struct *parent;\n  u8 flags[2][4];\n  volatile long state;\n};',
    );
    assert.equal(definition.tag, 'struct');
    assert.equal(definition.name, 'task_info');
    assert.deepEqual(members(definition), [
      'pid: int',
      'name: char *',
      'argv: char **',
      'comm: char[TASK_COMM_LEN]',
      'start_time: unsigned long long',
      'parent: struct task_struct *',
      'flags: u8[2][4]',
      'state: long',
    ]);
  });

  it('parses bit fields, unions and anonymous nested records', () => {
    const definition = record('union value {\n  unsigned int kind : 4;\n  struct { int lo; int hi; } parts;\n  struct { int a; };\n}');
    assert.equal(definition.tag, 'union');
    assert.deepEqual(members(definition), ['kind: unsigned int : 4', 'parts: struct <anonymous>', ': struct <anonymous>']);
    const inline = definition.members[1].type.record;
    assert.ok(inline);
    assert.deepEqual(members(inline), ['lo: int', 'hi: int']);
  });

  it('parses enums with and without values', () => {
    const [item] = preamble('enum state { RUNNING, SLEEPING = 1 << 2, STOPPED, };');
    assert.equal(item.kind, 'CEnum');
    const definition: CEnum = item;
    assert.deepEqual(
      definition.values.map((v) => `${v.name}${v.value ? '=' + printExpr(v.value) : ''}`),
      ['RUNNING', 'SLEEPING=(<< 1 2)', 'STOPPED'],
    );
  });

  it('keeps definitions and includes in source order', () => {
    const items = preamble('#include <a.h>\nstruct A { int x; };\n#define N 1\nunion B { int y; }\nenum C { Z };');
    assert.deepEqual(items.map((item) => item.kind), ['Include', 'CRecord', 'Define', 'CRecord', 'CEnum']);
  });
});
