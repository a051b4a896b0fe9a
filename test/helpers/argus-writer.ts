/**
 * Writes small Argus 3 binary files for tests, record by record, the way argus 3.0.8
 * lays them out (argus_out.h structs, network byte order, ArgusModeler.c's choice of
 * compressed metric widths). Only what the tests need; not a general Argus writer.
 */
import { parseIp } from '../../core/model/ip';

export interface ArgusManSpec {
  cause?: number;
  startUs: number;
  nowUs?: number;
  pktsRcvd?: number;
  dropped?: number;
}

export interface ArgusTcpSpec {
  /** ArgusTCPObject.status bits (ARGUS_SAW_SYN 1, SAW_SYN_SENT 2, CON_ESTABLISHED 4, FIN 8, FIN_ACK 0x10, RESET 0x3000...). */
  status: number;
  sFlags: number;
  dFlags: number;
  /** Which network DSR to write: TCP_STATUS (default), TCP_PERF or TCP_INIT. */
  kind?: 'status' | 'perf' | 'init';
}

export interface ArgusFlowSpec {
  cause?: number;
  src: string;
  dst: string;
  proto: number;
  sport?: number;
  dport?: number;
  icmpType?: number;
  icmpCode?: number;
  icmpId?: number;
  /** Store the key responder-first with ARGUS_REVERSE set, as argus does for some flows. */
  reverse?: boolean;
  /** Set ARGUS_DIRECTION in the flow qualifier. */
  direction?: boolean;
  startUs: number;
  endUs?: number;
  sPkts: number;
  sBytes: number;
  dPkts: number;
  dBytes: number;
  sApp?: number;
  dApp?: number;
  tcp?: ArgusTcpSpec;
  sTtl?: number;
  sTos?: number;
  dTtl?: number;
  dTos?: number;
  seq?: number;
  /** Extra raw DSRs appended after the standard ones. */
  extraDsrs?: Uint8Array[];
}

export interface ArgusArpSpec {
  cause?: number;
  spa: string;
  tpa: string;
  startUs: number;
  endUs?: number;
  sPkts: number;
  sBytes: number;
  dPkts: number;
  dBytes: number;
}

export interface ArgusEtherSpec {
  cause?: number;
  srcMac: string;
  dstMac: string;
  ssap: number;
  dsap: number;
  startUs: number;
  sPkts: number;
  sBytes: number;
}

class Bytes {
  private readonly parts: number[] = [];
  u8(v: number): this { this.parts.push(v & 0xff); return this; }
  u16(v: number): this { return this.u8(v >>> 8).u8(v); }
  u32(v: number): this { return this.u16(v >>> 16).u16(v & 0xffff); }
  u64(v: number): this { return this.u32(Math.floor(v / 2 ** 32)).u32(v % 2 ** 32); }
  raw(b: ArrayLike<number>): this { for (let i = 0; i < b.length; i++) this.u8(b[i]); return this; }
  get length(): number { return this.parts.length; }
  done(): Uint8Array { return Uint8Array.from(this.parts); }
}

function time(b: Bytes, us: number): void {
  b.u32(Math.floor(us / 1e6)).u32(us % 1e6);
}

/** The 128-byte management record (struct ArgusMarStruct). */
export function argusMan(spec: ArgusManSpec): Uint8Array {
  const b = new Bytes();
  b.u8(0x83).u8(spec.cause ?? 0x10).u16(32);
  b.u32(0).u32(0xe5712dcb).u32(0).u32(0).u32(0); // status, argusid (cookie), localnet, netmask, nextMrSequenceNum
  time(b, spec.startUs);
  time(b, spec.nowUs ?? spec.startUs);
  b.u8(3).u8(0).u8(0).u8(0).u16(5).u16(60); // version 3.0, interface, report 5 s, MAR 60 s
  b.u64(spec.pktsRcvd ?? 0).u64(0).u64(0); // pktsRcvd, bytesRcvd, drift
  b.u32(0).u32(0).u32(spec.dropped ?? 0).u32(0).u32(0).u32(0).u32(0).u32(0);
  b.u16(0).u16(0);
  b.raw(new Uint8Array(16)).u32(0);
  return b.done();
}

function record(type: number, cause: number, body: Uint8Array): Uint8Array {
  const b = new Bytes();
  b.u8(type).u8(cause).u16((body.length + 4) / 4).raw(body);
  return b.done();
}

