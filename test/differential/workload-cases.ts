// Tracepoint and uprobe programs driven by test/fixtures/workload.c under `-c`, which makes an exact
// number of calls of one kind. Predicates keep to the workload (`pid == cpid`, or children it forked)
// and to the calls it was asked to make, never to the dynamic loader's start-up calls, whose number
// and file names depend on the C library installed.
import type { DifferentialCase } from './cases.js';

const UPROBE = 'uprobe:{workload}:workload_add';
const URETPROBE = 'uretprobe:{workload}:workload_add';

/**
 * Children of the workload are remembered by pid when forked and forgotten when they exit, so the
 * map is empty again at the end and no pid is printed.
 */
const TRACK_CHILDREN = `tracepoint:sched:sched_process_fork /pid == cpid/ { @child[args->child_pid] = 1; }
tracepoint:sched:sched_process_exit /@child[pid]/ { delete(@child[pid]); }`;

const TEXT_WORKLOAD_CASES: readonly DifferentialCase[] = [
  {
    name: 'tracepoint-count',
    script: 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @ = count(); }',
    workload: ['getppid', '7'],
  },
  {
    name: 'tracepoint-comm-key-and-field-sum',
    script: 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @calls[comm] = count(); @nr = sum(args->__syscall_nr); }',
    workload: ['getppid', '5'],
  },
  {
    name: 'tracepoint-printf-per-event',
    script: 'tracepoint:syscalls:sys_enter_write /pid == cpid/ { @n++; printf("write %d: %d bytes to fd %d\\n", @n, args->count, args->fd); }',
    workload: ['write', '6'],
  },
  {
    name: 'tracepoint-enter-and-exit-probe-names',
    script: 'tracepoint:syscalls:sys_enter_getppid, tracepoint:syscalls:sys_exit_getppid /pid == cpid/ { printf("%s\\n", probe); }',
    workload: ['getppid', '3'],
  },
  {
    name: 'raw-syscalls-by-id',
    // 110 is getppid and 39 getpid on x86_64; the workload makes only the first.
    script: 'tracepoint:raw_syscalls:sys_enter /pid == cpid && (args->id == 110 || args->id == 39)/ { @[args->id] = count(); }',
    workload: ['getppid', '9'],
  },
  {
    name: 'raw-syscalls-args-and-ret',
    // bpfscope runs raw_syscalls from the raw tracepoints, rebuilding args[] from the saved registers
    // and id on exit from orig_ax: write i (1-based) writes i bytes to one descriptor.
    script: `tracepoint:raw_syscalls:sys_enter /pid == cpid && args->id == 1/ { @bytes = sum(args->args[2]); @calls[args->args[0] > 2] = count(); }
tracepoint:raw_syscalls:sys_exit /pid == cpid && args->id == 1/ { @ret = sum(args->ret); @exits = count(); }`,
    workload: ['write', '6'],
  },
  {
    name: 'syscall-wildcards-by-probe',
    // Six events each, which bpfscope serves from the raw sys_enter/sys_exit tracepoints by syscall
    // number (one attachment per hook rather than per event): `probe` and args must still be each
    // event's own.
    script: `tracepoint:syscalls:sys_enter_getp* /pid == cpid/ { @enter[probe] = count(); printf("%s\\n", probe); }
tracepoint:syscalls:sys_exit_getp* /pid == cpid/ { @exit[probe, args->ret > 0] = count(); }`,
    workload: ['getppid', '4'],
  },
  {
    name: 'write-sizes-every-aggregation',
    script: `tracepoint:syscalls:sys_enter_write /pid == cpid/ {
  @bytes = hist(args->count);
  @linear = lhist(args->count, 0, 40, 8);
  @total = sum(args->count);
  @writes = count();
  @mean = avg(args->count);
  @summary = stats(args->count);
  @largest = max(args->count);
  @smallest = min(args->count);
}`,
    workload: ['write', '30'],
  },
  {
    name: 'openat-filename-keys',
    script:
      'tracepoint:syscalls:sys_enter_openat /pid == cpid && strncmp(str(args->filename), "/dev/null", 9) == 0/ { @[str(args->filename)] = count(); }',
    workload: ['open', '/dev/null', '7'],
  },
  {
    name: 'openat-results-paired-by-thread',
    script: `tracepoint:syscalls:sys_enter_openat /pid == cpid && strncmp(str(args->filename), "/dev/null", 9) == 0/ { @path[tid] = args->filename; }
tracepoint:syscalls:sys_exit_openat /@path[tid]/ {
  if (args->ret < 0) { @failed[str(@path[tid]), args->ret] = count(); } else { @opened[str(@path[tid])] = count(); }
  delete(@path[tid]);
}`,
    workload: ['open', '/dev/null', '9'],
  },
  {
    name: 'nanosleep-entries-and-results',
    script: `tracepoint:syscalls:sys_enter_nanosleep /pid == cpid/ { @sleeps = count(); }
tracepoint:syscalls:sys_exit_nanosleep /pid == cpid/ { @result[args->ret] = count(); }`,
    workload: ['sleep-wake', '4'],
  },
  {
    name: 'fork-exec-exit-by-comm',
    script: `${TRACK_CHILDREN}
tracepoint:sched:sched_process_fork /pid == cpid/ { @forks[comm] = count(); }
tracepoint:sched:sched_process_exec /@child[pid]/ { @execs[comm] = count(); }
tracepoint:syscalls:sys_enter_exit_group /pid == cpid || @child[pid]/ { @exits[comm] = count(); }`,
    workload: ['fork', '3'],
  },
  {
    name: 'execve-argv-join',
    script: `${TRACK_CHILDREN}
tracepoint:syscalls:sys_enter_execve /@child[pid]/ { printf("%s: ", str(args->filename)); join(args->argv); }`,
    workload: ['fork', '2'],
  },
  {
    name: 'uprobe-argument-sums',
    script: `${UPROBE} { @calls = count(); @first = sum(arg0); @second = sum((int64)arg1); @low = min((int64)arg1); @high = max(arg0); }`,
    workload: ['add', '10'],
  },
  {
    name: 'uprobe-argument-histograms',
    script: `${UPROBE} { @a = hist(arg0); @b = hist((int64)arg1); @l = lhist(arg0, 0, 16, 4); }`,
    workload: ['add', '16'],
  },
  {
    name: 'uretprobe-return-values',
    script: `${URETPROBE} { @sum = sum((int64)retval); @sign[(int64)retval < 0 ? "negative" : "non-negative"] = count(); }`,
    workload: ['add', '12'],
  },
  {
    name: 'uprobe-and-uretprobe-printf',
    script: `${UPROBE} { printf("%ld + %ld", (int64)arg0, (int64)arg1); }
${URETPROBE} { printf(" = %ld\\n", (int64)retval); }`,
    workload: ['add', '9'],
  },
  {
    name: 'exit-stops-output-at-once',
    // The calls after the first keep coming while exit() takes effect: their records, already in
    // the buffer behind the exit, print nothing. 2000 calls' records fit in bpftrace's perf buffer,
    // so none is lost either.
    script: `${UPROBE} { printf("%ld\\n", (int64)arg0); exit(); }
END { printf("end\\n"); }`,
    workload: ['add', '2000'],
  },
  {
    name: 'uprobe-registers-by-name',
    // workload_add(a, b) takes its arguments in di and si and returns in ax on x86_64.
    script: `${UPROBE} { @di = sum(reg("di")); @si = sum(reg("si")); @same = sum(reg("di") == arg0 && reg("si") == arg1); }
${URETPROBE} { @ax = sum((int64)reg("ax")); }`,
    workload: ['add', '6'],
  },
  {
    name: 'struct-values-printed-and-stored',
    // main's argv[1..3] are "open", "/dev/null" and "2", one after another: 17 known bytes to cast.
    script: `struct verb { char name[5]; char slash; unsigned short de; int vnu; char rest[4]; }
struct pair { short x; char y; }
struct outer { struct pair p; unsigned short e[2]; struct pair q[2]; }
uprobe:{workload}:main {
  $argv = (uint64 *)arg1;
  $v = (struct verb *)$argv[1];
  print(*$v); @value = *$v; @key[*$v] = 1; @tuple = (*$v, 1);
  $o = (struct outer *)$argv[1];
  print(*$o); print($o->p); print($o->e); @nested = $o->p; @array = $o->e; @pairs[$o->q[1]] = 2;
}`,
    workload: ['open', '/dev/null', '2'],
  },
  {
    name: 'struct-copies-members-read',
    // The same 17 bytes copied into variables and maps, then read member by member from the copies;
    // @o[2] was never stored, so its members read as zero. argv[0..1] are read as a struct of pointers.
    script: `struct verb { char name[5]; char slash; unsigned short de; int vnu; char rest[4]; }
struct pair { short x; char y; }
struct outer { struct pair p; unsigned short e[2]; struct pair q[2]; }
struct argv { char *program; struct verb *verb; }
uprobe:{workload}:main {
  $argv = (uint64 *)arg1;
  $v = *(struct verb *)$argv[1]; @v = *(struct verb *)$argv[1];
  printf("%s %c %d %d %s\\n", $v.name, $v.slash, $v.de, $v.vnu, $v.rest);
  $o = *(struct outer *)$argv[1]; @o[1] = *(struct outer *)$argv[1];
  printf("%d %d %d %d %d\\n", $o.p.x, $o.p.y, $o.e[1], $o.q[1].x, @o[1].q[0].y);
  @vnu = @v.vnu; @name[@v.name] = @o[1].e[0]; @missing = @o[2].q[1].x;
  $a = *(struct argv *)arg1;
  printf("%s %d\\n", $a.verb->name, $a.verb == $argv[1]);
  print($o.p); @pair = $o.q[1];
}`,
    workload: ['open', '/dev/null', '2'],
  },
  {
    name: 'end-probe-reads-maps',
    script: `tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n = count(); @last = nsecs > 0; }
END { printf("last seen: %d\\n", @last); }`,
    workload: ['getppid', '4'],
  },
];

