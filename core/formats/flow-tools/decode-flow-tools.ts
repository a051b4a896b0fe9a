import { Readable } from 'node:stream';
import { createInflate } from 'node:zlib';
import type { DecodeContext, DecodeFailure, FlowSink } from '../decoder';
import type { ByteSource } from '../common/byte-source';
import type { FlowInput } from '../../model/flow-batch';
import { formatIp4 } from '../../model/ip';
import * as L from './flow-tools-layout';
import { icmpFromPort } from '../../model/icmp-port';
import { isIcmp } from '../../model/protocols';

/** What the header of a flow-tools file says. */
export interface FlowToolsHeader {
  byteOrder: 'little' | 'big';
  streamVersion: number;
  /** Export version of the records (1, 5, 6, 7, 8...). */
  flowVersion: number;
  aggVersion?: number;
  aggMethod?: number;
  exporterIp?: string;
  capStart?: number;
  capEnd?: number;
  flags: number;
  compressed: boolean;
  flowCount?: number;
  flowsLost?: number;
  flowsMisordered?: number;
  hostname?: string;
  comments?: string;
  /** Bytes before the first record. */
  headerLength: number;
}

/** One record with the flow-tools field names (ftrec.h), as flow-print would show it. */
export interface FlowToolsRecord {
  unix_secs: number; unix_nsecs: number; sysuptime: number; exaddr: number;
  srcip: number; dstip: number; nexthop: number; input: number; output: number;
  packets: number; octets: number; first_flow: number; last_flow: number;
  srcport: number; dstport: number; protocol: number; tos: number; tcp_flags: number;
  flags?: number; engine_type?: number; engine_id?: number; src_mask?: number; dst_mask?: number;
  src_as?: number; dst_as?: number; router_sc?: number; in_encaps?: number; out_encaps?: number; peer_nexthop?: number;
}

/**
 * Streams a flow-tools file into the sink. `onRecord`, for tests and tools, also receives
 * every record with its raw flow-tools fields.
 */
export async function decodeFlowTools(ctx: DecodeContext, onRecord?: (r: FlowToolsRecord) => void): Promise<DecodeFailure | void> {
  const { source, sink } = ctx;
  const header = await readHeader(source);
  if ('code' in header) return header;
  reportHeader(sink, header);
  if (header.flowVersion === 8) {
    return { code: 'unsupported-version', offset: 8, message: `flow-tools v8 aggregation files (v8.${header.aggMethod ?? '?'}) are not supported: they hold aggregates, not flows` };
  }
  const recSize = L.FT_RECORD_SIZE[header.flowVersion];
  if (recSize === undefined) {
    return { code: 'unsupported-version', offset: 8, message: `flow-tools export version ${header.flowVersion} is not supported (1, 5, 6 and 7 are)` };
  }
  const reader = new RecordReader(sink, header, recSize, onRecord);
  if (!header.compressed) {
    await reader.plain(source);
  } else {
    await reader.inflate(source);
  }
  // flow-capture fills FLOW_COUNT when it closes the file; 0 means it was never set
  if (header.flowCount !== undefined && header.flowCount > 0 && header.flowCount !== reader.records) {
    sink.note({ code: 'count-mismatch', offset: 0, message: `header says ${header.flowCount} flows; ${reader.records} records were read` });
  }
}

