/**
 * A small encoder for NetFlow v5 / v9 / IPFIX export messages and for a pcap of UDP
 * packets carrying them: the unit tests build their fixtures in code with it.
 */

/** Big-endian byte builder. */
export class Bytes {
  private readonly parts: number[] = [];
  u8(v: number): this { this.parts.push(v & 255); return this; }
  u16(v: number): this { return this.u8(v >>> 8).u8(v); }
  u32(v: number): this { return this.u16(Math.floor(v / 65536) & 0xffff).u16(v & 0xffff); }
  u64(v: number): this { return this.u32(Math.floor(v / 4294967296)).u32(v % 4294967296); }
  bytes(b: ArrayLike<number>): this { for (let i = 0; i < b.length; i++) this.parts.push(b[i] & 255); return this; }
  ip4(text: string): this { return this.bytes(text.split('.').map(Number)); }
  /** Unsigned integer in n bytes (reduced-size encoding in tests). */
  uint(v: number, n: number): this {
    for (let i = n - 1; i >= 0; i--) this.u8(Math.floor(v / 2 ** (8 * i)));
    return this;
  }
  get length(): number { return this.parts.length; }
  done(): Uint8Array { return Uint8Array.from(this.parts); }
}

export function ip6Bytes(text: string): number[] {
  const [head, tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = text.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g, 16));
  return groups.flatMap((g) => [g >>> 8, g & 255]);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// ---- NetFlow v5 --------------------------------------------------------------------

export interface V5Record {
  src: string; dst: string; nextHop?: string; input?: number; output?: number;
  packets: number; bytes: number; first: number; last: number;
  srcPort: number; dstPort: number; tcpFlags?: number; proto: number; tos?: number;
  srcAs?: number; dstAs?: number; srcMask?: number; dstMask?: number;
}

export interface V5Header {
  sysUptime: number; unixSecs: number; unixNsecs?: number; sequence?: number;
  engineType?: number; engineId?: number; samplingInterval?: number; samplingMode?: number;
}

/** A NetFlow v5 datagram: 24-byte header + 48-byte records. */
export function v5Datagram(h: V5Header, records: V5Record[], countOverride?: number): Uint8Array {
  const b = new Bytes().u16(5).u16(countOverride ?? records.length).u32(h.sysUptime).u32(h.unixSecs).u32(h.unixNsecs ?? 0)
    .u32(h.sequence ?? 0).u8(h.engineType ?? 0).u8(h.engineId ?? 0)
    .u16(((h.samplingMode ?? 0) << 14) | (h.samplingInterval ?? 0));
  for (const r of records) {
    b.ip4(r.src).ip4(r.dst).ip4(r.nextHop ?? '0.0.0.0').u16(r.input ?? 0).u16(r.output ?? 0).u32(r.packets).u32(r.bytes)
      .u32(r.first).u32(r.last).u16(r.srcPort).u16(r.dstPort).u8(0).u8(r.tcpFlags ?? 0).u8(r.proto).u8(r.tos ?? 0)
      .u16(r.srcAs ?? 0).u16(r.dstAs ?? 0).u8(r.srcMask ?? 0).u8(r.dstMask ?? 0).u16(0);
  }
  return b.done();
}

// ---- Templates and sets (v9 and IPFIX) ----------------------------------------------

export interface FieldSpec {
  id: number;
  len: number;
  /** Enterprise number (IPFIX only). */
  pen?: number;
}

/** A field value: a number (written in the field's length), address text or raw bytes. */
export type FieldValue = number | string | Uint8Array;

function writeValue(b: Bytes, f: FieldSpec, v: FieldValue, ipfix: boolean): void {
  if (f.len === 65535) {
    const raw = v instanceof Uint8Array ? v : typeof v === 'string' ? new TextEncoder().encode(v) : new Bytes().u32(v).done();
    if (!ipfix) throw new Error('variable length is IPFIX only');
    if (raw.length < 255) b.u8(raw.length);
    else b.u8(255).u16(raw.length);
    b.bytes(raw);
    return;
  }
  if (v instanceof Uint8Array) b.bytes(v);
  else if (typeof v === 'string') {
    if (v.includes(':')) b.bytes(ip6Bytes(v));
    else b.ip4(v);
  } else b.uint(v, f.len);
}

/** Encodes data records for a template (values in field order). */
export function records(fields: FieldSpec[], rows: FieldValue[][], ipfix: boolean): Uint8Array {
  const b = new Bytes();
  for (const row of rows) fields.forEach((f, i) => writeValue(b, f, row[i], ipfix));
  return b.done();
}

/** A set/FlowSet: {id, length} + body, padded to a multiple of 4 when asked. */
export function set(id: number, body: Uint8Array, pad = false): Uint8Array {
  const padLen = pad ? (4 - ((body.length + 4) % 4)) % 4 : 0;
  return new Bytes().u16(id).u16(4 + body.length + padLen).bytes(body).bytes(new Array(padLen).fill(0)).done();
}

function specifiers(b: Bytes, fields: FieldSpec[], ipfix: boolean): void {
  for (const f of fields) {
    if (f.pen !== undefined && ipfix) b.u16(0x8000 | f.id).u16(f.len).u32(f.pen);
    else b.u16(f.id).u16(f.len);
  }
}

/** v9 template FlowSet (id 0) with one or more templates. */
export function v9TemplateSet(...templates: { id: number; fields: FieldSpec[] }[]): Uint8Array {
  const b = new Bytes();
  for (const t of templates) { b.u16(t.id).u16(t.fields.length); specifiers(b, t.fields, false); }
  return set(0, b.done());
}

