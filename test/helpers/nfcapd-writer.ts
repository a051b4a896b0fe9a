/**
 * Writes nfdump files (LAYOUT_VERSION_2, nffileV2.h) in code, for tests and benchmarks:
 * V3 records (nfxV3.h) in type-3 data blocks, an optional appendix with the ident and stat
 * records, and block compression with encoders that are simple to get right here:
 * none, LZ4 (lz4js, an independent encoder), ZSTD (raw-block frames, RFC 8878 §3.1.1.2)
 * and LZO1X (literal runs only; nfdump's real LZO output is covered by the corpus checks).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import type { Ip } from '../../core/model/ip';
import { mulberry32 } from './seeded-random';

export interface SyntheticFlow {
  startMs: number;
  endMs: number;
  proto: number;
  src: Ip;
  dst: Ip;
  srcPort: number;
  dstPort: number;
  packets: number;
  bytes: number;
  tcpFlags?: number;
  tos?: number;
  inIf?: number;
  outIf?: number;
  srcAs?: number;
  dstAs?: number;
  outPackets?: number;
  outBytes?: number;
  nextHop?: number;
  exporterId?: number;
  engineType?: number;
  engineId?: number;
}

export type WriterCompression = 'none' | 'lzo' | 'lz4' | 'zstd';

export interface NfcapdWriteOptions {
  compression?: WriterCompression;
  /** Records per data block (default 1000). */
  recordsPerBlock?: number;
  /** Exporter info records written before the flows (exporter.h). */
  exporters?: { sysid: number; ip: number; version: number; id: number }[];
  /** Write the appendix (ident + stat record); default true. */
  appendix?: boolean;
  /** Overrides the stat record totals (to test the mismatch note). */
  stat?: { flows: number; packets: number; bytes: number };
  ident?: string;
}

const COMPRESSION_ID: Record<WriterCompression, number> = { none: 0, lzo: 1, lz4: 3, zstd: 4 };

function putU64(dv: DataView, o: number, v: number): void {
  dv.setUint32(o, v % 4294967296, true);
  dv.setUint32(o + 4, Math.floor(v / 4294967296), true);
}

function putIp6(dv: DataView, o: number, w: Uint32Array): void {
  // uint64_t[2] in host order, first u64 = first 8 address bytes
  dv.setUint32(o + 4, w[0], true);
  dv.setUint32(o, w[1], true);
  dv.setUint32(o + 12, w[2], true);
  dv.setUint32(o + 8, w[3], true);
}

/** Size of the V3 record `encodeV3Record` writes for a flow. */
export function v3RecordSize(f: SyntheticFlow): number {
  let n = 12 + 52 + (typeof f.src === 'number' ? 12 : 36);
  if (f.inIf !== undefined || f.outIf !== undefined) n += 20;
  if (f.outPackets !== undefined || f.outBytes !== undefined) n += 28;
  if (f.srcAs !== undefined || f.dstAs !== undefined) n += 12;
  if (f.nextHop !== undefined) n += 8;
  return n;
}

