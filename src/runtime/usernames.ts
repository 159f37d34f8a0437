// The `username` builtin: the kernel sends a uid, and user space names it from /etc/passwd, read once
// on first use. A uid with no entry prints as its number, which is what `id -un` users expect to see
// for an unnamed account.
import { readFileSync } from 'node:fs';

export class Usernames {
  private names: Map<number, string> | undefined;

  constructor(private readonly readPasswd: () => string = () => readFileSync('/etc/passwd', 'utf8')) {}

  nameOf(uid: number | bigint): string {
    this.names ??= this.load();
    return this.names.get(Number(uid)) ?? String(uid);
  }

  private load(): Map<number, string> {
    const names = new Map<number, string>();
    let text: string;
    try {
      text = this.readPasswd();
    } catch {
      // Without a readable passwd file every uid prints as a number; tracing must go on.
      return names;
    }
    for (const line of text.split('\n')) {
      const [name, , uid] = line.split(':');
      // The first entry for a uid wins, as getpwuid() returns it.
      if (name && uid !== undefined && /^\d+$/.test(uid) && !names.has(Number(uid))) names.set(Number(uid), name);
    }
    return names;
  }
}
