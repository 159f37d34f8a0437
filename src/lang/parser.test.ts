import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompileError, formatDiagnostics, parse, printStatement, Source, type Program } from './index.js';

function parseText(text: string): Program {
  const source = new Source('test.bt', text);
  try {
    return parse(source);
  } catch (caught) {
    if (caught instanceof CompileError) assert.fail(`unexpected parse error:\n${formatDiagnostics(source, caught.diagnostics)}`);
    throw caught;
  }
}

const ONE_LINERS: readonly string[] = [
  'BEGIN { printf("Hello, World!\\n"); }',
  'BEGIN { printf("%-6s %s\\n", "PID", "COMM"); }',
  'tracepoint:syscalls:sys_enter_openat { printf("%s %s\\n", comm, str(args->filename)); }',
  'tracepoint:syscalls:sys_enter_openat { printf("%s %s\\n", comm, str(args.filename)); }',
  'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }',
  'tracepoint:syscalls:sys_exit_read /pid == 18644/ { @bytes = hist(args->ret); }',
  'kretprobe:vfs_read { @bytes = lhist(retval, 0, 2000, 200); }',
  'kprobe:vfs_read { @start[tid] = nsecs; } kretprobe:vfs_read /@start[tid]/ { @ns[comm] = hist(nsecs - @start[tid]); delete(@start[tid]); }',
  'tracepoint:sched:sched_process_exec { printf("%s\\n", comm) }',
  'profile:hz:99 /pid == 189/ { @[ustack] = count(); }',
  'profile:hz:99 { @[kstack] = count(); }',
  'tracepoint:sched:sched_switch { @[kstack] = count(); }',
  'tracepoint:block:block_rq_issue { @ = hist(args.bytes); }',
  'kprobe:do_nanosleep { printf("PID %d sleeping...\\n", pid); }',
  'uretprobe:/bin/bash:readline { printf("%s\\n", str(retval)); }',
  'tracepoint:syscalls:sys_enter_execve { printf("%s\\n", join(args->argv)); }',
  'interval:s:5 { print(@); clear(@); }',
  'interval:s:1 { time("%H:%M:%S\\n"); print(@syscalls); clear(@syscalls); }',
  'kprobe:vfs_* { @[func] = count(); }',
  'software:cpu-clock:1000000 { @[cpu] = count(); }',
  'uretprobe:libc:strlen+0x10 { @ = count(); }',
  'uprobe:/usr/lib/libc.so.6:malloc { @bytes[ustack(5)] = sum(arg0); }',
  'uprobe:./a.out:main { exit(); }',
  'uprobe:"/opt/my app/bin":"ns::f(int)" { exit(); }',
  'BEGIN, END { printf("%s\\n", probe); }',
  'kprobe:vfs_read,\n  kprobe:vfs_write\n{ @[probe] = count(); }',
  'kprobe:vfs_read, kprobe:vfs_write, { @[probe] = count(); }',
  'kprobe:f/pid == 1/{ exit() }',
  'i:s:1 { exit(); }',
  'END { clear(@a); zero(@b); print(@c, 10); print(@d, 5, 1000); }',
  'BEGIN { @x = 1; @x += 2; @x -= 1; @x *= 3; @x /= 2; @x %= 5; @x &= 7; @x |= 8; @x ^= 1; @x <<= 2; @x >>= 1; }',
  'BEGIN { $x = 1; $x++; $x--; ++$x; --$x; @y[1]++; @y[2]--; @z++; }',
  'BEGIN { if (pid > 10) { printf("a"); } else if (pid > 5) { printf("b"); } else { printf("c"); } }',
  'BEGIN { if (1) { @ = 1 } exit() }',
  'BEGIN { $i = 0; while ($i < 10) { $i++; if ($i == 5) { break; } continue; } }',
  'BEGIN { unroll (5) { @a++; } unroll(2) { @b++ } }',
  'BEGIN { @m[1] = 2; } END { for ($kv : @m) { printf("%d %d\\n", $kv.0, $kv.1); } }',
  'BEGIN { for ($i : 0..10) { @[$i] = 1; } }',
  'BEGIN { return; } END { return }',
  'BEGIN { let $x; let $y = 1; let $z: uint16 = 5; }',
  'BEGIN { printf("%d %s %d\\n", $1, str($2), $#); }',
  'BEGIN { $t = (1, "a", (2, 3)); print($t.2.1); print((1, 2)); print((1,)); }',
  'BEGIN { @[1, "a"] = 1; @x[pid, comm, tid] = count(); }',
  'BEGIN { $a = (uint8)1; $b = (int8[8])$a; $c = (struct task_struct *)curtask; $d = $c->mm->owner; }',
  'BEGIN { $x = ((struct task_struct *)curtask)->real_parent->pid; }',
  'BEGIN { @ = sizeof(struct task_struct); @s = sizeof(uint32); @e = sizeof($x); @o = offsetof(struct task_struct, se.vruntime); }',
  'BEGIN { $x = pid > 1 ? "big" : "small"; $y = !($x == "a") && ~1 | 2 ^ 3 & 4; $z = -1 * -(2); }',
  'BEGIN { $p = &$x; $v = *$p; }',
  'BEGIN { @ = 1_000_000 + 0x10 + 0777 + 10ms + 2e3 + 5UL; }',
  'BEGIN { $b = true; $c = false; }',
  'BEGIN { printf("tab\\there, quote \\" backslash \\\\ octal \\101 hex \\x41\\n"); }',
  'kprobe:f { ; ; @x = 1;; }',
  'BEGIN { { @nested = 1; } }',
  'kfunc:vmlinux:vfs_open { printf("%s\\n", str(args.path->dentry->d_name.name)); }',
  'rawtracepoint:sched_switch { @ = count(); }',
  'watchpoint:0x10000000:8:rw { printf("hit\\n"); }',
  'tracepoint:syscalls:sys_enter_kill /args.sig == 9 && args->pid != 0/ { printf("%d\\n", args.pid); }',
  'BEGIN { $x = 10 / 2; } kprobe:f / $x / 2 / { @ = 1 }',
  '#!/usr/bin/env bpftrace\nBEGIN { exit(); }',
  '// leading comment\n/* block\n comment */ BEGIN /* here */ { // trailing\n exit(); /* done */ }',
];

