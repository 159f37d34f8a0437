// reg("name"): a register of the probed code, read from the `struct pt_regs` the program's context
// holds (kprobe and uprobe programs get pt_regs itself; perf-event programs get
// bpf_perf_event_data, whose first member is pt_regs). Register names are the kernel's field names,
// as in bpftrace; the probe types are bpftrace's that bpfscope has.
import { type Call, DiagnosticCode } from '../lang/index.js';
import { ptRegsNames, ptRegsOffset } from '../syscalls/index.js';
import type { Checker } from './checker.js';
import { suggest } from './member-access.js';
import { type ValueType, noneType } from './value-types.js';

const PT_REGS_PROVIDERS: ReadonlySet<string> = new Set([
  'kprobe', 'kretprobe', 'uprobe', 'uretprobe', 'usdt', 'profile', 'interval', 'software', 'hardware', 'watchpoint',
]);

/** reg("name"): a u64, pointing into user memory in user-space probes. */
export function checkReg(checker: Checker, call: Call): ValueType {
  const argument = call.args[0];
  checker.check(argument);
  const name = checker.constants.get(argument);
  const provider = checker.group.provider.name;
  if (!PT_REGS_PROVIDERS.has(provider)) {
    return checker.fail(DiagnosticCode.BuiltinNotAvailable, `reg() is not available in ${provider} probes, which have no pt_regs`,
      call.span, ['reg() works in kprobe, uprobe, usdt, profile, interval, software and hardware probes']);
  }
  if (typeof name !== 'string') {
    return checker.fail(DiagnosticCode.NotConstant, "reg() takes the register's name as a string literal", argument.span);
  }
  const registers = ptRegsNames();
  if (registers === undefined) return checker.fail(DiagnosticCode.Unsupported, `reg() does not know the registers of ${process.arch}`, call.span);
  if (ptRegsOffset(name) === undefined) {
    checker.fail(DiagnosticCode.WrongArgumentType, `'${name}' is not a register on ${process.arch}`, argument.span,
      suggest(name, registers));
    return noneType;
  }
  return { kind: 'int', bits: 64, signed: false, user: checker.group.context.userSpace };
}