function ip4(text: string): number {
  const v = parseIp(text);
  if (typeof v !== 'number') throw new Error(`not IPv4: ${text}`);
  return v;
}

function ip6(text: string): Uint32Array {
  const v = parseIp(text);
  if (v === null || typeof v === 'number') throw new Error(`not IPv6: ${text}`);
  return v;
}

function transportDsr(b: Bytes, seq: number): void {
  b.u8(0x01).u8(0x03).u8(0x00).u8(3).u32(0).u32(seq);
}

function timeDsr(b: Bytes, startUs: number, endUs: number): void {
  if (endUs === startUs) {
    b.u8(0x03).u8(0x01).u8(0x18).u8(3);
    time(b, startUs);
  } else {
    b.u8(0x03).u8(0x02).u8(0x18).u8(5);
    time(b, startUs);
    time(b, endUs);
  }
}

/** ArgusMetricStruct compressed as ArgusModeler.c ArgusGenerateRecord chooses. */
function metricDsr(b: Bytes, s: { sPkts: number; sBytes: number; dPkts: number; dBytes: number; sApp?: number; dApp?: number }): void {
  const app = s.sApp !== undefined || s.dApp !== undefined;
  const sa = s.sApp ?? 0;
  const da = s.dApp ?? 0;
  let width: number;
  let size: number;
  if (s.sPkts && s.dPkts) {
    if (s.sPkts <= 0xff && s.dPkts <= 0xff && s.sBytes <= 0xff && s.dBytes <= 0xff) { width = 1; size = 1; }
    else if (s.sBytes <= 0xffff && s.dBytes <= 0xffff) { width = 2; size = 2; }
    else if (s.sBytes <= 0xffffffff && s.dBytes <= 0xffffffff) { width = 3; size = 4; }
    else { width = 4; size = 8; }
  } else if (s.sPkts) {
    if (s.sBytes <= 0xffff) { width = 6; size = 2; }
    else if (s.sBytes <= 0xffffffff) { width = 7; size = 4; }
    else { width = 8; size = 8; }
  } else {
    if (s.dBytes <= 0xffff) { width = 0x0a; size = 2; }
    else if (s.dBytes <= 0xffffffff) { width = 0x0b; size = 4; }
    else { width = 0x0c; size = 8; }
  }
  const vals: number[] = [];
  if (width <= 4 || (width >= 5 && width <= 8)) vals.push(s.sPkts, s.sBytes, ...(app ? [sa] : []));
  if (width <= 4 || width >= 9) vals.push(s.dPkts, s.dBytes, ...(app ? [da] : []));
  const body = new Bytes();
  for (const v of vals) {
    if (size === 1) body.u8(v);
    else if (size === 2) body.u16(v);
    else if (size === 4) body.u32(v);
    else body.u64(v);
  }
  while (body.length % 4) body.u8(0);
  b.u8(0x10).u8(app ? 0x04 : 0x01).u8(width).u8(1 + body.length / 4).raw(body.done());
}

function tcpDsr(b: Bytes, t: ArgusTcpSpec): void {
  switch (t.kind ?? 'status') {
    case 'status':
      b.u8(0x30).u8(0x04).u8(0).u8(3).u32(t.status).u8(t.sFlags).u8(t.dFlags).u16(0);
      break;
    case 'init':
      b.u8(0x30).u8(0x03).u8(0).u8(5).u32(t.status).u32(0).u32(0).u16(0).u8(t.sFlags).u8(0);
      break;
    case 'perf': {
      b.u8(0x30).u8(0x05).u8(0).u8(30);
      b.u32(t.status).u32(0).u32(0).u32(0).u32(0);
      for (const f of [t.sFlags, t.dFlags]) {
        b.raw(new Uint8Array(8 + 20 + 16)); // lasttime, status..winnum, bytes..winbytes
        b.u16(0).u8(f).u8(0); // win, flags, winshift
      }
      break;
    }
  }
}

