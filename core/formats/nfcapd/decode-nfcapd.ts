import type { DecodeContext, DecodeFailure } from '../decoder';
import type { ByteSource } from '../common/byte-source';
import { formatIp } from '../../model/ip';
import * as L from './nfcapd-layout';
import { cString, u64le } from './nfcapd-read';
import { NfcapdState } from './nfcapd-state';
import { decodeV3Common, decodeV3Record } from './decode-v3-record';
import { decodeCommonRecord, readExporterInfo, readExtensionMap } from './decode-common-record';
import {
  BZ2_COMPRESSED, LZ4_COMPRESSED, LZO_COMPRESSED, NFDUMP_MAX_BLOCK, NOT_COMPRESSED, ZSTD_COMPRESSED,
  compressionName, decompressBlock,
} from './decompress-block';

interface FileInfo {
  layout: number;
  compression: number;
  /** Layout 2 only: where the appendix starts (-1 when there is none). */
  offAppendix: number;
  numBlocks: number;
}

/**
 * Streams an nfdump file (layout 1 of nfdump 1.6 or layout 2 of 1.7) into the sink: file
 * header, then data blocks of V3 records (block type 3) or extension-map records (type 2),
 * each block optionally compressed with LZO, BZ2, LZ4 or ZSTD. A corrupt block is rejected
 * at its offset and decoding goes on with the next block when its header is sane.
 */
export async function decodeNfcapd(ctx: DecodeContext): Promise<DecodeFailure | void> {
  const { source, sink } = ctx;
  const st = new NfcapdState(sink);
  const head = await readFileHeader(source, st);
  if ('code' in head) return head;
  const info = head;

  let scratch: Uint8Array | null = null;
  let scratchView: DataView | null = null;
  let blocks = 0;
  while (!sink.aborted) {
    const blockOff = source.offset;
    if (!(await source.ensure(1))) break;
    if (!(await source.ensure(L.DATA_BLOCK_HEADER_SIZE))) {
      sink.reject({ code: 'truncated-block', offset: blockOff, length: source.available, message: `file ends inside a block header (${source.available} of 12 bytes)` });
      source.skip(source.available);
      break;
    }
    const dv = source.dv;
    const b = source.pos;
    const numRecords = dv.getUint32(b, true);
    const size = dv.getUint32(b + 4, true);
    const type = dv.getUint16(b + 8, true);
    const flags = dv.getUint16(b + 10, true);
    // nffile.c nfread(): a block with size 0, no records or more than BUFFSIZE is corrupt;
    // without a trustworthy size the next block cannot be found, so decoding stops here.
    if (size === 0 || numRecords === 0 || size > NFDUMP_MAX_BLOCK - L.DATA_BLOCK_HEADER_SIZE || type === 0 || type > 16) {
      sink.reject({ code: 'corrupt-block', offset: blockOff, message: `block header is not sane (type ${type}, ${numRecords} records, ${size} bytes); the rest of the file is not decoded` });
      break;
    }
    if (!(await source.ensure(L.DATA_BLOCK_HEADER_SIZE + size))) {
      sink.reject({ code: 'truncated-block', offset: blockOff, length: source.available, message: `file ends inside block ${blocks} (${source.available - L.DATA_BLOCK_HEADER_SIZE} of ${size} bytes, ${numRecords} records lost)` });
      source.skip(source.available);
      break;
    }
    blocks++;
    const isAppendix = info.offAppendix >= 0 && blockOff >= info.offAppendix;
    const payloadStart = source.pos + L.DATA_BLOCK_HEADER_SIZE;
    let buf = source.buf;
    let view = source.dv;
    let start = payloadStart;
    let end = payloadStart + size;
    let posBase: number | null = blockOff + L.DATA_BLOCK_HEADER_SIZE;
    const compressed = info.compression !== NOT_COMPRESSED && !(info.layout === 2 && (flags & L.FLAG_BLOCK_UNCOMPRESSED));
    if (compressed && type !== L.DATA_BLOCK_TYPE_4) {
      scratch ??= new Uint8Array(NFDUMP_MAX_BLOCK);
      scratchView ??= new DataView(scratch.buffer);
      const n = decompressBlock(info.compression, source.buf.subarray(payloadStart, payloadStart + size), scratch);
      if (typeof n === 'string') {
        sink.reject({ code: 'corrupt-block', offset: blockOff, length: size + L.DATA_BLOCK_HEADER_SIZE, message: `block ${blocks - 1} does not decompress (${n}); ${numRecords} records lost` });
        source.skip(L.DATA_BLOCK_HEADER_SIZE + size);
        await sink.yield();
        continue;
      }
      buf = scratch;
      view = scratchView;
      start = 0;
      end = n;
      posBase = null;
    }
    if (type === L.DATA_BLOCK_TYPE_2 || type === L.DATA_BLOCK_TYPE_3) {
      decodeRecords(st, buf, view, start, end, numRecords, posBase, blockOff, isAppendix);
    } else if (type === L.DATA_BLOCK_TYPE_4) {
      sink.count('nfcapd-array-blocks');
    } else {
      sink.note({ code: 'unknown-block-type', offset: blockOff, length: size + 12, message: `block type ${type} skipped (${numRecords} records)` });
    }
    source.skip(L.DATA_BLOCK_HEADER_SIZE + size);
    await sink.yield();
  }
  sink.fact('nfcapd.blocks', blocks);
  finish(st, info, blocks);
}

