import type { DecodedPacket } from './decoded-packet';

/**
 * Verifies the TCP/UDP/ICMP checksum of a fully captured, unfragmented packet
 * (RFC 1071 one's complement sum; TCP/UDP and ICMPv6 include the RFC 9293 §3.1 /
 * RFC 8200 §8.1 pseudo-header).
 * Returns 1 valid, 0 invalid, -1 not checkable (UDP/IPv4 checksum 0 means "none").
 */
export function verifyTransportChecksum(p: DecodedPacket): -1 | 0 | 1 {
  const buf = p.buf;
  const l4 = p.l4Pos;
  const len = p.l4HeaderLen + p.payloadLen;
  if (!p.hasTransport || p.isFragment || l4 + len > p.ipEnd) return -1;
  let sum = 0;
  if (p.proto === 17 && p.ipVersion === 4 && buf[l4 + 6] === 0 && buf[l4 + 7] === 0) return -1;
  if (p.proto !== 1) {
    // Pseudo-header: addresses, protocol, transport length.
    if (p.ipVersion === 4) {
      const s = p.src as number;
      const d = p.dst as number;
      sum += (s >>> 16) + (s & 0xffff) + (d >>> 16) + (d & 0xffff);
    } else {
      const s = p.src as Uint32Array;
      const d = p.dst as Uint32Array;
      for (let i = 0; i < 4; i++) sum += (s[i] >>> 16) + (s[i] & 0xffff) + (d[i] >>> 16) + (d[i] & 0xffff);
    }
    sum += p.proto + len;
  }
  // 32-bit reads, summed as their two 16-bit halves in two accumulators, 16 bytes per turn:
  // the sums stay small integers (a 64 KiB packet adds up to below 2^31 in each), which is
  // much cheaper than one double accumulator.
  const dv = p.dv;
  const end = l4 + len;
  let hi = 0;
  let lo = 0;
  let i = l4;
  for (; i + 15 < end; i += 16) {
    const a = dv.getInt32(i);
    const b = dv.getInt32(i + 4);
    const c = dv.getInt32(i + 8);
    const d = dv.getInt32(i + 12);
    hi += (a >>> 16) + (b >>> 16) + (c >>> 16) + (d >>> 16);
    lo += (a & 0xffff) + (b & 0xffff) + (c & 0xffff) + (d & 0xffff);
  }
  for (; i + 3 < end; i += 4) {
    const w = dv.getInt32(i);
    hi += w >>> 16;
    lo += w & 0xffff;
  }
  sum += hi + lo;
  if (i + 1 < end) { sum += (buf[i] << 8) | buf[i + 1]; i += 2; }
  if (i < end) sum += buf[i] << 8;
  // A valid packet sums to 0xffff after folding, i.e. to a positive multiple of 0xffff.
  return sum > 0 && sum % 0xffff === 0 ? 1 : 0;
}