/** v9 options template FlowSet (id 1): scope fields (scope type, length) then options. */
export function v9OptionsTemplateSet(id: number, scope: FieldSpec[], options: FieldSpec[]): Uint8Array {
  const b = new Bytes().u16(id).u16(scope.length * 4).u16(options.length * 4);
  specifiers(b, scope, false);
  specifiers(b, options, false);
  return set(1, b.done(), true);
}

/** A NetFlow v9 packet: 20-byte header + FlowSets. */
export function v9Packet(h: { sysUptime: number; unixSecs: number; sequence?: number; sourceId?: number; count?: number }, ...sets: Uint8Array[]): Uint8Array {
  const body = concat(...sets);
  return concat(new Bytes().u16(9).u16(h.count ?? sets.length).u32(h.sysUptime).u32(h.unixSecs).u32(h.sequence ?? 0).u32(h.sourceId ?? 0).done(), body);
}

/** IPFIX template set (id 2); a template with no fields is a withdrawal. */
export function ipfixTemplateSet(...templates: { id: number; fields: FieldSpec[] }[]): Uint8Array {
  const b = new Bytes();
  for (const t of templates) { b.u16(t.id).u16(t.fields.length); specifiers(b, t.fields, true); }
  return set(2, b.done());
}

/** IPFIX options template set (id 3). */
export function ipfixOptionsTemplateSet(id: number, scope: FieldSpec[], options: FieldSpec[]): Uint8Array {
  const b = new Bytes().u16(id).u16(scope.length + options.length).u16(scope.length);
  specifiers(b, [...scope, ...options], true);
  return set(3, b.done());
}

/** An IPFIX message: 16-byte header (RFC 7011 §3.1) + sets. */
export function ipfixMessage(h: { exportTime: number; sequence?: number; domain?: number }, ...sets: Uint8Array[]): Uint8Array {
  const body = concat(...sets);
  return concat(new Bytes().u16(10).u16(16 + body.length).u32(h.exportTime).u32(h.sequence ?? 0).u32(h.domain ?? 0).done(), body);
}

// ---- pcap of UDP packets --------------------------------------------------------------

export interface UdpPacket {
  src: string;
  dst: string;
  srcPort?: number;
  dstPort?: number;
  payload: Uint8Array;
  tsSec?: number;
}

function ipChecksum(h: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < h.length; i += 2) sum += (h[i] << 8) | h[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** A little-endian µs pcap (LINKTYPE_ETHERNET) of UDP packets over IPv4 or IPv6. */
export function udpPcap(packets: UdpPacket[]): Uint8Array {
  const out: Uint8Array[] = [];
  const gh = new Uint8Array(24);
  const gv = new DataView(gh.buffer);
  gv.setUint32(0, 0xa1b2c3d4, true);
  gv.setUint16(4, 2, true);
  gv.setUint16(6, 4, true);
  gv.setUint32(16, 262144, true);
  gv.setUint32(20, 1, true);
  out.push(gh);
  packets.forEach((p, i) => {
    const v6 = p.src.includes(':');
    const udp = new Bytes().u16(p.srcPort ?? 2055).u16(p.dstPort ?? 2055).u16(8 + p.payload.length).u16(0).bytes(p.payload).done();
    let ip: Uint8Array;
    if (v6) {
      ip = new Bytes().u32(0x60000000).u16(udp.length).u8(17).u8(64).bytes(ip6Bytes(p.src)).bytes(ip6Bytes(p.dst)).bytes(udp).done();
    } else {
      const h = new Bytes().u8(0x45).u8(0).u16(20 + udp.length).u16(i + 1).u16(0).u8(64).u8(17).u16(0).ip4(p.src).ip4(p.dst).done();
      const ck = ipChecksum(h);
      h[10] = ck >>> 8;
      h[11] = ck & 255;
      ip = concat(h, udp);
    }
    const frame = concat(new Bytes().bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]).u16(v6 ? 0x86dd : 0x0800).done(), ip);
    const rh = new Uint8Array(16);
    const rv = new DataView(rh.buffer);
    rv.setUint32(0, p.tsSec ?? 1_700_000_000 + i, true);
    rv.setUint32(8, frame.length, true);
    rv.setUint32(12, frame.length, true);
    out.push(rh, frame);
  });
  return concat(...out);
}

/** The same packets as a little-endian pcapng (SHB, one Ethernet IDB, EPBs). */
export function udpPcapng(packets: UdpPacket[]): Uint8Array {
  const pcap = udpPcap(packets);
  const dv = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const le = (words: number[]) => { const b = new Uint8Array(words.length * 4); const v = new DataView(b.buffer); words.forEach((w, i) => v.setUint32(i * 4, w, true)); return b; };
  const blocks: Uint8Array[] = [
    le([0x0a0d0d0a, 28, 0x1a2b3c4d, 1, 0xffffffff, 0xffffffff, 28]), // SHB: version 1.0, unknown section length
    concat(le([1, 20]), new Uint8Array([1, 0, 0, 0]), le([0, 20])), // IDB: LINKTYPE_ETHERNET, snaplen 0
  ];
  let p = 24;
  while (p + 16 <= pcap.length) {
    const sec = dv.getUint32(p, true);
    const cap = dv.getUint32(p + 8, true);
    const frame = pcap.subarray(p + 16, p + 16 + cap);
    const padded = new Uint8Array(Math.ceil(cap / 4) * 4);
    padded.set(frame);
    const us = sec * 1e6;
    const total = 32 + padded.length;
    blocks.push(concat(le([6, total, 0, Math.floor(us / 2 ** 32), us % 2 ** 32, cap, cap]), padded, le([total])));
    p += 16 + cap;
  }
  return concat(...blocks);
}