describe('parser accepts', () => {
  for (const program of ONE_LINERS) {
    it(program, () => {
      const parsed = parseText(program);
      assert.ok(parsed.probes.length > 0);
    });
  }
});

const EXECSNOOP = `#!/usr/bin/env bpftrace
/*
 * execsnoop-style: trace new processes via exec() syscalls.
 */
BEGIN
{
\tprintf("%-10s %-5s %s\\n", "TIME(ms)", "PID", "ARGS");
}

tracepoint:syscalls:sys_enter_exec*
{
\tprintf("%-10u %-5d ", elapsed / 1e6, pid);
\tjoin(args.argv);
}
`;

const OPENSNOOP = `BEGIN
{
\tprintf("Tracing open syscalls... Hit Ctrl-C to end.\\n");
\tprintf("%-6s %-16s %4s %3s %s\\n", "PID", "COMM", "FD", "ERR", "PATH");
}

tracepoint:syscalls:sys_enter_open,
tracepoint:syscalls:sys_enter_openat
{
\t@filename[tid] = args.filename;
}

tracepoint:syscalls:sys_exit_open,
tracepoint:syscalls:sys_exit_openat
/@filename[tid]/
{
\t$ret = args.ret;
\t$fd = $ret >= 0 ? $ret : -1;
\t$errno = $ret >= 0 ? 0 : - $ret;

\tprintf("%-6d %-16s %4d %3d %s\\n", pid, comm, $fd, $errno, str(@filename[tid]));
\tdelete(@filename, tid);
}

END
{
\tclear(@filename);
}
`;

const BIOLATENCY = `BEGIN { printf("Tracing block device I/O... Hit Ctrl-C to end.\\n"); }

kprobe:blk_account_io_start,
kprobe:__blk_account_io_start
{
\t@start[arg0] = nsecs;
}

kprobe:blk_account_io_done,
kprobe:__blk_account_io_done
/@start[arg0]/
{
\t@usecs = hist((nsecs - @start[arg0]) / 1000);
\tdelete(@start[arg0]);
}

END { clear(@start); }
`;

const RUNQLAT = `#include <linux/sched.h>

// Until BTF is everywhere, spell out what we need.
struct task_struct {
\tint pid;
\tvolatile long state;
\tchar comm[16];
};

BEGIN
{
\tprintf("Tracing CPU scheduler... Hit Ctrl-C to end.\\n");
}

tracepoint:sched:sched_wakeup,
tracepoint:sched:sched_wakeup_new
{
\t@qtime[args.pid] = nsecs;
}

tracepoint:sched:sched_switch
{
\tif (args.prev_state == TASK_RUNNING) {
\t\t@qtime[args.prev_pid] = nsecs;
\t}

\t$ns = @qtime[args.next_pid];
\tif ($ns) {
\t\t@usecs = hist((nsecs - $ns) / 1000);
\t}
\tdelete(@qtime, args.next_pid);
}

END
{
\tclear(@qtime);
}
`;

const TCPCONNECT = `#include <linux/socket.h>
#include <net/sock.h>

BEGIN
{
  printf("%-8s %-6s %-16s %-39s %-6s\\n", "TIME", "PID", "COMM", "DADDR", "DPORT");
}

kprobe:tcp_connect
{
  $sk = ((struct sock *) arg0);
  $inet_family = $sk->__sk_common.skc_family;

  if ($inet_family == AF_INET || $inet_family == AF_INET6) {
    if ($inet_family == AF_INET) {
      $daddr = ntop($sk->__sk_common.skc_daddr);
    } else {
      $daddr = ntop($sk->__sk_common.skc_v6_daddr.in6_u.u6_addr8);
    }
    $dport = $sk->__sk_common.skc_dport;
    $dport = bswap($dport);
    time("%H:%M:%S ");
    printf("%-6d %-16s %-39s %-6d\\n", pid, comm, $daddr, $dport);
  }
}
`;

