/**
 * nfdump binary file layouts, as nfdump 1.6/1.7 write them (little-endian x86-64 structs).
 * Sources: phaag/nfdump src/lib/nffile.h (layout 1), nffileV2.h (layout 2), nfx.h (v1
 * extension maps), nfxV3.h (V3 element records), id.h (record types), exporter.h.
 */

/** nffileV2.h `#define MAGIC 0xA50C`, first u16 of every file (bytes 0C A5 on disk). */
export const NF_MAGIC = 0xa50c;
export const LAYOUT_VERSION_1 = 1;
export const LAYOUT_VERSION_2 = 2;

/** nffile.h `fileHeaderV1_t`: magic u16, version u16, flags u32, NumBlocks u32, ident[128]. */
export const FILE_HEADER_V1_SIZE = 140;
export const V1_OFF_FLAGS = 4;
export const V1_OFF_NUMBLOCKS = 8;
export const V1_OFF_IDENT = 12;
export const IDENTLEN = 128;
/** nffile.h layout-1 flags. */
export const FLAG_LZO_COMPRESSED = 0x1;
export const FLAG_ANONYMIZED = 0x2;
export const FLAG_BZ2_COMPRESSED = 0x8;
export const FLAG_LZ4_COMPRESSED = 0x10;

/** nffile.h `stat_recordV1_t`: 15 x u64 counters, first/last u32, msec u16 x2, sequence_failure u32. */
export const STAT_RECORD_V1_SIZE = 136;

/**
 * nffileV2.h `fileHeaderV2_t`, 40 bytes: magic u16 @0, version u16 @2, nfdversion u32 @4,
 * created time_t @8, compression u8 @16, encryption u8 @17, appendixBlocks u16 @18,
 * creator u32 @20 (unused in 1.7.1), offAppendix off_t @24, BlockSize u32 @32, NumBlocks u32 @36.
 */
export const FILE_HEADER_V2_SIZE = 40;

/**
 * nffileV2.h `dataBlock_t` (= nffile.h `data_block_headerV1_t`), 12 bytes:
 * NumRecords u32 @0, size u32 @4 (payload bytes after this header), type u16 @8, flags u16 @10.
 */
export const DATA_BLOCK_HEADER_SIZE = 12;
export const DATA_BLOCK_TYPE_1 = 1;
export const DATA_BLOCK_TYPE_2 = 2;
export const DATA_BLOCK_TYPE_3 = 3;
export const DATA_BLOCK_TYPE_4 = 4;
/** nffileV2.h: block flag bit 0 = this block is stored uncompressed. */
export const FLAG_BLOCK_UNCOMPRESSED = 0x1;

/** id.h record types (u16 type, u16 size incl. this 4-byte header). */
export const CommonRecordV0Type = 1;
export const ExtensionMapType = 2;
export const ExporterInfoRecordType = 7;
export const ExporterStatRecordType = 8;
export const SamplerLegacyRecordType = 9;
export const CommonRecordType = 10;
export const V3Record = 11;
export const NbarRecordType = 12;
export const IfNameRecordType = 13;
export const VrfNameRecordType = 14;
export const SamplerRecordType = 15;
/** nffileV2.h appendix record types. */
export const TYPE_IDENT = 0x8001;
export const TYPE_STAT = 0x8002;

/**
 * nfdump.h `stat_record_t` (appendix TYPE_STAT payload, 144 bytes): numflows @0, numbytes @8,
 * numpackets @16, per-protocol counters, firstseen @120 (ms), lastseen @128, sequence_failure @136.
 */
export const STAT_RECORD_SIZE = 144;

/** nfxV3.h `recordHeaderV3_t`, 12 bytes: type, size, numElements u16, engineType u8, engineID u8, exporterID u16, flags u8, nfversion u8. */
export const V3_HEADER_SIZE = 12;
export const V3_FLAG_EVENT = 1;
export const V3_FLAG_SAMPLED = 2;

/** nfxV3.h element ids (each element: u16 type, u16 length incl. the 4-byte element header). */
export const EXgenericFlowID = 1;
export const EXipv4FlowID = 2;
export const EXipv6FlowID = 3;
export const EXflowMiscID = 4;
export const EXcntFlowID = 5;
export const EXvLanID = 6;
export const EXasRoutingID = 7;
export const EXbgpNextHopV4ID = 8;
export const EXbgpNextHopV6ID = 9;
export const EXipNextHopV4ID = 10;
export const EXipNextHopV6ID = 11;
export const EXipReceivedV4ID = 12;
export const EXipReceivedV6ID = 13;
export const EXmplsLabelID = 14;
export const EXmacAddrID = 15;
export const EXasAdjacentID = 16;
export const EXlatencyID = 17;
export const EXsamplerInfoID = 18;
export const EXnselCommonID = 19;
export const EXnselXlateIPv4ID = 20;
export const EXnselXlateIPv6ID = 21;
export const EXnselXlatePortID = 22;
export const EXnselAclID = 23;
export const EXnselUserID = 24;
export const EXnelCommonID = 25;
export const EXnelXlatePortID = 26;
export const EXnbarAppID = 27;
export const EXlabelID = 28;
export const EXinPayloadID = 29;
export const EXoutPayloadID = 30;
export const EXtunIPv4ID = 31;
export const EXtunIPv6ID = 32;
export const EXobservationID = 33;
export const EXvrfID = 36;
export const EXpfinfoID = 37;

/** Element sizes incl. the 4-byte element header (nfxV3.h `EX...Size`), for writers and checks. */
export const EXgenericFlowSize = 52;
export const EXipv4FlowSize = 12;
export const EXipv6FlowSize = 36;
export const EXflowMiscSize = 20;
export const EXcntFlowSize = 28;
export const EXasRoutingSize = 12;
export const EXipNextHopV4Size = 8;
export const EXipReceivedV4Size = 8;

/**
 * nfx.h v1 extension ids -> payload size in bytes (nfx.c `extension_descriptor`). Ids 1..3
 * are the required address/packet/byte fields whose size the record flags decide; reserved
 * ids have size 0 (nfdump skips them without advancing).
 */
export const V1_EXTENSION_SIZE: readonly number[] = (() => {
  const s = new Array<number>(50).fill(0);
  const set: [number, number][] = [
    [4, 4], [5, 8], [6, 4], [7, 8], [8, 4], [9, 4], [10, 16], [11, 4], [12, 16], [13, 4],
    [14, 4], [15, 8], [16, 4], [17, 8], [18, 4], [19, 8], [20, 16], [21, 16], [22, 40],
    [23, 4], [24, 16], [25, 4], [26, 8], [27, 8], [37, 20], [38, 4], [39, 8], [40, 32],
    [41, 24], [42, 24], [43, 72], [45, 24], [46, 12], [47, 8], [48, 8],
  ];
  for (const [id, size] of set) s[id] = size;
  return s;
})();

/** nfx.h `common_record_t` (type 10) flags. */
export const FLAG_IPV6_ADDR = 1;
export const FLAG_PKG_64 = 2;
export const FLAG_BYTES_64 = 4;
export const FLAG_IPV6_NH = 8;
export const FLAG_IPV6_NHB = 16;
export const FLAG_IPV6_EXP = 32;
/** nfx.h common record: 32 bytes of fixed fields before the extension data. */
export const COMMON_RECORD_HEADER_SIZE = 32;