function attrDsr(b: Bytes, s: { sTtl?: number; sTos?: number; dTtl?: number; dTos?: number; sPkts: number; dPkts: number }): void {
  const hasS = s.sPkts > 0;
  const hasD = s.dPkts > 0;
  if (!hasS && !hasD) return;
  b.u8(0x48).u8(0).u8((hasS ? 1 : 0) | (hasD ? 2 : 0)).u8(1 + (hasS ? 1 : 0) + (hasD ? 1 : 0));
  if (hasS) b.u8(s.sTtl ?? 64).u8(s.sTos ?? 0).u16(0);
  if (hasD) b.u8(s.dTtl ?? 64).u8(s.dTos ?? 0).u16(0);
}

/** One FAR for an IPv4 or IPv6 flow: transport, flow, time, metric, network, attributes. */
export function argusFlow(spec: ArgusFlowSpec): Uint8Array {
  const b = new Bytes();
  transportDsr(b, spec.seq ?? 1);
  const v6 = spec.src.includes(':');
  const [k1, k2] = spec.reverse ? [spec.dst, spec.src] : [spec.src, spec.dst];
  const icmp = spec.proto === 1 || spec.proto === 58;
  const [p1, p2] = spec.reverse && !icmp ? [spec.dport ?? 0, spec.sport ?? 0] : [spec.sport ?? 0, spec.dport ?? 0];
  const subtype = 0x01 | (spec.reverse ? 0x40 : 0);
  const qual = (v6 ? 0x02 : 0x01) | (spec.direction ? 0x20 : 0);
  b.u8(0x02).u8(subtype).u8(qual).u8(v6 ? 11 : 5);
  if (v6) {
    for (const w of ip6(k1)) b.u32(w);
    for (const w of ip6(k2)) b.u32(w);
    b.u8(spec.proto).u8(0).u16(0);
  } else {
    b.u32(ip4(k1)).u32(ip4(k2)).u8(spec.proto).u8(0);
  }
  if (icmp) b.u8(spec.icmpType ?? 0).u8(spec.icmpCode ?? 0).u16(spec.icmpId ?? 0);
  else b.u16(p1).u16(p2);
  if (!v6) b.u16(icmp ? 0 : 0); // ip_id / smask,dmask
  timeDsr(b, spec.startUs, spec.endUs ?? spec.startUs);
  metricDsr(b, spec);
  if (spec.tcp) tcpDsr(b, spec.tcp);
  else b.u8(0x30).u8(0).u8(0).u8(1);
  attrDsr(b, spec);
  b.u8(0x20).u8(0).u8(0).u8(3).u32(2).u32(0); // ArgusEncapsStruct: Ethernet
  for (const d of spec.extraDsrs ?? []) b.raw(d);
  return record(0x13, spec.cause ?? 0x10, b.done());
}

/** One FAR for an ARP exchange (ARGUS_FLOW_ARP / ARGUS_TYPE_ARP, 3.0.8's 24-byte DSR). */
export function argusArp(spec: ArgusArpSpec): Uint8Array {
  const b = new Bytes();
  transportDsr(b, 1);
  b.u8(0x02).u8(0x06).u8(0x04).u8(6);
  b.u16(1).u16(0x0800).u8(6).u8(4).u16(1).u32(ip4(spec.spa)).u32(ip4(spec.tpa)).raw([0, 0x13, 0x7f, 0xbe]);
  timeDsr(b, spec.startUs, spec.endUs ?? spec.startUs);
  metricDsr(b, spec);
  b.u8(0x30).u8(0).u8(0).u8(1);
  return record(0x13, spec.cause ?? 0x10, b.done());
}

/** One FAR for a layer-2 (llc) flow keyed by MAC addresses. */
export function argusEther(spec: ArgusEtherSpec): Uint8Array {
  const b = new Bytes();
  transportDsr(b, 1);
  const mac = (t: string) => t.split(':').map((x) => parseInt(x, 16));
  b.u8(0x02).u8(0x01).u8(0x03).u8(5).raw(mac(spec.dstMac)).raw(mac(spec.srcMac)).u16(0).u8(spec.dsap).u8(spec.ssap);
  timeDsr(b, spec.startUs, spec.startUs);
  metricDsr(b, { sPkts: spec.sPkts, sBytes: spec.sBytes, dPkts: 0, dBytes: 0 });
  b.u8(0x30).u8(0).u8(0).u8(1);
  return record(0x13, spec.cause ?? 0x10, b.done());
}

/** Concatenates records into one file image. */
export function argusFile(...records: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of records) { out.set(r, at); at += r.length; }
  return out;
}