async function readFileHeader(source: ByteSource, st: NfcapdState): Promise<FileInfo | DecodeFailure> {
  const sink = st.sink;
  if (!(await source.ensure(4))) return { code: 'truncated-header', offset: 0, message: 'file is shorter than an nfdump header' };
  const dv = source.dv;
  const p = source.pos;
  const magic = dv.getUint16(p, true);
  if (magic !== L.NF_MAGIC) {
    if (dv.getUint16(p, false) === L.NF_MAGIC) return { code: 'unsupported-byte-order', offset: 0, message: 'nfdump file written on a big-endian machine; only little-endian files are supported' };
    return { code: 'bad-magic', offset: 0, message: `not an nfdump file (magic 0x${magic.toString(16)}, expected 0xa50c)` };
  }
  const version = dv.getUint16(p + 2, true);
  if (version === L.LAYOUT_VERSION_1) {
    const need = L.FILE_HEADER_V1_SIZE + L.STAT_RECORD_V1_SIZE;
    if (!(await source.ensure(need))) return { code: 'truncated-header', offset: 0, message: `file ends inside the layout-1 header and stat record (${source.available} of ${need} bytes)` };
    const v = source.dv;
    const q = source.pos;
    const flags = v.getUint32(q + L.V1_OFF_FLAGS, true);
    const numBlocks = v.getUint32(q + L.V1_OFF_NUMBLOCKS, true);
    const ident = cString(source.buf, q + L.V1_OFF_IDENT, L.IDENTLEN);
    // nffile.h FILEV1_COMPRESSION(): LZO, else BZ2, else LZ4
    const compression = flags & L.FLAG_LZO_COMPRESSED ? LZO_COMPRESSED
      : flags & L.FLAG_BZ2_COMPRESSED ? BZ2_COMPRESSED
        : flags & L.FLAG_LZ4_COMPRESSED ? LZ4_COMPRESSED : NOT_COMPRESSED;
    const s = q + L.FILE_HEADER_V1_SIZE;
    // stat_recordV1_t: numflows, numbytes, numpackets @0/8/16; first_seen u32 @120, last_seen @124, msec_first u16 @128, msec_last @130
    st.stat = {
      flows: u64le(v, s), bytes: u64le(v, s + 8), packets: u64le(v, s + 16),
      firstMs: v.getUint32(s + 120, true) * 1000 + v.getUint16(s + 128, true),
      lastMs: v.getUint32(s + 124, true) * 1000 + v.getUint16(s + 130, true),
    };
    st.ident = ident;
    sink.fact('nfcapd.layout', 1);
    sink.fact('nfcapd.compression', compressionName(compression));
    if (flags & L.FLAG_ANONYMIZED) sink.fact('nfcapd.anonymized', true);
    sink.fact('nfcapd.declared_blocks', numBlocks);
    source.skip(need);
    return { layout: 1, compression, offAppendix: -1, numBlocks };
  }
  if (version !== L.LAYOUT_VERSION_2) return { code: 'unsupported-version', offset: 2, message: `nfdump file layout ${version} is not supported (1 and 2 are)` };
  if (!(await source.ensure(L.FILE_HEADER_V2_SIZE))) return { code: 'truncated-header', offset: 0, message: `file ends inside the 40-byte layout-2 header` };
  const v = source.dv;
  const q = source.pos;
  const nfdversion = v.getUint32(q + 4, true);
  const created = u64le(v, q + 8);
  const compression = source.buf[q + 16];
  const encryption = source.buf[q + 17];
  const appendixBlocks = v.getUint16(q + 18, true);
  const creator = v.getUint32(q + 20, true);
  const offAppendix = u64le(v, q + 24);
  const numBlocks = v.getUint32(q + 36, true);
  if (encryption !== 0) return { code: 'unsupported-encryption', offset: 17, message: `encrypted nfdump file (encryption ${encryption}) cannot be read` };
  if (compression > ZSTD_COMPRESSED) return { code: 'unsupported-compression', offset: 16, message: `unknown nfdump compression ${compression}` };
  sink.fact('nfcapd.layout', 2);
  sink.fact('nfcapd.compression', compressionName(compression));
  sink.fact('nfcapd.nfdump_version', versionText(nfdversion));
  // Date covers +-8.64e15 ms; a damaged header may hold anything
  if (created > 0 && created < 8.64e12) sink.fact('nfcapd.created', new Date(created * 1000).toISOString());
  if (creator > 0) sink.fact('nfcapd.creator', ['unknown', 'nfcapd', 'nfpcapd', 'sfcapd', 'nfdump', 'nfanon', 'nfprofile', 'geolookup', 'ft2nfdump', 'torlookup'][creator] ?? creator);
  sink.fact('nfcapd.declared_blocks', numBlocks);
  source.skip(L.FILE_HEADER_V2_SIZE);
  return { layout: 2, compression, offAppendix: appendixBlocks > 0 && offAppendix >= L.FILE_HEADER_V2_SIZE ? offAppendix : -1, numBlocks };
}

