/**
 * Argus 3.x wire constants, as written by `argus -w` (network byte order on disk).
 * Source: openargus clients 3.0.8 `include/argus_def.h` and `include/argus_out.h`.
 */

/** `struct ArgusRecordHeader` (argus_out.h): type (4-bit kind | 4-bit version), cause, len in 32-bit words. 4 bytes. */
export const RECORD_HEADER_BYTES = 4;

/** Record kinds, the high nibble of ArgusRecordHeader.type (argus_def.h "Argus Record Type"). */
export const REC_MAR = 0x80;
export const REC_FAR = 0x10;
export const REC_INDEX = 0x20;
export const REC_NETFLOW = 0x30;
export const REC_EVENT = 0x40;
export const REC_AFLOW = 0x50;
export const REC_DATASUP = 0x60;
export const REC_ARCHIVAL = 0x70;

/** Record version, the low nibble of ArgusRecordHeader.type (ARGUS_VERSION_3). */
export const ARGUS_VERSION_3 = 0x03;

/** ArgusRecordHeader.cause, high nibble (argus_def.h "Argus Record Cause"). */
export const CAUSE_START = 0x10;
export const CAUSE_STATUS = 0x20;
export const CAUSE_STOP = 0x30;
export const CAUSE_TIMEOUT = 0x40;
export const CAUSE_FLUSH = 0x50;
export const CAUSE_SHUTDOWN = 0x60;
export const CAUSE_CLOSED = 0x70;
export const CAUSE_ERROR = 0x80;

/** `struct ArgusMarStruct` + header: the management record is always 128 bytes (32 words). */
export const MAR_BYTES = 128;
/** ARGUS_COOKIE / ARGUS_V3_COOKIE, in ArgusMarStruct.argusid of the initial MAR. */
export const ARGUS_V3_COOKIE = 0xe5712dcb;
/** ARGUS_V2_COOKIE: an Argus 2.x stream, a different record layout. */
export const ARGUS_V2_COOKIE = 0xe5617acb;

/*
 * Data Specific Record (DSR) header, 4 bytes (argus_def.h "Argus Data Specific Record (DSR) Formats"):
 *   type (bit 7 = ARGUS_IMMEDIATE_DATA: a fixed 4-byte DSR), subtype (bit 7 = ARGUS_LEN_16BITS),
 *   qualifier, length in 32-bit words including the header (or a 16-bit length over bytes 2..3).
 */
export const DSR_IMMEDIATE = 0x80;
export const DSR_LEN_16BITS = 0x80;

/** DSR types (argus_def.h), compared after masking bit 7. */
export const DSR_TRANSPORT = 0x01;
export const DSR_FLOW = 0x02;
export const DSR_TIME = 0x03;
export const DSR_METER = 0x10;
export const DSR_PSIZE = 0x12;
export const DSR_ENCAPS = 0x20;
export const DSR_NETWORK = 0x30;
export const DSR_ASN = 0x32;
export const DSR_ICMP = 0x34;
export const DSR_MAC = 0x42;
export const DSR_VLAN = 0x40;
export const DSR_MPLS = 0x44;
export const DSR_JITTER = 0x46;
export const DSR_IPATTR = 0x48;
export const DSR_DATA = 0x50;
export const DSR_BEHAVIOR = 0x54;
export const DSR_AGR = 0x60;
export const DSR_COR = 0x62;
export const DSR_COCODE = 0x64;
export const DSR_LABEL = 0x66;

/** Flow DSR subtypes (subtype & 0x3F) and flags. */
export const FLOW_CLASSIC5TUPLE = 0x01;
export const FLOW_LAYER_3_MATRIX = 0x03;
export const FLOW_ARP = 0x06;
/** ARGUS_REVERSE: the key is stored responder-first; clients swap it back. */
export const FLOW_REVERSE = 0x40;
/** Flow qualifier: address family (qual & 0x1F). */
export const TYPE_IPV4 = 0x01;
export const TYPE_IPV6 = 0x02;
export const TYPE_ETHER = 0x03;
export const TYPE_ARP = 0x04;
export const TYPE_RARP = 0x05;
export const TYPE_WLAN = 0x08;
export const TYPE_ISIS = 0x0a;
/** Flow qualifier bits. */
export const FLOW_QUAL_DIRECTION = 0x20; // ARGUS_DIRECTION in argus_client.c ArgusGenerateRecordStruct
export const FLOW_QUAL_MASKLEN = 0x40;
export const FLOW_QUAL_FRAGMENT = 0x80;