async function readHeader(source: ByteSource): Promise<FlowToolsHeader | DecodeFailure> {
  if (!(await source.ensure(4))) return { code: 'bad-magic', offset: 0, message: 'file is shorter than a flow-tools header' };
  const b = source.buf;
  const p = source.pos;
  if (b[p] !== L.FT_MAGIC1 || b[p + 1] !== L.FT_MAGIC2) return { code: 'bad-magic', offset: 0, message: `not a flow-tools file (no 0xCF10 magic; found 0x${b[p].toString(16).padStart(2, '0')}${b[p + 1].toString(16).padStart(2, '0')})` };
  const order = b[p + 2];
  if (order !== L.FT_HEADER_LITTLE_ENDIAN && order !== L.FT_HEADER_BIG_ENDIAN) return { code: 'bad-header', offset: 2, message: `unknown byte order ${order}` };
  const le = order === L.FT_HEADER_LITTLE_ENDIAN;
  const streamVersion = b[p + 3];
  const h: FlowToolsHeader = { byteOrder: le ? 'little' : 'big', streamVersion, flowVersion: 0, flags: 0, compressed: false, headerLength: 0 };
  if (streamVersion === 1) {
    if (!(await source.ensure(L.FT_HEADER1_SIZE))) return { code: 'truncated-header', offset: 0, message: 'file ends inside the 358-byte flow-tools v1 header' };
    const dv = source.dv;
    const q = source.pos;
    h.flowVersion = dv.getUint16(q + 4, le);
    h.capStart = dv.getUint32(q + 6, le);
    h.capEnd = dv.getUint32(q + 10, le);
    h.flags = dv.getUint32(q + 14, le);
    h.flowCount = dv.getUint32(q + 22, le);
    h.flowsLost = dv.getUint32(q + 26, le);
    h.flowsMisordered = dv.getUint32(q + 30, le);
    h.hostname = cStr(source.buf, q + 34, 68);
    h.comments = cStr(source.buf, q + 102, 256);
    h.headerLength = L.FT_HEADER1_SIZE;
  } else if (streamVersion === 3) {
    if (!(await source.ensure(8))) return { code: 'truncated-header', offset: 0, message: 'file ends inside the flow-tools header' };
    const len = source.dv.getUint32(source.pos + 4, le);
    if (len < 8 || len > L.FT_MAX_HEADER) return { code: 'bad-header', offset: 4, message: `flow-tools header length ${len} is not plausible` };
    if (!(await source.ensure(len))) return { code: 'truncated-header', offset: 0, message: `file ends inside the ${len}-byte flow-tools header` };
    const dv = source.dv;
    const q = source.pos;
    for (let o = q + 8; o + 4 <= q + len;) {
      const t = dv.getUint16(o, le);
      const l = dv.getUint16(o + 2, le);
      const v = o + 4;
      if (v + l > q + len) break;
      switch (t) {
        case L.FT_TLV_EX_VER: if (l >= 2) h.flowVersion = dv.getUint16(v, le); break;
        case L.FT_TLV_AGG_VER: if (l >= 1) h.aggVersion = source.buf[v]; break;
        case L.FT_TLV_AGG_METHOD: if (l >= 1) h.aggMethod = source.buf[v]; break;
        case L.FT_TLV_EXPORTER_IP: if (l >= 4) h.exporterIp = formatIp4(dv.getUint32(v, le)); break;
        case L.FT_TLV_CAP_START: if (l >= 4) h.capStart = dv.getUint32(v, le); break;
        case L.FT_TLV_CAP_END: if (l >= 4) h.capEnd = dv.getUint32(v, le); break;
        case L.FT_TLV_HEADER_FLAGS: if (l >= 4) h.flags = dv.getUint32(v, le); break;
        case L.FT_TLV_FLOW_COUNT: if (l >= 4) h.flowCount = dv.getUint32(v, le); break;
        case L.FT_TLV_FLOW_LOST: if (l >= 4) h.flowsLost = dv.getUint32(v, le); break;
        case L.FT_TLV_FLOW_MISORDERED: if (l >= 4) h.flowsMisordered = dv.getUint32(v, le); break;
        case L.FT_TLV_CAP_HOSTNAME: h.hostname = cStr(source.buf, v, l); break;
        case L.FT_TLV_COMMENTS: h.comments = cStr(source.buf, v, l); break;
        default: break;
      }
      o = v + l;
    }
    h.headerLength = len;
  } else {
    return { code: 'unsupported-version', offset: 3, message: `flow-tools stream version ${streamVersion} is not supported (1 and 3 are)` };
  }
  h.compressed = (h.flags & L.FT_HEADER_FLAG_COMPRESS) !== 0;
  source.skip(h.headerLength);
  return h;
}

function cStr(buf: Uint8Array, o: number, max: number): string {
  let s = '';
  for (let i = o; i < o + max && i < buf.length && buf[i] !== 0; i++) s += String.fromCharCode(buf[i]);
  return s;
}

function reportHeader(sink: FlowSink, h: FlowToolsHeader): void {
  const { headerLength: _ignored, ...facts } = h;
  void _ignored;
  sink.fact('flow-tools.header', facts);
  if (h.exporterIp) sink.fact('exporters', [{ address: h.exporterIp, sourceId: null, versions: [h.flowVersion] }]);
}

