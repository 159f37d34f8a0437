import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { disassemble } from '../asm/index.js';
import { DiagnosticCode } from '../lang/index.js';
import { ptRegsOffset } from '../syscalls/index.js';
import { compileError, compileText } from './testing/fake-providers.js';

describe('reg()', () => {
  it('knows the x86_64 pt_regs offsets', () => {
    assert.equal(ptRegsOffset('r15', 'x64'), 0);
    assert.equal(ptRegsOffset('ax', 'x64'), 80);
    assert.equal(ptRegsOffset('di', 'x64'), 112);
    assert.equal(ptRegsOffset('ip', 'x64'), 128);
    assert.equal(ptRegsOffset('ss', 'x64'), 160);
    assert.equal(ptRegsOffset('rip', 'x64'), undefined);
    assert.equal(ptRegsOffset('ip', 'riscv64'), undefined);
  });

  it('loads the register from the context', { skip: process.arch !== 'x64' && 'the offsets are x86_64 ones' }, () => {
    const script = compileText('uretprobe:/bin/true:main { @ = reg("ip"); }');
    assert.match(disassemble(script.programs[0].instructions), /r6 = \*\(u64 \*\)\(r6 \+128\)/);
  });

  it('rejects an unknown register, suggesting the close one', { skip: process.arch !== 'x64' && 'the names are x86_64 ones' }, () => {
    const found = compileError('uretprobe:/bin/true:main { @ = reg("rip"); }');
    assert.equal(found.code, DiagnosticCode.WrongArgumentType);
    assert.match(found.message, /'rip' is not a register/);
    assert.deepEqual(found.hints, ["did you mean 'ip'?"]);
    assert.equal(found.located, '"rip"');
  });

  it('rejects probes without pt_regs', () => {
    for (const probe of ['BEGIN', 'tracepoint:syscalls:sys_enter_openat', 'rawtracepoint:sched_switch']) {
      const found = compileError(`${probe} { @ = reg("ip"); }`);
      assert.equal(found.code, DiagnosticCode.BuiltinNotAvailable, probe);
      assert.match(found.message, /reg\(\) is not available in \w+ probes/);
      assert.equal(found.located, 'reg("ip")');
    }
  });

  it('takes only a string literal', () => {
    assert.equal(compileError('uretprobe:/bin/true:main { $r = "ip"; @ = reg($r); }').code, DiagnosticCode.NotConstant);
  });
});

