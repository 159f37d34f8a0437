// cgroupid("path"): the id of a cgroup v2 directory, found while compiling (through the lookup passed
// in CompileOptions) and used as a constant, as bpftrace does; it compares with the `cgroup` builtin.
import { type Call, DiagnosticCode } from '../lang/index.js';
import type { Checker } from './checker.js';
import { type ValueType, uint64 } from './value-types.js';

export function checkCgroupid(checker: Checker, call: Call): ValueType {
  const argument = call.args[0];
  checker.check(argument);
  const path = checker.constants.get(argument);
  if (typeof path !== 'string') {
    return checker.fail(DiagnosticCode.NotConstant, "cgroupid() takes the cgroup's path as a string literal", argument.span);
  }
  const lookup = checker.options.cgroupIds;
  if (lookup === undefined) {
    return checker.fail(DiagnosticCode.Unsupported, 'cgroupid() needs cgroup lookups, which this compilation was not given', call.span);
  }
  const found = lookup(path);
  if ('problem' in found) {
    return checker.fail(DiagnosticCode.WrongArgumentType, `cgroupid(): ${path} ${found.problem}`, argument.span,
      ['cgroupid() takes a path in the cgroup v2 hierarchy (mount -t cgroup2), e.g. /sys/fs/cgroup/system.slice']);
  }
  checker.constants.set(call, found.id);
  return uint64;
}