describe('parser accepts whole tools', () => {
  for (const [name, text] of [['execsnoop', EXECSNOOP], ['opensnoop', OPENSNOOP], ['biolatency', BIOLATENCY], ['runqlat', RUNQLAT], ['tcpconnect', TCPCONNECT]] as const) {
    it(name, () => {
      assert.ok(parseText(text).probes.length > 0);
    });
  }

  it('gives opensnoop its attach points, predicate and statements', () => {
    const program = parseText(OPENSNOOP);
    assert.equal(program.probes.length, 4);
    const exit = program.probes[2];
    assert.deepEqual(exit.attachPoints.map((a) => a.raw), ['tracepoint:syscalls:sys_exit_open', 'tracepoint:syscalls:sys_exit_openat']);
    assert.equal(exit.predicate?.kind, 'MapAccess');
    assert.deepEqual(exit.body.statements.map(printStatement).slice(0, 3), [
      '(= $ret (. args ret))',
      '(= $fd (? (>= $ret 0) $ret (- 1)))',
      '(= $errno (? (>= $ret 0) 0 (- $ret)))',
    ]);
  });

  it('keeps runqlat preamble items in order', () => {
    const program = parseText(RUNQLAT);
    assert.deepEqual(program.preamble.map((item) => item.kind), ['Include', 'CRecord']);
  });
});

describe('attach points', () => {
  function attachPoints(text: string) {
    return parseText(text).probes.flatMap((probe) => probe.attachPoints.map((a) => ({ raw: a.raw, provider: a.provider, parts: a.parts })));
  }

  it('splits provider and parts on colons', () => {
    assert.deepEqual(attachPoints('uprobe:/usr/lib/libc.so.6:malloc {} tracepoint:syscalls:sys_enter_* {} BEGIN {}'), [
      { raw: 'uprobe:/usr/lib/libc.so.6:malloc', provider: 'uprobe', parts: ['/usr/lib/libc.so.6', 'malloc'] },
      { raw: 'tracepoint:syscalls:sys_enter_*', provider: 'tracepoint', parts: ['syscalls', 'sys_enter_*'] },
      { raw: 'BEGIN', provider: 'BEGIN', parts: [] },
    ]);
  });

  it('keeps quoted colons inside a part and drops the quotes', () => {
    assert.deepEqual(attachPoints('uprobe:"/opt/a b":"ns::f" {}'), [
      { raw: 'uprobe:"/opt/a b":"ns::f"', provider: 'uprobe', parts: ['/opt/a b', 'ns::f'] },
    ]);
  });

  it('stops before a predicate written without a space', () => {
    const program = parseText('kprobe:vfs_read/pid == 1/{}');
    assert.equal(program.probes[0].attachPoints[0].raw, 'kprobe:vfs_read');
    assert.notEqual(program.probes[0].predicate, null);
  });

  it('spans the attach point text exactly', () => {
    const program = parseText('  kprobe:vfs_*  { }');
    assert.deepEqual(program.probes[0].attachPoints[0].span, { start: 2, end: 14 });
    assert.deepEqual(program.probes[0].span, { start: 2, end: 19 });
  });
});

describe('statements', () => {
  function statements(body: string): string[] {
    return parseText(`BEGIN { ${body} }`).probes[0].body.statements.map(printStatement);
  }

  it('parses assignments and updates', () => {
    assert.deepEqual(statements('@x[1, 2] = count(); $y += 3; @ <<= 1; @z[k]--; ++$i;'), [
      '(= ([] @x 1 2) (call count))',
      '(+= $y 3)',
      '(<<= @ 1)',
      '(post-- ([] @z k))',
      '(++pre $i)',
    ]);
  });

  it('chains else if', () => {
    assert.deepEqual(statements('if ($a) { @ = 1 } else if ($b) { @ = 2 } else { @ = 3 }'), [
      '(if $a {(= @ 1)} (if $b {(= @ 2)} {(= @ 3)}))',
    ]);
  });

  it('parses loops and jumps', () => {
    assert.deepEqual(statements('for ($kv : @m) { break } for ($i : 0..$n) { continue } while ($i < 3) { $i++ } unroll(3) { return }'), [
      '(for $kv @m {(break)})',
      '(for $i (.. 0 $n) {(continue)})',
      '(while (< $i 3) {(post++ $i)})',
      '(unroll 3 {(return)})',
    ]);
  });

  it('parses let declarations', () => {
    assert.deepEqual(statements('let $a; let $b = 1; let $c: uint8 = 2; let $d: struct x * ;'), [
      '(let $a)',
      '(let $b 1)',
      '(let $c <uint8> 2)',
      '(let $d <struct x *>)',
    ]);
  });

  it('parses delete as a call', () => {
    assert.deepEqual(statements('delete(@m[k]); delete(@m, k)'), ['(call delete ([] @m k))', '(call delete @m k)']);
  });
});
