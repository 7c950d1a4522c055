import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key every per-address budget counts a client under (docs/security.md, "Rate limits"):
 *
 * - an IPv4 address as it is: `198.51.100.7`;
 * - an IPv6 address by its /64, `2001:db8:1:2::/64`: a provider gives a household, an office or a
 *   phone a /64 (or more) of its own, so one client can send from any of 2^64 addresses;
 * - an IPv4-mapped IPv6 address (`::ffff:198.51.100.7`, how a dual-stack socket shows an IPv4
 *   client) as the IPv4 address, so the same client is one key however the socket shows it.
 *
 * Anything that is not an IP address (a socket already closed has none) is kept as it is.
 */
export function addressKey(address: string): string {
  const bare = address.trim();
  if (isIPv4(bare)) return bare;
  // A zone (`fe80::1%eth0`) names the local interface, not the client.
  const unzoned = bare.split('%')[0]!;
  if (!isIPv6(unzoned)) return bare;
  const groups = hextets(unzoned);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address: `::` expanded, a trailing dotted IPv4 part read as two groups. */
export function hextets(address: string): number[] {
  const read = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
          return [(a << 8) | b, (c << 8) | d];
        });
  const gap = address.indexOf('::');
  if (gap === -1) return read(address);
  const head = read(address.slice(0, gap));
  const tail = read(address.slice(gap + 2));
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
