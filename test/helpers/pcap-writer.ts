/**
 * Builds capture bytes in code (the project's own fixtures): IPv4/IPv6 packets with
 * TCP/UDP/ICMP headers and valid checksums, link-layer wrappers, and pcap/pcapng files.
 */
import { parseIp, type Ip } from '../../core/model/ip';

export interface TcpSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** Flags as letters (S A F R P U) or a number. */
  flags: string | number;
  seq?: number;
  ack?: number;
  win?: number;
  /** Payload bytes, or a length (filled with a pattern). */
  payload?: Uint8Array | number;
  ttl?: number;
  tos?: number;
  ipId?: number;
  /** Corrupt the transport checksum. */
  badChecksum?: boolean;
}

export interface UdpSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  payload?: Uint8Array | number;
  ttl?: number;
  badChecksum?: boolean;
}

export interface IcmpSpec {
  src: string;
  dst: string;
  type: number;
  code?: number;
  /** Identifier/sequence word and payload. */
  rest?: number;
  payload?: Uint8Array | number;
}

const FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80 };

/** TCP flag letters to bits. */
export function tcpFlags(f: string | number): number {
  if (typeof f === 'number') return f;
  let v = 0;
  for (const ch of f) v |= FLAG_BITS[ch] ?? 0;
  return v;
}

