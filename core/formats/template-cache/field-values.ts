/**
 * Value decoders for NetFlow v9 / IPFIX fields (RFC 7011 §6.1 abstract data types).
 * All integers are network byte order; RFC 7011 §6.2 reduced-size encoding means an
 * unsigned field may arrive in fewer bytes than its type, so every reader takes a length.
 */

const TWO32 = 4294967296;
/** Seconds between the NTP era 0 epoch (1900) and the Unix epoch (1970). */
export const NTP_UNIX_OFFSET_S = 2208988800;

/** Unsigned big-endian integer of 0..8 bytes (longer: the low 8 bytes). Exact below 2^53. */
export function readUint(dv: DataView, b: Uint8Array, o: number, len: number): number {
  switch (len) {
    case 1: return b[o];
    case 2: return dv.getUint16(o);
    case 4: return dv.getUint32(o);
    case 8: return dv.getUint32(o) * TWO32 + dv.getUint32(o + 4);
    default: {
      let v = 0;
      const from = len > 8 ? o + len - 8 : o;
      for (let i = from; i < o + len; i++) v = v * 256 + b[i];
      return v;
    }
  }
}

/** RFC 7011 §6.1.9/§6.1.10 dateTimeMicroseconds/Nanoseconds: 64-bit NTP timestamp -> UTC µs. */
export function readNtpMicros(dv: DataView, o: number, len: number): number {
  if (len !== 8) return NaN;
  const sec = dv.getUint32(o);
  const frac = dv.getUint32(o + 4);
  return (sec - NTP_UNIX_OFFSET_S) * 1e6 + Math.round((frac * 1e6) / TWO32);
}

export { readIp6 } from '../common/read-ip6';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of len bytes, at most `cap` bytes (a longer value ends in "…"). */
export function readHex(b: Uint8Array, o: number, len: number, cap = 512): string {
  const n = Math.min(len, cap);
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[b[o + i]];
  return n < len ? `${s}…` : s;
}

export function readMac(b: Uint8Array, o: number, len: number): string {
  if (len !== 6) return readHex(b, o, len);
  return `${HEX[b[o]]}:${HEX[b[o + 1]]}:${HEX[b[o + 2]]}:${HEX[b[o + 3]]}:${HEX[b[o + 4]]}:${HEX[b[o + 5]]}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** RFC 7011 §6.1.6 string (UTF-8); exporters often NUL-pad fixed-length strings. */
export function readString(b: Uint8Array, o: number, len: number): string {
  let e = o + Math.min(len, 4096);
  while (e > o && b[e - 1] === 0) e--;
  return utf8.decode(b.subarray(o, e));
}