/** Transport DSR subtype bits and identifier types (qualifier). */
export const TRANS_SRCID = 0x01;
export const TRANS_SEQ = 0x02;
export const ID_TYPE_IPV4 = 0x01;
export const ID_TYPE_IPV6 = 0x02;
export const ID_TYPE_ETHER = 0x03;
export const ID_TYPE_INT = 0x20;
export const ID_TYPE_STRING = 0x21;
export const ID_TYPE_UUID = 0x22;

/** Time DSR: subtype bits of the 3.0 bidirectional form, and timestamp units (qualifier). */
export const TIME_SRC_START = 0x08;
export const TIME_SRC_END = 0x10;
export const TIME_DST_START = 0x20;
export const TIME_DST_END = 0x40;
export const TIME_ABSOLUTE_TIMESTAMP = 0x01;
export const TIME_ABSOLUTE_RANGE = 0x02;
export const TIME_ABSOLUTE_RELATIVE_RANGE = 0x03;
export const TIME_RELATIVE_TIMESTAMP = 0x04;
export const TIME_RELATIVE_RANGE = 0x05;
export const TIME_UTC_MICROSECONDS = 0x18;
export const TIME_UTC_NANOSECONDS = 0x19;

/** Meter (metrics) DSR subtypes and value widths (qualifier & 0x0F). */
export const METER_PKTS_BYTES = 0x01;
export const METER_PKTS_BYTES_APP = 0x04;
export const SRCDST_BYTE = 0x01;
export const SRCDST_SHORT = 0x02;
export const SRCDST_INT = 0x03;
export const SRCDST_LONGLONG = 0x04;
export const SRC_BYTE = 0x05;
export const SRC_SHORT = 0x06;
export const SRC_INT = 0x07;
export const SRC_LONGLONG = 0x08;
export const DST_BYTE = 0x09;
export const DST_SHORT = 0x0a;
export const DST_INT = 0x0b;
export const DST_LONGLONG = 0x0c;

/** Network DSR subtypes. */
export const NET_TCP_INIT = 0x03;
export const NET_TCP_STATUS = 0x04;
export const NET_TCP_PERF = 0x05;
export const NET_RTCP = 0x09;
export const NET_RTP = 0x0a;
export const NET_UDT = 0x0d;
export const NET_ICMP = 0x34;

/** TCP state bits in ArgusTCPObject.status (argus_def.h "TCP State Constants"). */
export const TCP_SAW_SYN = 0x00000001;
export const TCP_SAW_SYN_SENT = 0x00000002;
export const TCP_CON_ESTABLISHED = 0x00000004;
export const TCP_FIN = 0x00000008;
export const TCP_FIN_ACK = 0x00000010;
export const TCP_NORMAL_CLOSE = 0x00000020;
export const TCP_RESET = 0x00003000;

/** IP attribute DSR qualifier bits. */
export const IPATTR_SRC = 0x01;
export const IPATTR_DST = 0x02;
export const IPATTR_SRC_OPTIONS = 0x04;
export const IPATTR_DST_OPTIONS = 0x08;

/** VLAN / MPLS qualifier bits. */
export const VLAN_SRC = 0x01;
export const VLAN_DST = 0x02;

/** The record kind name `ra` shows in its Proto column for non-flow records. */
export function recordKindName(type: number): string {
  switch (type & 0xf0) {
    case REC_MAR: return 'man';
    case REC_FAR: return 'far';
    case REC_INDEX: return 'index';
    case REC_NETFLOW: return 'netflow';
    case REC_EVENT: return 'evt';
    case REC_AFLOW: return 'aflow';
    case REC_DATASUP: return 'datasup';
    default: return 'archival';
  }
}
