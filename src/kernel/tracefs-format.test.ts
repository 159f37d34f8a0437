import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseTracepointFormat, TracefsError } from './tracefs-format.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../test/fixtures/tracefs/${name}.format`, import.meta.url), 'utf8');
}

const COMMON = [
  { name: 'common_type', type: 'unsigned short', offset: 0, size: 2, signed: false, isCommon: true },
  { name: 'common_flags', type: 'unsigned char', offset: 2, size: 1, signed: false, isCommon: true },
  { name: 'common_preempt_count', type: 'unsigned char', offset: 3, size: 1, signed: false, isCommon: true },
  { name: 'common_pid', type: 'int', offset: 4, size: 4, signed: true, isCommon: true },
];

describe('tracepoint format parsing', () => {
  it('parses sys_enter_openat, including a pointer field', () => {
    const format = parseTracepointFormat(fixture('sys_enter_openat'));
    assert.equal(format.name, 'sys_enter_openat');
    assert.equal(format.id, 782);
    assert.deepEqual(format.fields, [
      ...COMMON,
      { name: '__syscall_nr', type: 'int', offset: 8, size: 4, signed: true, isCommon: false },
      { name: 'dfd', type: 'int', offset: 16, size: 8, signed: false, isCommon: false },
      { name: 'filename', type: 'const char *', offset: 24, size: 8, signed: false, isCommon: false },
      { name: 'flags', type: 'int', offset: 32, size: 8, signed: false, isCommon: false },
      { name: 'mode', type: 'umode_t', offset: 40, size: 8, signed: false, isCommon: false },
    ]);
    assert.match(format.printFmt, /^"dfd: 0x%08lx, filename: 0x%08lx.*REC->mode\)\)$/);
  });

  it('parses sched_switch with fixed char arrays', () => {
    const format = parseTracepointFormat(fixture('sched_switch'));
    assert.equal(format.id, 372);
    const fields = format.fields.filter((f) => !f.isCommon);
    assert.deepEqual(fields.map((f) => f.name), [
      'prev_comm', 'prev_pid', 'prev_prio', 'prev_state', 'next_comm', 'next_pid', 'next_prio',
    ]);
    assert.deepEqual(fields[0], {
      name: 'prev_comm', type: 'char[16]', offset: 8, size: 16, signed: false, isCommon: false, arrayLength: 16,
    });
    assert.deepEqual(fields[3], { name: 'prev_state', type: 'long', offset: 32, size: 8, signed: true, isCommon: false });
    assert.deepEqual(fields[5], { name: 'next_pid', type: 'pid_t', offset: 56, size: 4, signed: true, isCommon: false });
  });

  it('parses a __data_loc string in sched_process_exec', () => {
    const format = parseTracepointFormat(fixture('sched_process_exec'));
    assert.deepEqual(format.fields.slice(4), [
      { name: 'filename', type: 'char[]', offset: 8, size: 4, signed: false, isCommon: false, dataLoc: 'data_loc' },
      { name: 'pid', type: 'pid_t', offset: 12, size: 4, signed: true, isCommon: false },
      { name: 'old_pid', type: 'pid_t', offset: 16, size: 4, signed: true, isCommon: false },
    ]);
    assert.equal(format.printFmt, '"filename=%s pid=%d old_pid=%d", __get_str(filename), REC->pid, REC->old_pid');
  });

  it('parses raw_syscalls:sys_enter with an array of longs', () => {
    const args = parseTracepointFormat(fixture('raw_syscalls_sys_enter')).fields.at(-1);
    assert.deepEqual(args, {
      name: 'args', type: 'unsigned long[6]', offset: 16, size: 48, signed: false, isCommon: false, arrayLength: 6,
    });
  });

  it('keeps multi-level pointer types whole', () => {
    const argv = parseTracepointFormat(fixture('sys_enter_execve')).fields.find((f) => f.name === 'argv');
    assert.equal(argv?.type, 'const char *const *');
    assert.equal(argv?.offset, 24);
  });

  it('handles flexible arrays, __rel_loc and non-numeric array lengths', () => {
    const text = [
      'name: synthetic',
      'ID: 7',
      'format:',
      '\tfield:unsigned long args[];\toffset:24;\tsize:0;\tsigned:0;',
      '\tfield:__rel_loc u8[] buf;\toffset:24;\tsize:4;\tsigned:0;',
      '\tfield:char comm[TASK_COMM_LEN];\toffset:28;\tsize:16;\tsigned:0;',
      '',
      'print fmt: "x"',
    ].join('\n');
    const [args, buf, comm] = parseTracepointFormat(text).fields;
    assert.equal(args.arrayLength, 0);
    assert.equal(args.type, 'unsigned long[]');
    assert.equal(buf.dataLoc, 'rel_loc');
    assert.equal(buf.type, 'u8[]');
    assert.equal(comm.type, 'char[TASK_COMM_LEN]');
    assert.equal(comm.arrayLength, undefined);
  });

  it('reports malformed text with its source and line', () => {
    assert.throws(() => parseTracepointFormat('ID: 3\n', 'x/format'), /x\/format: no "name:" line/);
    assert.throws(() => parseTracepointFormat('name: a\n', 'x/format'), /x\/format: no numeric "ID:" line/);
    assert.throws(
      () => parseTracepointFormat('name: a\nID: 1\n\tfield:int x;\toffset:zero;\n', 'x/format'),
      (e: unknown) => e instanceof TracefsError && /x\/format:3: cannot parse field line/.test(e.message),
    );
    assert.throws(
      () => parseTracepointFormat('name: a\nID: 1\n\tfield:int;\toffset:0;\tsize:4;\tsigned:1;\n'),
      /cannot split "int" into type and name/,
    );
  });
});