/** Writes one V3 record (nfxV3.h recordHeaderV3_t + elements) at dv[o]; returns its size. */
export function encodeV3Record(dv: DataView, o: number, f: SyntheticFlow): number {
  const size = v3RecordSize(f);
  let n = 0;
  let q = o + 12;
  const el = (type: number, len: number) => { dv.setUint16(q, type, true); dv.setUint16(q + 2, len, true); n++; const d = q + 4; q += len; return d; };
  let d = el(1, 52); // EXgenericFlow
  putU64(dv, d, f.startMs);
  putU64(dv, d + 8, f.endMs);
  putU64(dv, d + 16, 0);
  putU64(dv, d + 24, f.packets);
  putU64(dv, d + 32, f.bytes);
  dv.setUint16(d + 40, f.srcPort, true);
  dv.setUint16(d + 42, f.dstPort, true);
  dv.setUint8(d + 44, f.proto);
  dv.setUint8(d + 45, f.tcpFlags ?? 0);
  dv.setUint8(d + 46, 0);
  dv.setUint8(d + 47, f.tos ?? 0);
  dv.setUint16(d + 48, 0, true); // struct padding
  if (typeof f.src === 'number') {
    d = el(2, 12); // EXipv4Flow
    dv.setUint32(d, f.src, true);
    dv.setUint32(d + 4, f.dst as number, true);
  } else {
    d = el(3, 36); // EXipv6Flow
    putIp6(dv, d, f.src);
    putIp6(dv, d + 16, f.dst as Uint32Array);
  }
  if (f.inIf !== undefined || f.outIf !== undefined) {
    d = el(4, 20); // EXflowMisc
    dv.setUint32(d, f.inIf ?? 0, true);
    dv.setUint32(d + 4, f.outIf ?? 0, true);
    for (let i = 8; i < 16; i++) dv.setUint8(d + i, 0);
  }
  if (f.outPackets !== undefined || f.outBytes !== undefined) {
    d = el(5, 28); // EXcntFlow
    putU64(dv, d, 1);
    putU64(dv, d + 8, f.outPackets ?? 0);
    putU64(dv, d + 16, f.outBytes ?? 0);
  }
  if (f.srcAs !== undefined || f.dstAs !== undefined) {
    d = el(7, 12); // EXasRouting
    dv.setUint32(d, f.srcAs ?? 0, true);
    dv.setUint32(d + 4, f.dstAs ?? 0, true);
  }
  if (f.nextHop !== undefined) {
    d = el(10, 8); // EXipNextHopV4
    dv.setUint32(d, f.nextHop, true);
  }
  // recordHeaderV3_t: type 11, size, numElements, engineType, engineID, exporterID, flags, nfversion
  dv.setUint16(o, 11, true);
  dv.setUint16(o + 2, size, true);
  dv.setUint16(o + 4, n, true);
  dv.setUint8(o + 6, f.engineType ?? 0);
  dv.setUint8(o + 7, f.engineId ?? 0);
  dv.setUint16(o + 8, f.exporterId ?? 0, true);
  dv.setUint8(o + 10, 0);
  dv.setUint8(o + 11, 9);
  return size;
}

function fileHeader(compression: number, numBlocks: number, appendixBlocks: number, offAppendix: number): Uint8Array {
  const h = new Uint8Array(40);
  const dv = new DataView(h.buffer);
  dv.setUint16(0, 0xa50c, true);
  dv.setUint16(2, 2, true);
  dv.setUint32(4, 0x01070100, true);
  putU64(dv, 8, 1700000000);
  h[16] = compression;
  h[17] = 0;
  dv.setUint16(18, appendixBlocks, true);
  dv.setUint32(20, 0, true);
  putU64(dv, 24, offAppendix);
  dv.setUint32(32, 0, true);
  dv.setUint32(36, numBlocks, true);
  return h;
}

function blockOf(numRecords: number, payload: Uint8Array, type = 3): Uint8Array {
  const b = new Uint8Array(12 + payload.length);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, numRecords, true);
  dv.setUint32(4, payload.length, true);
  dv.setUint16(8, type, true);
  dv.setUint16(10, 0, true);
  b.set(payload, 12);
  return b;
}

interface Lz4js { compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number; compressBound(n: number): number }
const lz4 = createRequire(import.meta.url)('lz4js') as Lz4js;

/** LZ4 raw block (lz4js). */
export function lz4Compress(src: Uint8Array): Uint8Array {
  const dst = new Uint8Array(lz4.compressBound(src.length));
  const n = lz4.compressBlock(src, dst, 0, src.length, new Uint32Array(1 << 16));
  // lz4js returns 0 for incompressible input; a block of literals only is still valid LZ4
  if (n === 0) return lz4LiteralsOnly(src);
  return dst.subarray(0, n);
}

function lz4LiteralsOnly(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  const len = src.length;
  if (len < 15) out.push(len << 4);
  else {
    out.push(0xf0);
    let rest = len - 15;
    while (rest >= 255) { out.push(255); rest -= 255; }
    out.push(rest);
  }
  const head = Uint8Array.from(out);
  const all = new Uint8Array(head.length + len);
  all.set(head, 0);
  all.set(src, head.length);
  return all;
}