/** The first six bytes of "/dev/null", read through the pointer and through a 6-byte array. */
const MACADDR_CASE: DifferentialCase = {
  name: 'macaddr-printf-keys-values',
  script: `struct six { unsigned char bytes[6]; }
tracepoint:syscalls:sys_enter_openat /pid == cpid && strncmp(str(args->filename), "/dev/null", 9) == 0/ {
  @n++;
  printf("%s %s\\n", macaddr(args->filename), macaddr(((struct six *)args->filename)->bytes));
  @keys[macaddr(args->filename), @n] = @n;
  @values[@n] = macaddr(args->filename);
  $mac = macaddr(args->filename);
  @tuple = ($mac, 1);
  print($mac);
}`,
  workload: ['open', '/dev/null', '2'],
};

export const WORKLOAD_CASES: readonly DifferentialCase[] = [
  ...TEXT_WORKLOAD_CASES.flatMap((testCase) => [testCase, { ...testCase, name: `${testCase.name}-json`, json: true }]),
  MACADDR_CASE,
  {
    ...MACADDR_CASE,
    name: `${MACADDR_CASE.name}-json`,
    json: true,
    expectFromBpftraceBug: {
      reason: 'bpftrace 0.17 writes macaddr() values into JSON unquoted, which is not JSON; they are strings',
      stdout: [
        '{"type": "printf", "data": "2F:64:65:76:2F:6E 2F:64:65:76:2F:6E\\n"}',
        '{"type": "value", "data": "2F:64:65:76:2F:6E"}',
        '{"type": "printf", "data": "2F:64:65:76:2F:6E 2F:64:65:76:2F:6E\\n"}',
        '{"type": "value", "data": "2F:64:65:76:2F:6E"}',
        '',
        '',
        '{"type": "map", "data": {"@keys": {"2F:64:65:76:2F:6E,1": 1, "2F:64:65:76:2F:6E,2": 2}}}',
        '{"type": "map", "data": {"@n": 2}}',
        '{"type": "map", "data": {"@tuple": ["2F:64:65:76:2F:6E",1]}}',
        '{"type": "map", "data": {"@values": {"1": "2F:64:65:76:2F:6E", "2": "2F:64:65:76:2F:6E"}}}',
        '',
      ].join('\n'),
    },
  },
];