describe('macaddr()', () => {
  it('reads six bytes through a pointer, or from a 6-byte array', () => {
    const script = compileText(`struct six { unsigned char bytes[6]; }
tracepoint:syscalls:sys_enter_openat { printf("%s %s\\n", macaddr(args.filename), macaddr(((struct six *)args.filename)->bytes)); }`);
    assert.deepEqual(script.printfs[0].args, [{ kind: 'macaddr' }, { kind: 'macaddr' }]);
    // Both read the user-space filename: the array lives where its user pointer points.
    assert.equal(disassemble(script.programs[0].instructions).match(/r2 = 6\n.*\n.*call bpf_probe_read_user#/g)?.length, 2);
  });

  it('is a map key and value', () => {
    const script = compileText('tracepoint:syscalls:sys_enter_openat { @[macaddr(args.filename)] = macaddr(args.filename); }');
    const map = script.maps.find((m) => m.name === '@');
    assert.deepEqual([map?.keySize, map?.valueSize], [6, 6]);
  });

  it('rejects arrays of another size, string literals and non-addresses', () => {
    const wrongSize = compileError('struct s { int pair[2]; } BEGIN { $s = (struct s *)0; @ = macaddr($s->pair); }');
    assert.equal(wrongSize.code, DiagnosticCode.WrongArgumentType);
    assert.match(wrongSize.message, /macaddr\(\) expects 6 bytes, and this int32\[2\] has 8/);
    assert.equal(wrongSize.located, '$s->pair');
    assert.match(compileError('BEGIN { @ = macaddr("abcde"); }').message, /does not take a string literal/);
    assert.match(compileError('BEGIN { @ = macaddr((1, 2)); }').message, /expects a pointer or a 6-byte array, not \(int64, int64\)/);
  });
});


describe('cgroupid()', () => {
  const cgroupIds = (path: string): { id: bigint } | { problem: string } =>
    path === '/sys/fs/cgroup/app' ? { id: 4242n } : { problem: 'does not exist' };

  it('is the id the lookup gives, as a constant', () => {
    const script = compileText('BEGIN { @ = cgroup == cgroupid("/sys/fs/cgroup/app"); }', { cgroupIds });
    assert.match(disassemble(script.programs[0].instructions), /if r6 == 0x1092 goto/);
  });

  it('rejects a path the lookup does not know, at the path', () => {
    const found = compileError('BEGIN { @ = cgroupid("/sys/fs/cgroup/nope"); }', { cgroupIds });
    assert.equal(found.code, DiagnosticCode.WrongArgumentType);
    assert.equal(found.message, 'cgroupid(): /sys/fs/cgroup/nope does not exist');
    assert.equal(found.located, '"/sys/fs/cgroup/nope"');
  });

  it('takes only a string literal, and needs the lookup', () => {
    assert.equal(compileError('BEGIN { $p = "/sys/fs/cgroup/app"; @ = cgroupid($p); }', { cgroupIds }).code, DiagnosticCode.NotConstant);
    assert.match(compileError('BEGIN { @ = cgroupid("/sys/fs/cgroup/app"); }').message, /needs cgroup lookups/);
  });
});

describe('kstack() and ustack()', () => {
  const stackOf = (call: string): unknown =>
    compileText(`tracepoint:syscalls:sys_enter_openat { printf("%s", ${call}); }`).printfs[0].args[0];

  it('take a mode, a limit, or both', () => {
    assert.deepEqual(stackOf('kstack'), { kind: 'kstack', limit: 127, mode: 'bpftrace' });
    assert.deepEqual(stackOf('kstack(perf)'), { kind: 'kstack', limit: 127, mode: 'perf' });
    assert.deepEqual(stackOf('ustack(5)'), { kind: 'ustack', limit: 5, mode: 'bpftrace' });
    assert.deepEqual(stackOf('ustack(perf, 3)'), { kind: 'ustack', limit: 3, mode: 'perf' });
    assert.deepEqual(stackOf('kstack(bpftrace, 2)'), { kind: 'kstack', limit: 2, mode: 'bpftrace' });
  });

  it('reject an unknown mode, a limit before the mode, and a limit out of range', () => {
    const unknown = compileError('BEGIN { @ = kstack(raw); }');
    assert.equal(unknown.message, "unknown stack mode 'raw'");
    assert.equal(unknown.located, 'raw');
    assert.match(compileError('BEGIN { @ = kstack(3, perf); }').message, /the first of two kstack\(\) arguments is the mode/);
    assert.match(compileError('BEGIN { @ = ustack(perf, 0); }').message, /the stack limit must be a constant from 1 to 127/);
  });

  it('do not mix modes in one map', () => {
    const mixed = compileError('BEGIN { @ = kstack; @ = kstack(perf); }');
    assert.equal(mixed.code, DiagnosticCode.TypeMismatch);
    assert.match(mixed.message, /it holds kstack, here assigned kstack\(perf\)/);
  });
});

describe('strerror()', () => {
  it('takes an integer and gives a value printf prints with %s only', () => {
    assert.equal(compileError('BEGIN { printf("%s\\n", strerror("x")); }').located, '"x"');
    const asInteger = compileError('BEGIN { printf("%d\\n", strerror(2)); }');
    assert.match(asInteger.message, /%d expects an integer, got a strerror/);
    assert.equal(asInteger.located, 'strerror(2)');
  });
});
