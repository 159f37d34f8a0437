import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { KERNEL_BTF_PATH, loadKernelBtf } from './index.js';

const skip = existsSync(KERNEL_BTF_PATH) ? false : `${KERNEL_BTF_PATH} is absent (kernel without BTF)`;

describe('kernel BTF', { skip }, () => {
  it('is loaded once per process', () => {
    assert.equal(loadKernelBtf(), loadKernelBtf());
    assert.ok(loadKernelBtf().typeCount > 10_000);
  });

  it('gives vfs_read its C prototype with parameter names', () => {
    const btf = loadKernelBtf();
    const proto = btf.functionPrototype('vfs_read');
    assert.deepEqual(proto.params.map((p) => p.name), ['file', 'buf', 'count', 'pos']);
    assert.deepEqual(proto.params.map((p) => btf.typeName(p.type)), ['struct file *', 'char *', 'size_t', 'loff_t *']);
    assert.equal(btf.typeName(proto.returnType), 'ssize_t');
    assert.equal(btf.typeName(proto.id), 'ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)');
  });

  it('lays out task_struct.pid as a signed 4-byte pid_t after the state and before tgid', () => {
    const btf = loadKernelBtf();
    const task = btf.expectType('task_struct', 'struct');
    const pid = btf.member(task.id, 'pid');
    // Renamed from `state` to `__state` in Linux 5.14.
    const state = btf.members(task.id).some((m) => m.name === '__state') ? '__state' : 'state';
    const tgid = btf.member(task.id, 'tgid');
    assert.equal(btf.typeName(pid.type), 'pid_t');
    assert.equal(btf.sizeOf(pid.type), 4);
    assert.equal(btf.isSigned(pid.type), true);
    assert.equal(pid.bitfieldSize, 0);
    assert.equal(pid.bitOffset % 32, 0);
    assert.ok(btf.member(task.id, state).offset < pid.offset);
    assert.equal(tgid.offset, pid.offset + 4);
    assert.ok(pid.offset + 4 <= btf.sizeOf(task.id));
  });

  it('parses bitfield members with their width and consecutive bit offsets', () => {
    const btf = loadKernelBtf();
    const task = btf.expectType('task_struct', 'struct');
    const first = btf.member(task.id, 'sched_reset_on_fork');
    const second = btf.member(task.id, 'sched_contributes_to_load');
    assert.equal(first.bitfieldSize, 1);
    assert.equal(second.bitfieldSize, 1);
    assert.equal(second.bitOffset, first.bitOffset + 1);
    assert.equal(btf.typeName(first.type), 'unsigned int');
  });

  it('types the sched_switch tp_btf arguments from btf_trace_sched_switch', () => {
    const btf = loadKernelBtf();
    const params = btf.findTracepointType('sched_switch');
    assert.ok(params !== undefined);
    assert.deepEqual(
      params.map((p) => btf.typeName(p.type, p.name)),
      ['bool preempt', 'struct task_struct *prev', 'struct task_struct *next', 'unsigned int prev_state'],
    );
  });

  it('decodes and renders every type in vmlinux', () => {
    const btf = loadKernelBtf();
    const kinds = new Set<string>();
    for (let id = 0; id < btf.typeCount; id++) {
      kinds.add(btf.type(id).kind);
      assert.notEqual(btf.typeName(id), '', `type ${id}`);
    }
    for (const kind of ['int', 'ptr', 'array', 'struct', 'union', 'enum', 'typedef', 'const', 'func', 'func_proto']) {
      assert.ok(kinds.has(kind), kind);
    }
  });
});