function bytesOf(p: Uint8Array | number | undefined): Uint8Array {
  if (p === undefined) return new Uint8Array(0);
  if (typeof p !== 'number') return p;
  const b = new Uint8Array(p);
  for (let i = 0; i < p; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

function ip(text: string): Ip {
  const v = parseIp(text);
  if (v === null) throw new Error(`bad address ${text}`);
  return v;
}

/** RFC 1071 one's complement sum of 16-bit words, folded. */
export function onesSum(b: Uint8Array, start: number, end: number, init = 0): number {
  let sum = init;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < end) sum += b[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return sum;
}

function pseudoSum(src: Ip, dst: Ip, proto: number, len: number): number {
  let s = proto + len;
  for (const a of [src, dst]) {
    if (typeof a === 'number') s += (a >>> 16) + (a & 0xffff);
    else for (let i = 0; i < 4; i++) s += (a[i] >>> 16) + (a[i] & 0xffff);
  }
  return s;
}

/** Wraps a transport segment in an IPv4 or IPv6 header (by the address family). */
export function ipPacket(src: string, dst: string, proto: number, l4: Uint8Array, o: { ttl?: number; tos?: number; ipId?: number; fragOffset?: number; moreFragments?: boolean } = {}): Uint8Array {
  const s = ip(src);
  const d = ip(dst);
  if (typeof s === 'number' && typeof d === 'number') {
    const out = new Uint8Array(20 + l4.length);
    const dv = new DataView(out.buffer);
    out[0] = 0x45;
    out[1] = o.tos ?? 0;
    dv.setUint16(2, out.length);
    dv.setUint16(4, o.ipId ?? 1);
    dv.setUint16(6, ((o.fragOffset ?? 0) >> 3) | (o.moreFragments ? 0x2000 : 0));
    out[8] = o.ttl ?? 64;
    out[9] = proto;
    dv.setUint32(12, s);
    dv.setUint32(16, d);
    dv.setUint16(10, ~onesSum(out, 0, 20) & 0xffff);
    out.set(l4, 20);
    return out;
  }
  const out = new Uint8Array(40 + l4.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, (6 << 28) | ((o.tos ?? 0) << 20));
  dv.setUint16(4, l4.length);
  out[6] = proto;
  out[7] = o.ttl ?? 64;
  for (let i = 0; i < 4; i++) {
    dv.setUint32(8 + 4 * i, (s as Uint32Array)[i]);
    dv.setUint32(24 + 4 * i, (d as Uint32Array)[i]);
  }
  out.set(l4, 40);
  return out;
}

/** An IPv4/IPv6 packet carrying a TCP segment with a valid checksum (unless asked otherwise). */
export function tcpPacket(t: TcpSpec): Uint8Array {
  const payload = bytesOf(t.payload);
  const seg = new Uint8Array(20 + payload.length);
  const dv = new DataView(seg.buffer);
  dv.setUint16(0, t.sport);
  dv.setUint16(2, t.dport);
  dv.setUint32(4, (t.seq ?? 1000) >>> 0);
  dv.setUint32(8, (t.ack ?? 0) >>> 0);
  seg[12] = 5 << 4;
  seg[13] = tcpFlags(t.flags);
  dv.setUint16(14, t.win ?? 65535);
  seg.set(payload, 20);
  const sum = onesSum(seg, 0, seg.length, pseudoSum(ip(t.src), ip(t.dst), 6, seg.length));
  dv.setUint16(16, (~sum & 0xffff) ^ (t.badChecksum ? 0x5a5a : 0));
  return ipPacket(t.src, t.dst, 6, seg, t);
}

/** An IPv4/IPv6 packet carrying a UDP datagram with a valid checksum. */
export function udpPacket(u: UdpSpec): Uint8Array {
  const payload = bytesOf(u.payload);
  const seg = new Uint8Array(8 + payload.length);
  const dv = new DataView(seg.buffer);
  dv.setUint16(0, u.sport);
  dv.setUint16(2, u.dport);
  dv.setUint16(4, seg.length);
  seg.set(payload, 8);
  let ck = ~onesSum(seg, 0, seg.length, pseudoSum(ip(u.src), ip(u.dst), 17, seg.length)) & 0xffff;
  if (ck === 0) ck = 0xffff;
  dv.setUint16(6, ck ^ (u.badChecksum ? 0x5a5a : 0));
  return ipPacket(u.src, u.dst, 17, seg, u);
}

/** An ICMP (IPv4) or ICMPv6 (IPv6) message with a valid checksum. */
export function icmpPacket(m: IcmpSpec): Uint8Array {
  const payload = bytesOf(m.payload);
  const seg = new Uint8Array(8 + payload.length);
  const dv = new DataView(seg.buffer);
  seg[0] = m.type;
  seg[1] = m.code ?? 0;
  dv.setUint32(4, m.rest ?? 0x12340001);
  seg.set(payload, 8);
  const s = ip(m.src);
  const v6 = typeof s !== 'number';
  const init = v6 ? pseudoSum(s, ip(m.dst), 58, seg.length) : 0;
  dv.setUint16(2, ~onesSum(seg, 0, seg.length, init) & 0xffff);
  return ipPacket(m.src, m.dst, v6 ? 58 : 1, seg);
}

/** Ethernet II frame, optionally with 802.1Q/802.1ad tags (outer first). */
export function ethernet(payload: Uint8Array, o: { vlans?: number[]; etherType?: number; tagType?: number } = {}): Uint8Array {
  const tags = o.vlans ?? [];
  const out = new Uint8Array(14 + 4 * tags.length + payload.length);
  const dv = new DataView(out.buffer);
  out.set([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x66, 0x77, 0x88, 0x99, 0xaa], 0);
  let o2 = 12;
  tags.forEach((vid, i) => {
    dv.setUint16(o2, i === 0 && tags.length > 1 ? (o.tagType ?? 0x88a8) : 0x8100);
    dv.setUint16(o2 + 2, vid);
    o2 += 4;
  });
  const et = o.etherType ?? ((payload[0] >> 4) === 6 ? 0x86dd : 0x0800);
  dv.setUint16(o2, et);
  out.set(payload, o2 + 2);
  return out;
}

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL) header. */
export function sll(payload: Uint8Array, protocol = (payload[0] >> 4) === 6 ? 0x86dd : 0x0800): Uint8Array {
  const out = new Uint8Array(16 + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, 0); // to us
  dv.setUint16(2, 1); // ARPHRD_ETHER
  dv.setUint16(4, 6);
  dv.setUint16(14, protocol);
  out.set(payload, 16);
  return out;
}

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2) header. */
export function sll2(payload: Uint8Array, protocol = (payload[0] >> 4) === 6 ? 0x86dd : 0x0800): Uint8Array {
  const out = new Uint8Array(20 + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, protocol);
  dv.setUint32(4, 2);
  dv.setUint16(8, 1);
  out[11] = 6;
  out.set(payload, 20);
  return out;
}