function versionText(v: number): string {
  // e.g. 0x01070100 = 1.7.1-0 (top byte 0xF1 marks a git build)
  return `${(v >>> 24) & 0x0f}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}`;
}

/**
 * Decodes the records of one (expanded) block at buf[start, end). `posBase` is the file
 * offset of buf[start] for an uncompressed block, or null when the block was compressed
 * (then every flow reports the block offset and its record index as attrs.block_record).
 */
function decodeRecords(
  st: NfcapdState, buf: Uint8Array, dv: DataView, start: number, end: number, numRecords: number,
  posBase: number | null, blockOff: number, isAppendix: boolean,
): void {
  const sink = st.sink;
  let p = start;
  let i = 0;
  for (; i < numRecords; i++) {
    const at = posBase === null ? blockOff : posBase + (p - start);
    if (p + 4 > end) {
      sink.reject({ code: 'truncated-block', offset: at, message: `block at ${blockOff} declares ${numRecords} records but its data ends after ${i}` });
      return;
    }
    const type = dv.getUint16(p, true);
    const size = dv.getUint16(p + 2, true);
    if (size < 4 || p + size > end) {
      sink.reject({ code: 'corrupt-record', offset: at, message: `record ${i} of block at ${blockOff} has size ${size}, outside its block; the rest of the block (${numRecords - i} records) is skipped` });
      return;
    }
    const blockRecord = posBase === null ? i : undefined;
    let err: string | null = null;
    switch (type) {
      case L.V3Record: {
        const fast = blockRecord === undefined ? decodeV3Common(st, buf, dv, p, at) : null;
        if (fast !== null) {
          sink.flow(fast);
          break;
        }
        const r = decodeV3Record(st, buf, dv, p, size, at, blockRecord);
        if (typeof r === 'string') err = r; else sink.flow(r);
        break;
      }
      case L.CommonRecordType: {
        const r = decodeCommonRecord(st, buf, dv, p, size, at, blockRecord);
        if (typeof r === 'string') err = r; else sink.flow(r);
        break;
      }
      case L.ExtensionMapType:
        err = readExtensionMap(st, dv, p, size);
        break;
      case L.ExporterInfoRecordType:
        err = readExporterInfo(st, dv, p, size);
        break;
      case L.ExporterStatRecordType:
        sink.count('nfcapd-exporter-stat-records');
        break;
      case L.SamplerRecordType:
        // exporter.h sampler_record_t: exporter_sysid u16 @4, algorithm u16 @6, id i64 @8, packetInterval u32 @16, spaceInterval u32 @20
        if (size >= 24) st.samplers.push({ exporter_sysid: dv.getUint16(p + 4, true), algorithm: dv.getUint16(p + 6, true), id: Number(dv.getBigInt64(p + 8, true)), packet_interval: dv.getUint32(p + 16, true), space_interval: dv.getUint32(p + 20, true) });
        break;
      case L.SamplerLegacyRecordType:
        // exporter.h samplerV0_record_t: id i32 @4, interval u32 @8, algorithm u16 @12, exporter_sysid u16 @14
        if (size >= 16) st.samplers.push({ exporter_sysid: dv.getUint16(p + 14, true), algorithm: dv.getUint16(p + 12, true), id: dv.getInt32(p + 4, true), interval: dv.getUint32(p + 8, true) });
        break;
      case L.NbarRecordType:
      case L.IfNameRecordType:
      case L.VrfNameRecordType:
        sink.count('nfcapd-name-records');
        break;
      case L.TYPE_IDENT:
        st.ident = cString(buf, p + 4, size - 4);
        break;
      case L.TYPE_STAT:
        if (size - 4 >= L.STAT_RECORD_SIZE) {
          const s = p + 4;
          st.stat = { flows: u64le(dv, s), bytes: u64le(dv, s + 8), packets: u64le(dv, s + 16), firstMs: u64le(dv, s + 120), lastMs: u64le(dv, s + 128) };
        } else {
          sink.note({ code: 'bad-stat-record', offset: at, message: `appendix stat record of ${size} bytes, expected ${L.STAT_RECORD_SIZE + 4}` });
        }
        break;
      case L.CommonRecordV0Type:
        err = 'nfdump 1.5 common record (type 1) is not supported (nfdump 1.7 cannot read it either)';
        break;
      default:
        if (isAppendix) sink.note({ code: 'unknown-appendix-record', offset: at, message: `appendix record type ${type} skipped` });
        else st.noteOnce(`rec:${type}`, at, `nfdump record type ${type} skipped`);
    }
    if (err !== null) sink.reject({ code: 'corrupt-record', offset: at, length: posBase === null ? undefined : size, message: posBase === null ? `${err} (record ${i} of the compressed block)` : err });
    p += size;
  }
}

