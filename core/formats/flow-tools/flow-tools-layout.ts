/**
 * flow-tools file layout (flow-tools 0.68 lib/ftlib.h, ftio.c; ftrec.h record structs), as
 * also read by spark-netflow's NetFlowReader:
 *   bytes 0-1 magic 0xCF 0x10, byte 2 byte order (1 little, 2 big), byte 3 stream version.
 *   stream version 3: u32 header length @4 (whole header incl. these 8 bytes), then TLVs
 *     (u16 type, u16 length, value) up to the header length;
 *   stream version 1: fixed 358-byte `struct ftheader_1`.
 * The records follow the header, zlib-compressed as one stream when the header flags say so.
 */
export const FT_MAGIC1 = 0xcf;
export const FT_MAGIC2 = 0x10;
export const FT_HEADER_LITTLE_ENDIAN = 1;
export const FT_HEADER_BIG_ENDIAN = 2;
/** ftlib.h `struct ftheader_1`: magic(4), d_version u16, start, end, flags, rotation, nflows, pdu_drops, pdu_misordered (u32), hostname[68], comments[256]. */
export const FT_HEADER1_SIZE = 358;
/** A sanity limit for the v3 header (flow-tools writes a few hundred bytes). */
export const FT_MAX_HEADER = 1 << 20;

/** ftlib.h FT_TLV_* header fields. */
export const FT_TLV_VENDOR = 0x1;
export const FT_TLV_EX_VER = 0x2;
export const FT_TLV_AGG_VER = 0x3;
export const FT_TLV_AGG_METHOD = 0x4;
export const FT_TLV_EXPORTER_IP = 0x5;
export const FT_TLV_CAP_START = 0x6;
export const FT_TLV_CAP_END = 0x7;
export const FT_TLV_HEADER_FLAGS = 0x8;
export const FT_TLV_ROT_SCHEDULE = 0x9;
export const FT_TLV_FLOW_COUNT = 0xa;
export const FT_TLV_FLOW_LOST = 0xb;
export const FT_TLV_FLOW_MISORDERED = 0xc;
export const FT_TLV_PKT_CORRUPT = 0xd;
export const FT_TLV_SEQ_RESET = 0xe;
export const FT_TLV_CAP_HOSTNAME = 0xf;
export const FT_TLV_COMMENTS = 0x10;

/** ftlib.h header flags. */
export const FT_HEADER_FLAG_DONE = 0x1;
export const FT_HEADER_FLAG_COMPRESS = 0x2;

/**
 * ftrec.h record sizes per export version: fts3rec_v1 (60), fts3rec_v5 (64), fts3rec_v6
 * (72: v5 + in_encaps, out_encaps, pad2, peer_nexthop), fts3rec_v7 (68: v5 with `flags` in
 * place of pad, + router_sc). v5/v6/v7 share the first 64 bytes.
 */
export const FT_RECORD_SIZE: Readonly<Record<number, number>> = { 1: 60, 5: 64, 6: 72, 7: 68 };
