// ntop(): an address family and up to 16 address bytes as text, the way glibc's inet_ntop writes it
// (bpftrace hands the bytes to inet_ntop, so its rules are the ones users see): dotted quads for IPv4;
// for IPv6, lowercase hex groups without leading zeros, the first longest run of two or more zero groups
// shortened to `::`, and the IPv4-compatible and IPv4-mapped forms ending in a dotted quad.

export const AF_INET = 2;
export const AF_INET6 = 10;

export function formatInet(family: number, address: Uint8Array): string {
  if (family === AF_INET) return formatIpv4(address.subarray(0, 4));
  if (family === AF_INET6) return formatIpv6(address.subarray(0, 16));
  // bpftrace refuses other families at compile time; bytes from elsewhere still print as something.
  return `<address family ${family}>`;
}

function formatIpv4(bytes: Uint8Array): string {
  return Array.from(bytes, String).join('.');
}

interface ZeroRun {
  start: number;
  length: number;
}

/** The first longest run of zero groups, when it spans at least two groups. */
function longestZeroRun(groups: readonly number[]): ZeroRun | undefined {
  let best: ZeroRun | undefined;
  let current: ZeroRun | undefined;
  groups.forEach((group, index) => {
    if (group !== 0) {
      current = undefined;
      return;
    }
    current = current ? { start: current.start, length: current.length + 1 } : { start: index, length: 1 };
    if (!best || current.length > best.length) best = current;
  });
  return best && best.length >= 2 ? best : undefined;
}

function formatIpv6(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1]);
  const run = longestZeroRun(groups);
  // ::a.b.c.d (IPv4-compatible) and ::ffff:a.b.c.d (IPv4-mapped), as glibc decides them.
  if (run && run.start === 0 && (run.length === 6 || (run.length === 5 && groups[5] === 0xffff))) {
    const prefix = run.length === 6 ? '::' : '::ffff:';
    return prefix + formatIpv4(bytes.subarray(12, 16));
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (run && i === run.start) {
      text += '::';
      i += run.length - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += groups[i].toString(16);
  }
  return text;
}
