// cgroupid("/sys/fs/cgroup/…"): a cgroup v2 path to the id that bpf_get_current_cgroup_id() returns.
// bpftrace asks name_to_handle_at() for the file handle, which on cgroupfs is the kernfs node id; on
// 64-bit kernels that id is also the inode number, so a stat() finds it without a system call Node
// lacks. Paths on other file systems (cgroup v1 hierarchies included) have no such id.
import { statSync, statfsSync } from 'node:fs';

const CGROUP2_SUPER_MAGIC = 0x63677270;

type CgroupIdLookup = { readonly id: bigint } | { readonly problem: string };

export function cgroupId(path: string): CgroupIdLookup {
  try {
    if (statfsSync(path).type !== CGROUP2_SUPER_MAGIC) return { problem: 'is not on a cgroup v2 file system' };
    return { id: statSync(path, { bigint: true }).ino };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})` };
  }
}