/**
 * flow-tools ftltime(): the start/end of a flow from the export header time (unix_secs,
 * unix_nsecs), the router uptime at export (sysUpTime, ms) and the flow's First/Last uptime
 * (ms), computed in 32-bit seconds + milliseconds exactly as flow-tools does (lib/ftio.c).
 */
export function ftltimeMs(sysUpTime: number, unixSecs: number, unixNsecs: number, t: number): number {
  const sysS = Math.floor(sysUpTime / 1000);
  const sysM = sysUpTime % 1000;
  let secs = unixSecs;
  let msecs = Math.floor(unixNsecs / 1000000);
  secs = (secs - sysS) >>> 0;
  if (sysM > msecs) {
    secs = (secs - 1) >>> 0;
    msecs += 1000;
  }
  msecs -= sysM;
  secs = (secs + Math.floor(t / 1000)) >>> 0;
  msecs += t % 1000;
  if (msecs >= 1000) {
    msecs -= 1000;
    secs = (secs + 1) >>> 0;
  }
  return secs * 1000 + msecs;
}

class RecordReader {
  records = 0;
  private readonly le: boolean;
  private readonly version: number;

  constructor(
    private readonly sink: FlowSink, header: FlowToolsHeader, private readonly recSize: number,
    private readonly onRecord?: (r: FlowToolsRecord) => void,
  ) {
    this.le = header.byteOrder === 'little';
    this.version = header.flowVersion;
  }

  /** Uncompressed records: read straight from the source; pos = file offset. */
  async plain(source: ByteSource): Promise<void> {
    const size = this.recSize;
    while (!this.sink.aborted) {
      const at = source.offset;
      if (!(await source.ensure(size))) {
        if (source.available > 0) {
          this.sink.reject({ code: 'truncated-record', offset: at, length: source.available, message: `file ends inside a ${size}-byte v${this.version} record (${source.available} bytes left)` });
          source.skip(source.available);
        }
        return;
      }
      const n = Math.floor(source.available / size);
      const dv = source.dv;
      let o = source.pos;
      for (let i = 0; i < n; i++, o += size) this.emit(dv, o, at + i * size, undefined);
      source.skip(n * size);
      await this.sink.yield();
    }
  }

  /**
   * zlib-compressed records: inflate the rest of the file as one stream. Flows report the
   * offset where the compressed stream starts as `pos` and their index as attrs.record; a
   * corrupt stream is reported at the compressed offset where zlib gave up.
   */
  async inflate(source: ByteSource): Promise<void> {
    const size = this.recSize;
    const streamStart = source.offset;
    const inflater = createInflate();
    const input = Readable.from(source.rest());
    const out = input.pipe(inflater);
    input.on('error', (e) => inflater.destroy(e));
    let carry = new Uint8Array(0);
    let carryLen = 0;
    let index = 0;
    try {
      for await (const chunk of out as AsyncIterable<Uint8Array>) {
        let data = chunk;
        if (carryLen > 0) {
          data = new Uint8Array(carryLen + chunk.length);
          data.set(carry.subarray(0, carryLen), 0);
          data.set(chunk, carryLen);
        }
        const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
        const n = Math.floor(data.length / size);
        for (let i = 0; i < n; i++) this.emit(dv, i * size, streamStart, index++);
        carryLen = data.length - n * size;
        if (carryLen > 0) {
          if (carry.length < carryLen) carry = new Uint8Array(size);
          carry.set(data.subarray(n * size), 0);
        }
        if (this.sink.aborted) {
          input.destroy();
          return;
        }
        await this.sink.yield();
      }
    } catch (e) {
      const consumed = inflater.bytesWritten;
      this.sink.reject({
        code: 'corrupt-stream', offset: streamStart + consumed,
        message: `zlib stream breaks after ${index} records (${(e as Error).message}); the records before it are kept`,
      });
      return;
    }
    if (carryLen > 0) {
      this.sink.reject({ code: 'truncated-record', offset: streamStart, message: `compressed stream ends inside record ${index} (${carryLen} of ${size} bytes)` });
    }
  }