/** A zstd frame made of raw (stored) blocks, RFC 8878 §3.1.1: valid input for any decoder. */
export function zstdStoredFrame(src: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58])]; // FHD 0: window descriptor follows; 0x58 = 2^21 window
  const MAX = 128 * 1024;
  let off = 0;
  do {
    const n = Math.min(MAX, src.length - off);
    const last = off + n >= src.length ? 1 : 0;
    const hdr = (n << 3) | (0 << 1) | last; // Block_Type 0 = Raw
    parts.push(Uint8Array.from([hdr & 0xff, (hdr >>> 8) & 0xff, (hdr >>> 16) & 0xff]), src.subarray(off, off + n));
    off += n;
  } while (off < src.length);
  return concat(parts);
}

/**
 * An LZO1X stream of literal runs only, as lzo1x_1_compress emits for incompressible data
 * (lzo1x_c.ch STORE_RUN): first run as 17 + n (n <= 238) or a 0-led extended run, then the
 * end-of-stream marker M4 with distance 0 (0x11 0x00 0x00).
 */
export function lzoLiteralsOnly(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  const t = src.length;
  if (t <= 238) out.push(17 + t);
  else if (t <= 18) out.push(t - 3);
  else {
    let tt = t - 18;
    out.push(0);
    while (tt > 255) { tt -= 255; out.push(0); }
    out.push(tt);
  }
  const head = Uint8Array.from(out);
  return concat([head, src, Uint8Array.from([0x11, 0, 0])]);
}