function finish(st: NfcapdState, info: FileInfo, blocks: number): void {
  const sink = st.sink;
  if (st.ident !== undefined) sink.fact('nfcapd.ident', st.ident);
  if (st.exporters.size > 0) {
    // same shape as the NetFlow/IPFIX loaders' exporters fact, plus nfdump's internal sysid
    sink.fact('exporters', [...st.exporters.values()].map((e) => ({ address: formatIp(e.ip), sourceId: e.id, versions: [e.version], sysid: e.sysid })));
  }
  if (st.samplers.length > 0) sink.fact('nfcapd.samplers', st.samplers);
  if (st.stat) {
    sink.fact('nfcapd.stat', st.stat);
    const s = st.stat;
    const diffs: string[] = [];
    if (s.flows !== st.flows) diffs.push(`flows ${s.flows} vs ${st.flows} decoded`);
    if (s.packets !== st.packets) diffs.push(`packets ${s.packets} vs ${st.packets} decoded`);
    if (s.bytes !== st.bytes) diffs.push(`bytes ${s.bytes} vs ${st.bytes} decoded`);
    if (diffs.length) sink.note({ code: 'stat-mismatch', offset: 0, message: `the file's stat record says ${diffs.join(', ')}` });
  }
  const expected = info.numBlocks + (info.offAppendix >= 0 ? 1 : 0);
  if (info.layout === 2 && blocks !== expected && info.numBlocks > 0) {
    sink.note({ code: 'block-count-mismatch', offset: 36, message: `header declares ${info.numBlocks} data blocks${info.offAppendix >= 0 ? ' and an appendix' : ''}; ${blocks} blocks were read` });
  }
}
