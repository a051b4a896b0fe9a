/**
 * IP addresses as the decoders and the store see them.
 *
 * An IPv4 address is a plain unsigned 32-bit number (fast to decode, no allocation);
 * an IPv6 address is a Uint32Array of four big-endian words. The store keeps every
 * address as one UHUGEINT, IPv4 mapped into ::ffff:0:0/96 (RFC 4291 §2.5.5.2), so
 * that one column, one index and one range comparison serve both families.
 */
export type Ip6 = Uint32Array;
export type Ip = number | Ip6;

const V4_MAPPED_PREFIX = 0xffffn << 32n;

/** Parses dotted IPv4 (zero-padded octets allowed, as IPAudit writes them) or IPv6 text. */
export function parseIp(text: string): Ip | null {
  const s = text.trim();
  if (s.includes(':')) return parseIp6(s);
  return parseIp4(s);
}

export function parseIp4(s: string): number | null {
  let value = 0;
  let octets = 0;
  let cur = -1;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46; // virtual trailing '.'
    if (c === 46) {
      if (cur < 0 || cur > 255) return null;
      value = value * 256 + cur;
      octets++;
      cur = -1;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      cur = (cur < 0 ? 0 : cur) * 10 + (c - 48);
      if (++digits > 3) return null;
    } else return null;
  }
  return octets === 4 ? value >>> 0 : null;
}

export function parseIp6(input: string): Ip6 | null {
  let s = input;
  const pct = s.indexOf('%'); // zone index (fe80::1%eth0) is not part of the address
  if (pct >= 0) s = s.slice(0, pct);
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const groups: number[] = [];
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return null;
  const parts = (str: string): number[] | null => {
    if (str === '') return [];
    const out: number[] = [];
    const items = str.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseIp4(it);
        if (v4 === null) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  if (dbl >= 0) {
    const head = parts(s.slice(0, dbl));
    const tail = parts(s.slice(dbl + 2));
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups.push(...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    const all = parts(s);
    if (!all || all.length !== 8) return null;
    groups.push(...all);
  }
  const out = new Uint32Array(4);
  for (let i = 0; i < 4; i++) out[i] = ((groups[2 * i] << 16) | groups[2 * i + 1]) >>> 0;
  return out;
}

export function formatIp4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** RFC 5952 text: lower case, longest run of zero groups compressed. */
export function formatIp6(w: ArrayLike<number>): string {
  const g: number[] = [];
  for (let i = 0; i < 4; i++) g.push(w[i] >>> 16, w[i] & 0xffff);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

export function formatIp(ip: Ip): string {
  return typeof ip === 'number' ? formatIp4(ip) : formatIp6(ip);
}

/** The store's UHUGEINT form. */
export function ipToBigInt(ip: Ip): bigint {
  if (typeof ip === 'number') return V4_MAPPED_PREFIX | BigInt(ip >>> 0);
  return (BigInt(ip[0]) << 96n) | (BigInt(ip[1]) << 64n) | (BigInt(ip[2]) << 32n) | BigInt(ip[3]);
}

export function isV4Mapped(v: bigint): boolean {
  return v >> 32n === 0xffffn;
}

/** Text form of a stored address (IPv4-mapped values print as dotted quads). */
export function formatIpBigInt(v: bigint): string {
  if (isV4Mapped(v)) return formatIp4(Number(v & 0xffffffffn));
  const w = new Uint32Array(4);
  for (let i = 0; i < 4; i++) w[i] = Number((v >> BigInt(96 - 32 * i)) & 0xffffffffn);
  return formatIp6(w);
}

export interface Cidr {
  readonly family: 4 | 6;
  readonly prefix: number;
  /** First and last address of the block in the store's UHUGEINT form. */
  readonly first: bigint;
  readonly last: bigint;
}

/** Parses `10.0.0.0/8`, `2001:db8::/32` or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr | null {
  const [addrText, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const ip = parseIp(addrText);
  if (ip === null) return null;
  const family = typeof ip === 'number' ? 4 : 6;
  const maxPrefix = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix || (prefixText !== undefined && !/^\d+$/.test(prefixText))) return null;
  const hostBits = BigInt(maxPrefix - prefix);
  const base = ipToBigInt(ip);
  const mask = (1n << hostBits) - 1n;
  const first = base & ~mask;
  return { family, prefix, first, last: first | mask };
}
