// Well-known constants from kernel-internal headers (include/linux/sched.h, include/net/tcp_states.h,
// include/linux/socket.h, include/linux/blk_types.h, …) that no installed header defines but
// bpftrace tools compare against. They are written as the kernel writes them and run through the
// same preprocessor as real headers, so derived values (TASK_REPORT_MAX) are computed, not copied.
// Values are those of current kernels; where a value moved, the comment names the version. Many of
// these are enumerators the kernel also exposes through BTF, which should be preferred when present.
import { Preprocessor } from './preprocessor.js';
import { HeaderSearch } from './header-search.js';
import { typeSet } from './integer-types.js';
import { KERNEL_FILE, MacroTable } from './macro-table.js';
import { targetInfo, type TargetInfo } from './target.js';

export const KERNEL_CONSTANTS_TEXT = `
/* include/linux/sched.h: task states (values since 4.14; TASK_PARKED..TASK_NEW were 512..2048 before). */
#define TASK_RUNNING            0x00000000
#define TASK_INTERRUPTIBLE      0x00000001
#define TASK_UNINTERRUPTIBLE    0x00000002
#define __TASK_STOPPED          0x00000004
#define __TASK_TRACED           0x00000008
#define EXIT_DEAD               0x00000010
#define EXIT_ZOMBIE             0x00000020
#define EXIT_TRACE              (EXIT_ZOMBIE | EXIT_DEAD)
#define TASK_PARKED             0x00000040
#define TASK_DEAD               0x00000080
#define TASK_WAKEKILL           0x00000100
#define TASK_WAKING             0x00000200
#define TASK_NOLOAD             0x00000400
#define TASK_NEW                0x00000800
/* 5.15 */
#define TASK_RTLOCK_WAIT        0x00001000
/* 6.1 */
#define TASK_FREEZABLE          0x00002000
#define TASK_FROZEN             0x00008000
#define TASK_KILLABLE           (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_STOPPED            (TASK_WAKEKILL | __TASK_STOPPED)
/* 5.15; (TASK_WAKEKILL | __TASK_TRACED) before. */
#define TASK_TRACED             __TASK_TRACED
#define TASK_IDLE               (TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL             (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)
#define TASK_REPORT             (TASK_RUNNING | TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE | \\
                                 __TASK_STOPPED | __TASK_TRACED | EXIT_DEAD | EXIT_ZOMBIE | TASK_PARKED)
#define TASK_REPORT_IDLE        (TASK_REPORT + 1)
/* sched_switch's prev_state carries this bit when the task was preempted while runnable. */
#define TASK_REPORT_MAX         (TASK_REPORT_IDLE << 1)
#define TASK_COMM_LEN           16
/* include/linux/sched.h: task flags (task_struct.flags). */
#define PF_EXITING              0x00000004
#define PF_KTHREAD              0x00200000

/* include/net/tcp_states.h (an enum in the kernel). */
#define TCP_ESTABLISHED         1
#define TCP_SYN_SENT            2
#define TCP_SYN_RECV            3
#define TCP_FIN_WAIT1           4
#define TCP_FIN_WAIT2           5
#define TCP_TIME_WAIT           6
#define TCP_CLOSE               7
#define TCP_CLOSE_WAIT          8
#define TCP_LAST_ACK            9
#define TCP_LISTEN              10
#define TCP_CLOSING             11
#define TCP_NEW_SYN_RECV        12
/* 6.7 */
#define TCP_BOUND_INACTIVE      13

/* include/linux/socket.h: address families (the same numbers as glibc's <sys/socket.h>). */
#define AF_UNSPEC               0
#define AF_UNIX                 1
#define AF_LOCAL                1
#define AF_INET                 2
#define AF_BRIDGE               7
#define AF_INET6                10
#define AF_NETLINK              16
#define AF_PACKET               17
#define AF_VSOCK                40
#define AF_XDP                  44
#define PF_UNSPEC               AF_UNSPEC
#define PF_UNIX                 AF_UNIX
#define PF_LOCAL                AF_LOCAL
#define PF_INET                 AF_INET
#define PF_BRIDGE               AF_BRIDGE
#define PF_INET6                AF_INET6
#define PF_NETLINK              AF_NETLINK
#define PF_PACKET               AF_PACKET
#define PF_VSOCK                AF_VSOCK
#define PF_XDP                  AF_XDP

/* include/linux/blk_types.h: enum req_op, the values stable since 4.11. The zoned-device ops are
   left out: REQ_OP_ZONE_APPEND/RESET/RESET_ALL were renumbered in 6.x, so take them from BTF. */
#define REQ_OP_BITS             8
#define REQ_OP_MASK             ((1 << REQ_OP_BITS) - 1)
#define REQ_OP_READ             0
#define REQ_OP_WRITE            1
#define REQ_OP_FLUSH            2
#define REQ_OP_DISCARD          3
#define REQ_OP_SECURE_ERASE     5
#define REQ_OP_WRITE_ZEROES     9
#define REQ_OP_DRV_IN           34
#define REQ_OP_DRV_OUT          35
/* include/linux/blk_types.h */
#define SECTOR_SHIFT            9
#define SECTOR_SIZE             (1 << SECTOR_SHIFT)

/* include/vdso/time64.h */
#define MSEC_PER_SEC            1000L
#define USEC_PER_MSEC           1000L
#define NSEC_PER_USEC           1000L
#define NSEC_PER_MSEC           1000000L
#define USEC_PER_SEC            1000000L
#define NSEC_PER_SEC            1000000000L
`;

const tables = new Map<string, MacroTable>();

/** The built-in kernel constants for a target (only the width of `long` depends on it). */
export function kernelConstantTable(target: TargetInfo = targetInfo()): MacroTable {
  let table = tables.get(target.arch);
  if (table === undefined) {
    const preprocessor = new Preprocessor(new HeaderSearch([]));
    preprocessor.defineFromText(KERNEL_FILE, KERNEL_CONSTANTS_TEXT);
    table = new MacroTable(preprocessor, typeSet(target));
    tables.set(target.arch, table);
  }
  return table;
}

/** The built-in kernel constants for the running machine. */
export const kernelConstants: MacroTable = kernelConstantTable();