/** BSD loopback (LINKTYPE_NULL, host byte order) or OpenBSD LOOP (network order) header. */
export function loopback(payload: Uint8Array, family: number, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, family, littleEndian);
  out.set(payload, 4);
  return out;
}

export interface CapturedPacket {
  tsUs: number;
  data: Uint8Array;
  /** Original length when the capture cut the packet (defaults to data.length). */
  origLen?: number;
  /** pcapng interface index. */
  iface?: number;
  /** pcapng block type to use. */
  block?: 'epb' | 'spb' | 'pb';
}

export interface PcapOptions {
  linkType: number;
  littleEndian?: boolean;
  nano?: boolean;
  snaplen?: number;
}

/** A classic pcap file (draft-ietf-opsawg-pcap §4-5). */
export function pcapFile(packets: CapturedPacket[], o: PcapOptions): Uint8Array {
  const le = o.littleEndian ?? true;
  const size = 24 + packets.reduce((n, p) => n + 16 + p.data.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, o.nano ? 0xa1b23c4d : 0xa1b2c3d4, le);
  dv.setUint16(4, 2, le);
  dv.setUint16(6, 4, le);
  dv.setUint32(16, o.snaplen ?? 262144, le);
  dv.setUint32(20, o.linkType, le);
  let off = 24;
  for (const p of packets) {
    const sec = Math.floor(p.tsUs / 1e6);
    const us = p.tsUs - sec * 1e6;
    dv.setUint32(off, sec, le);
    dv.setUint32(off + 4, o.nano ? us * 1000 : us, le);
    dv.setUint32(off + 8, p.data.length, le);
    dv.setUint32(off + 12, p.origLen ?? p.data.length, le);
    out.set(p.data, off + 16);
    off += 16 + p.data.length;
  }
  return out;
}

export interface PcapngInterface {
  linkType: number;
  snaplen?: number;
  /** if_tsresol byte (default 6 = µs). */
  tsresol?: number;
  /** if_tsoffset seconds. */
  tsoffset?: number;
  name?: string;
}