function compressPayload(c: WriterCompression, payload: Uint8Array): Uint8Array {
  switch (c) {
    case 'none': return payload;
    case 'lz4': return lz4Compress(payload);
    case 'zstd': return zstdStoredFrame(payload);
    case 'lzo': return lzoLiteralsOnly(payload);
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function exporterRecord(e: { sysid: number; ip: number; version: number; id: number }): Uint8Array {
  const r = new Uint8Array(32);
  const dv = new DataView(r.buffer);
  dv.setUint16(0, 7, true);
  dv.setUint16(2, 32, true);
  dv.setUint32(4, e.version, true);
  dv.setUint32(16, e.ip, true);
  dv.setUint16(24, 2, true);
  dv.setUint16(26, e.sysid, true);
  dv.setUint32(28, e.id, true);
  return r;
}

function appendixBlock(ident: string, stat: { flows: number; packets: number; bytes: number }): Uint8Array {
  const identRec = new Uint8Array(4 + ident.length + 1);
  const idv = new DataView(identRec.buffer);
  idv.setUint16(0, 0x8001, true);
  idv.setUint16(2, identRec.length, true);
  for (let i = 0; i < ident.length; i++) identRec[4 + i] = ident.charCodeAt(i);
  const statRec = new Uint8Array(4 + 144);
  const sdv = new DataView(statRec.buffer);
  sdv.setUint16(0, 0x8002, true);
  sdv.setUint16(2, statRec.length, true);
  putU64(sdv, 4, stat.flows);
  putU64(sdv, 12, stat.bytes);
  putU64(sdv, 20, stat.packets);
  return blockOf(2, concat([identRec, statRec]));
}

/** Builds a whole nfdump v2 file in memory. */
export function buildNfcapd(flows: SyntheticFlow[], opts: NfcapdWriteOptions = {}): Uint8Array {
  const compression = opts.compression ?? 'none';
  const per = opts.recordsPerBlock ?? 1000;
  const blocks: Uint8Array[] = [];
  if (opts.exporters?.length) {
    blocks.push(blockOf(opts.exporters.length, compressPayload(compression, concat(opts.exporters.map(exporterRecord)))));
  }
  let packets = 0;
  let bytes = 0;
  for (let i = 0; i < flows.length; i += per) {
    const chunk = flows.slice(i, i + per);
    const size = chunk.reduce((s, f) => s + v3RecordSize(f), 0);
    const payload = new Uint8Array(size);
    const dv = new DataView(payload.buffer);
    let o = 0;
    for (const f of chunk) {
      o += encodeV3Record(dv, o, f);
      packets += f.packets + (f.outPackets ?? 0);
      bytes += f.bytes + (f.outBytes ?? 0);
    }
    blocks.push(blockOf(chunk.length, compressPayload(compression, payload)));
  }
  const withAppendix = opts.appendix ?? true;
  const dataLen = blocks.reduce((s, b) => s + b.length, 0);
  const parts = [fileHeader(COMPRESSION_ID[compression], blocks.length, withAppendix ? 1 : 0, withAppendix ? 40 + dataLen : 0), ...blocks];
  if (withAppendix) {
    // nffile.c WriteAppendix() hands the appendix to nfwrite() like any block, so it is
    // compressed with the file's method too.
    parts.push(appendixOf(compression, opts.ident ?? 'flowcase-test', opts.stat ?? { flows: flows.length, packets, bytes }));
  }
  return concat(parts);
}

function appendixOf(c: WriterCompression, ident: string, stat: { flows: number; packets: number; bytes: number }): Uint8Array {
  const plain = appendixBlock(ident, stat);
  if (c === 'none') return plain;
  return blockOf(2, compressPayload(c, plain.subarray(12)));
}

/** A small deterministic PRNG (mulberry32). */
export const prng = mulberry32;

/**
 * Streams a large uncompressed v2 file of IPv4 TCP/UDP flows (EXgenericFlow + EXipv4Flow,
 * 76 bytes each) to `path`, for speed tests. Deterministic for a seed.
 */
export function writeSyntheticNfcapd(path: string, opts: { records: number; seed: number; recordsPerBlock?: number }): { records: number; packets: number; bytes: number; fileBytes: number } {
  const per = opts.recordsPerBlock ?? 20000;
  const rnd = prng(opts.seed);
  const recSize = 76;
  const fd = openSync(path, 'w');
  let packets = 0;
  let bytes = 0;
  let fileBytes = 0;
  try {
    const numBlocks = Math.ceil(opts.records / per);
    const dataLen = numBlocks * 12 + opts.records * recSize;
    const header = fileHeader(0, numBlocks, 1, 40 + dataLen);
    writeSync(fd, header);
    fileBytes += header.length;
    const buf = new Uint8Array(12 + per * recSize);
    const dv = new DataView(buf.buffer);
    const f: SyntheticFlow = { startMs: 0, endMs: 0, proto: 6, src: 0, dst: 0, srcPort: 0, dstPort: 0, packets: 0, bytes: 0 };
    let t = 1700000000000;
    for (let done = 0; done < opts.records; done += per) {
      const n = Math.min(per, opts.records - done);
      dv.setUint32(0, n, true);
      dv.setUint32(4, n * recSize, true);
      dv.setUint16(8, 3, true);
      dv.setUint16(10, 0, true);
      let o = 12;
      for (let i = 0; i < n; i++) {
        t += Math.floor(rnd() * 5);
        f.startMs = t;
        f.endMs = t + Math.floor(rnd() * 60000);
        f.proto = rnd() < 0.8 ? 6 : 17;
        f.src = (0x0a000000 + Math.floor(rnd() * 65536)) >>> 0;
        f.dst = (0xc0a80000 + Math.floor(rnd() * 65536)) >>> 0;
        f.srcPort = 1024 + Math.floor(rnd() * 60000);
        f.dstPort = [80, 443, 53, 22, 25][Math.floor(rnd() * 5)];
        f.packets = 1 + Math.floor(rnd() * 100);
        f.bytes = f.packets * (40 + Math.floor(rnd() * 1400));
        f.tcpFlags = f.proto === 6 ? 0x1b : 0;
        o += encodeV3Record(dv, o, f);
        packets += f.packets;
        bytes += f.bytes;
      }
      writeSync(fd, buf, 0, o);
      fileBytes += o;
    }
    const app = appendixBlock('synthetic', { flows: opts.records, packets, bytes });
    writeSync(fd, app);
    fileBytes += app.length;
  } finally {
    closeSync(fd);
  }
  return { records: opts.records, packets, bytes, fileBytes };
}

/** One flow-tools record (ftrec.h fields); unset fields are 0. */
export interface FtRecord {
  unix_secs?: number; unix_nsecs?: number; sysuptime?: number; exaddr?: number;
  srcaddr: number; dstaddr: number; nexthop?: number; input?: number; output?: number;
  dPkts: number; dOctets: number; First: number; Last: number; srcport: number; dstport: number;
  prot: number; tos?: number; tcp_flags?: number; flags?: number; engine_type?: number; engine_id?: number;
  src_mask?: number; dst_mask?: number; src_as?: number; dst_as?: number; router_sc?: number;
}

/**
 * Builds a flow-tools file (stream version 3 header with TLVs, ftlib.h) holding v1/v5/v6/v7
 * records in the chosen byte order, plain or zlib-compressed as one stream.
 */
export function buildFlowTools(records: FtRecord[], opts: { version?: 1 | 5 | 6 | 7; littleEndian?: boolean; compress?: boolean; comments?: string; flowCount?: number } = {}): Uint8Array {
  const version = opts.version ?? 5;
  const le = opts.littleEndian ?? false;
  const compress = opts.compress ?? false;
  const size = { 1: 60, 5: 64, 6: 72, 7: 68 }[version];
  const tlvs: Uint8Array[] = [];
  const tlv = (type: number, value: Uint8Array) => {
    const t = new Uint8Array(4 + value.length);
    const dv = new DataView(t.buffer);
    dv.setUint16(0, type, le);
    dv.setUint16(2, value.length, le);
    t.set(value, 4);
    tlvs.push(t);
  };
  const u16 = (v: number) => { const b = new Uint8Array(2); new DataView(b.buffer).setUint16(0, v, le); return b; };
  const u32 = (v: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, le); return b; };
  const str = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)).concat(0));
  tlv(0x2, u16(version));
  tlv(0x8, u32(compress ? 0x3 : 0x1));
  tlv(0xa, u32(opts.flowCount ?? records.length));
  tlv(0xf, str('flowcase-test'));
  tlv(0x10, str(opts.comments ?? 'flowcase-test'));
  const body = concat(tlvs);
  const head = new Uint8Array(8 + body.length);
  head.set([0xcf, 0x10, le ? 1 : 2, 3], 0);
  new DataView(head.buffer).setUint32(4, head.length, le);
  head.set(body, 8);
  const recs = new Uint8Array(records.length * size);
  const dv = new DataView(recs.buffer);
  records.forEach((r, i) => {
    const o = i * size;
    dv.setUint32(o, r.unix_secs ?? 0, le);
    dv.setUint32(o + 4, r.unix_nsecs ?? 0, le);
    dv.setUint32(o + 8, r.sysuptime ?? 0, le);
    dv.setUint32(o + 12, r.exaddr ?? 0, le);
    dv.setUint32(o + 16, r.srcaddr, le);
    dv.setUint32(o + 20, r.dstaddr, le);
    dv.setUint32(o + 24, r.nexthop ?? 0, le);
    dv.setUint16(o + 28, r.input ?? 0, le);
    dv.setUint16(o + 30, r.output ?? 0, le);
    dv.setUint32(o + 32, r.dPkts, le);
    dv.setUint32(o + 36, r.dOctets, le);
    dv.setUint32(o + 40, r.First, le);
    dv.setUint32(o + 44, r.Last, le);
    dv.setUint16(o + 48, r.srcport, le);
    dv.setUint16(o + 50, r.dstport, le);
    dv.setUint8(o + 52, r.prot);
    dv.setUint8(o + 53, r.tos ?? 0);
    dv.setUint8(o + 54, r.tcp_flags ?? 0);
    if (version !== 1) {
      dv.setUint8(o + 55, version === 7 ? r.flags ?? 0 : 0);
      dv.setUint8(o + 56, r.engine_type ?? 0);
      dv.setUint8(o + 57, r.engine_id ?? 0);
      dv.setUint8(o + 58, r.src_mask ?? 0);
      dv.setUint8(o + 59, r.dst_mask ?? 0);
      dv.setUint16(o + 60, r.src_as ?? 0, le);
      dv.setUint16(o + 62, r.dst_as ?? 0, le);
      if (version === 7) dv.setUint32(o + 64, r.router_sc ?? 0, le);
    }
  });
  return concat([head, compress ? new Uint8Array(deflateSync(recs, { level: 9 })) : recs]);
}