  private emit(dv: DataView, o: number, pos: number, index: number | undefined): void {
    const le = this.le;
    const v = this.version;
    // ftrec.h fts3rec_v5 offsets; v1 shares the first 56 bytes, v6/v7 the first 64
    const unixSecs = dv.getUint32(o, le);
    const unixNsecs = dv.getUint32(o + 4, le);
    const sysUp = dv.getUint32(o + 8, le);
    const exaddr = dv.getUint32(o + 12, le);
    const src = dv.getUint32(o + 16, le);
    const dst = dv.getUint32(o + 20, le);
    const nexthop = dv.getUint32(o + 24, le);
    const input = dv.getUint16(o + 28, le);
    const output = dv.getUint16(o + 30, le);
    const packets = dv.getUint32(o + 32, le);
    const octets = dv.getUint32(o + 36, le);
    const first = dv.getUint32(o + 40, le);
    const last = dv.getUint32(o + 44, le);
    const srcPort = dv.getUint16(o + 48, le);
    const dstPort = dv.getUint16(o + 50, le);
    const proto = dv.getUint8(o + 52);
    const tos = dv.getUint8(o + 53);
    const tcpFlags = dv.getUint8(o + 54);
    let attrs: Record<string, unknown> | undefined;
    let srcAs: number | undefined;
    let dstAs: number | undefined;
    let raw: FlowToolsRecord | undefined;
    if (this.onRecord) {
      raw = {
        unix_secs: unixSecs, unix_nsecs: unixNsecs, sysuptime: sysUp, exaddr, srcip: src, dstip: dst, nexthop, input, output,
        packets, octets, first_flow: first, last_flow: last, srcport: srcPort, dstport: dstPort, protocol: proto, tos, tcp_flags: tcpFlags,
      };
    }
    if (nexthop !== 0) attrs = { next_hop: formatIp4(nexthop) };
    if (v !== 1) {
      const engineType = dv.getUint8(o + 56);
      const engineId = dv.getUint8(o + 57);
      const srcMask = dv.getUint8(o + 58);
      const dstMask = dv.getUint8(o + 59);
      srcAs = dv.getUint16(o + 60, le);
      dstAs = dv.getUint16(o + 62, le);
      if (engineType || engineId) { attrs ??= {}; attrs.engine_type = engineType; attrs.engine_id = engineId; }
      if (srcMask || dstMask) { attrs ??= {}; attrs.src_mask = srcMask; attrs.dst_mask = dstMask; }
      if (raw) Object.assign(raw, { engine_type: engineType, engine_id: engineId, src_mask: srcMask, dst_mask: dstMask, src_as: srcAs, dst_as: dstAs });
      if (v === 7) {
        const flags = dv.getUint8(o + 55);
        const routerSc = dv.getUint32(o + 64, le);
        if (flags) { attrs ??= {}; attrs.flags = flags; }
        if (routerSc) { attrs ??= {}; attrs.router_sc = formatIp4(routerSc); }
        if (raw) Object.assign(raw, { flags, router_sc: routerSc });
      } else if (v === 6) {
        const inEncaps = dv.getUint8(o + 64);
        const outEncaps = dv.getUint8(o + 65);
        const peer = dv.getUint32(o + 68, le);
        if (inEncaps || outEncaps) { attrs ??= {}; attrs.in_encaps = inEncaps; attrs.out_encaps = outEncaps; }
        if (peer) { attrs ??= {}; attrs.peer_next_hop = formatIp4(peer); }
        if (raw) Object.assign(raw, { in_encaps: inEncaps, out_encaps: outEncaps, peer_nexthop: peer });
      }
    }
    if (raw && this.onRecord) this.onRecord(raw);
    if (index !== undefined) { attrs ??= {}; attrs.record = index; }
    const [icmpType, icmpCode] = isIcmp(proto) ? icmpFromPort(dstPort) : [undefined, undefined];
    const f: FlowInput = {
      pos,
      startUs: ftltimeMs(sysUp, unixSecs, unixNsecs, first) * 1000,
      endUs: ftltimeMs(sysUp, unixSecs, unixNsecs, last) * 1000,
      proto, src, dst, srcPort, dstPort, packets, bytes: octets, tcpFlags, icmpType, icmpCode, tos,
      inIf: input, outIf: output, srcAs, dstAs,
      exporter: exaddr !== 0 ? exaddr : undefined,
      attrs,
    };
    this.records++;
    this.sink.flow(f);
  }
}
