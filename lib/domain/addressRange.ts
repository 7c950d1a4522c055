import { isIPv4, isIPv6 } from 'node:net';
import { hextets } from './addressKey';

/**
 * An address range a guest's ban covers (docs/security.md, "Bans by address range"), matched as
 * bits: the family and the prefix's bits (`4:11000110…`). An address is in the range when the
 * range's bits begin its own, which SQL on both databases says with `substr` alone.
 *
 * Addresses are known by their key (lib/domain/addressKey.ts): IPv4 whole, IPv6 by its /64. So an
 * IPv6 range is at most /64 long; an IPv4 one at most /32.
 */
export interface AddressRange {
  /** As written back to people: `198.51.100.0/24`, `2001:db8:1::/48`. */
  range: string;
  /** The family and the prefix's bits. */
  bits: string;
}

/** The default ranges: an IPv4 /24 (a small network), an IPv6 /64 (one household or phone). */
export const DEFAULT_IPV4_PREFIX = 24;
export const DEFAULT_IPV6_PREFIX = 64;
const MAX_IPV6_PREFIX = 64;

const bitsOf = (groups: number[], width: number) => groups.map((g) => g.toString(2).padStart(width, '0')).join('');

/** The address key's bits with its family (`4:` + 32, or `6:` + 64), or null when it is not an IP address. */
export function addressBits(addressKey: string): string | null {
  if (isIPv4(addressKey)) return `4:${bitsOf(addressKey.split('.').map(Number), 8)}`;
  const bare = addressKey.replace(/\/\d+$/, '');
  if (!isIPv6(bare)) return null;
  return `6:${bitsOf(hextets(bare).slice(0, 4), 16)}`;
}

/** The range of `prefix` bits around an address key (the default for its family when not given); null when it is not an IP address or the prefix does not fit. */
export function rangeAround(addressKey: string, prefix?: number): AddressRange | null {
  const bits = addressBits(addressKey);
  if (bits === null) return null;
  const v4 = bits.startsWith('4:');
  const length = prefix ?? (v4 ? DEFAULT_IPV4_PREFIX : DEFAULT_IPV6_PREFIX);
  if (!Number.isInteger(length) || length < (v4 ? 8 : 16) || length > (v4 ? 32 : MAX_IPV6_PREFIX)) return null;
  return fromBits(bits.slice(0, 2 + length));
}

/**
 * A range written as CIDR (`198.51.100.0/24`, `2001:db8::/32`), normalised to its network; null when it
 * does not parse, or is wider than an IPv4 /8 or an IPv6 /16 (a mistake, not a ban), or longer than an IPv6 /64.
 */
export function parseRange(cidr: string): AddressRange | null {
  const match = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(cidr.trim());
  if (!match) return null;
  const [, address, prefix] = match as unknown as [string, string, string];
  if (!isIPv4(address) && !isIPv6(address)) return null;
  const full = isIPv4(address) ? `4:${bitsOf(address.split('.').map(Number), 8)}` : `6:${bitsOf(hextets(address), 16)}`;
  const length = Number(prefix);
  const v4 = full.startsWith('4:');
  if (length < (v4 ? 8 : 16) || length > (v4 ? 32 : MAX_IPV6_PREFIX)) return null;
  return fromBits(full.slice(0, 2 + length));
}

/** The range whose bits these are, written as CIDR. */
function fromBits(bits: string): AddressRange {
  const v4 = bits.startsWith('4:');
  const prefix = bits.length - 2;
  const padded = bits.slice(2).padEnd(v4 ? 32 : 128, '0');
  const width = v4 ? 8 : 16;
  const groups: number[] = [];
  for (let i = 0; i < padded.length; i += width) groups.push(parseInt(padded.slice(i, i + width), 2));
  const network = v4 ? groups.join('.') : compressIpv6(groups);
  return { range: `${network}/${prefix}`, bits };
}

/** The shortest spelling of eight groups: the longest run of zero groups (two or more) as `::`. */
function compressIpv6(groups: number[]): string {
  let best = { at: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { at: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at === -1) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}