export interface PcapngSection {
  littleEndian?: boolean;
  interfaces: PcapngInterface[];
  packets: CapturedPacket[];
  /** Unknown blocks to insert before the packets (type, body). */
  extraBlocks?: { type: number; body: Uint8Array }[];
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** A pcapng file (draft-ietf-opsawg-pcapng §4), sections one after the other. */
export function pcapngFile(sections: PcapngSection[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const sec of sections) {
    const le = sec.littleEndian ?? true;
    const block = (type: number, body: Uint8Array): void => {
      const len = 12 + pad4(body.length);
      const b = new Uint8Array(len);
      const dv = new DataView(b.buffer);
      dv.setUint32(0, type, le);
      dv.setUint32(4, len, le);
      b.set(body, 8);
      dv.setUint32(len - 4, len, le);
      parts.push(b);
    };
    const shb = new Uint8Array(16);
    const sdv = new DataView(shb.buffer);
    sdv.setUint32(0, 0x1a2b3c4d, le);
    sdv.setUint16(4, 1, le);
    sdv.setUint16(6, 0, le);
    sdv.setInt32(8, -1, le);
    sdv.setInt32(12, -1, le);
    block(0x0a0d0d0a, shb);
    for (const i of sec.interfaces) {
      const opts: number[] = [];
      const optBytes: Uint8Array[] = [];
      const addOpt = (code: number, value: Uint8Array): void => {
        const ob = new Uint8Array(4 + pad4(value.length));
        const odv = new DataView(ob.buffer);
        odv.setUint16(0, code, le);
        odv.setUint16(2, value.length, le);
        ob.set(value, 4);
        optBytes.push(ob);
        opts.push(code);
      };
      if (i.name) addOpt(2, new TextEncoder().encode(i.name));
      if (i.tsresol !== undefined) addOpt(9, Uint8Array.of(i.tsresol));
      if (i.tsoffset !== undefined) {
        const v = new Uint8Array(8);
        new DataView(v.buffer).setBigInt64(0, BigInt(i.tsoffset), le);
        addOpt(14, v);
      }
      if (optBytes.length) optBytes.push(new Uint8Array(4)); // opt_endofopt
      const optLen = optBytes.reduce((n, b) => n + b.length, 0);
      const body = new Uint8Array(8 + optLen);
      const bdv = new DataView(body.buffer);
      bdv.setUint16(0, i.linkType, le);
      bdv.setUint32(4, i.snaplen ?? 262144, le);
      let o = 8;
      for (const b of optBytes) { body.set(b, o); o += b.length; }
      block(1, body);
    }
    for (const x of sec.extraBlocks ?? []) block(x.type, x.body);
    for (const p of sec.packets) {
      const iface = sec.interfaces[p.iface ?? 0];
      const kind = p.block ?? 'epb';
      if (kind === 'spb') {
        const body = new Uint8Array(4 + pad4(p.data.length));
        new DataView(body.buffer).setUint32(0, p.origLen ?? p.data.length, le);
        body.set(p.data, 4);
        block(3, body);
        continue;
      }
      const r = iface.tsresol ?? 6;
      const units = r & 0x80 ? BigInt(p.tsUs) * (1n << BigInt(r & 0x7f)) / 1000000n : (BigInt(p.tsUs - (iface.tsoffset ?? 0) * 1e6) * 10n ** BigInt(r)) / 1000000n;
      const body = new Uint8Array(20 + pad4(p.data.length));
      const bdv = new DataView(body.buffer);
      if (kind === 'pb') {
        bdv.setUint16(0, p.iface ?? 0, le);
        bdv.setUint16(2, 0, le);
      } else bdv.setUint32(0, p.iface ?? 0, le);
      bdv.setUint32(4, Number(units >> 32n), le);
      bdv.setUint32(8, Number(units & 0xffffffffn), le);
      bdv.setUint32(12, p.data.length, le);
      bdv.setUint32(16, p.origLen ?? p.data.length, le);
      body.set(p.data, 20);
      block(kind === 'pb' ? 2 : 6, body);
    }
  }
  const total = parts.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of parts) { out.set(b, o); o += b.length; }
  return out;
}

/** A TCP conversation helper: tracks sequence numbers for both sides. */
export class TcpConversation {
  private cseq: number;
  private sseq: number;
  readonly packets: CapturedPacket[] = [];
  private t: number;

  constructor(
    readonly client: string,
    readonly server: string,
    readonly cport: number,
    readonly sport: number,
    startUs = 1_700_000_000_000_000,
    private readonly wrap: (ipPkt: Uint8Array) => Uint8Array = (p) => ethernet(p),
  ) {
    this.cseq = 1000;
    this.sseq = 5000;
    this.t = startUs;
  }

  /** Adds one segment from the client ('c') or the server ('s'). */
  send(from: 'c' | 's', flags: string, payload: number | Uint8Array = 0, o: { dtUs?: number; seq?: number; win?: number; badChecksum?: boolean } = {}): this {
    this.t += o.dtUs ?? 1000;
    const c = from === 'c';
    const f = tcpFlags(flags);
    const seq = o.seq ?? (c ? this.cseq : this.sseq);
    const ack = f & 0x10 ? (c ? this.sseq : this.cseq) : 0;
    const pkt = tcpPacket({
      src: c ? this.client : this.server, dst: c ? this.server : this.client, sport: c ? this.cport : this.sport, dport: c ? this.sport : this.cport,
      flags: f, seq, ack, payload, win: o.win, badChecksum: o.badChecksum,
    });
    const adv = (typeof payload === 'number' ? payload : payload.length) + (f & 0x02 ? 1 : 0) + (f & 0x01 ? 1 : 0);
    if (o.seq === undefined) {
      if (c) this.cseq = (this.cseq + adv) >>> 0;
      else this.sseq = (this.sseq + adv) >>> 0;
    }
    this.packets.push({ tsUs: this.t, data: this.wrap(pkt) });
    return this;
  }
}
