import type { Ip } from '../../model/ip';

/** Little-endian u64 as a JS number (exact below 2^53, which counters and ms times stay under). */
export function u64le(dv: DataView, o: number): number {
  return dv.getUint32(o, true) + dv.getUint32(o + 4, true) * 4294967296;
}

/**
 * nfdump keeps an IPv6 address as `uint64_t addr[2]` in host (little-endian) order, addr[0]
 * holding the first 8 bytes of the address: so big-endian word 0 is the high half of the
 * first u64, i.e. the u32 at +4.
 */
export function ip6le(dv: DataView, o: number): Uint32Array {
  const w = new Uint32Array(4);
  w[0] = dv.getUint32(o + 4, true);
  w[1] = dv.getUint32(o, true);
  w[2] = dv.getUint32(o + 12, true);
  w[3] = dv.getUint32(o + 8, true);
  return w;
}

/** A MAC address stored in the low 48 bits of a little-endian u64, as text. */
export function macLe(dv: DataView, o: number): string {
  const hex: string[] = [];
  for (let i = 5; i >= 0; i--) hex.push(dv.getUint8(o + i).toString(16).padStart(2, '0'));
  return hex.join(':');
}

/** A NUL-terminated Latin-1 string of at most `max` bytes. */
export function cString(buf: Uint8Array, o: number, max: number): string {
  let s = '';
  const end = Math.min(buf.length, o + max);
  for (let i = o; i < end && buf[i] !== 0; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/** True for the all-zero address (nfdump's "not set"). */
export function isZeroIp(ip: Ip): boolean {
  return typeof ip === 'number' ? ip === 0 : (ip[0] | ip[1] | ip[2] | ip[3]) === 0;
}
