import type { ArgusFar } from './argus-far';
import * as W from './argus-layout';
import { readIp6 } from '../common/read-ip6';

/** Why a flow record could not be read (a rejection code), or null when it was read. */
export type FarError =
  | 'bad-dsr-length'
  | 'short-dsr'
  | 'unsupported-metric-width'
  | 'unsupported-time-format';

/**
 * Reads the Data Specific Records of one FAR (`struct ArgusRecord` with ArgusRecordHeader
 * type ARGUS_FAR, argus_out.h) from buf[start, end) into `far`, which the caller reset().
 * All values are network byte order on disk. DSRs Flowcase does not use are skipped by
 * their length, exactly as ArgusGenerateRecordStruct (argus_client.c) walks them.
 */
export function parseArgusFar(buf: Uint8Array, dv: DataView, start: number, end: number, far: ArgusFar): FarError | null {
  let p = start;
  while (p < end) {
    if (p + 4 > end) return 'bad-dsr-length';
    const type = buf[p];
    const subtype = buf[p + 1];
    const qual = buf[p + 2];
    // DSR length (argus_def.h): immediate DSRs are one word; else 8-bit or 16-bit word count.
    const words = type & W.DSR_IMMEDIATE ? 1 : subtype & W.DSR_LEN_16BITS ? dv.getUint16(p + 2) : buf[p + 3];
    const len = words * 4;
    if (len === 0 || p + len > end) return 'bad-dsr-length';
    const b = p + 4; // first byte after the DSR header
    let err: FarError | null = null;
    switch (type & 0x7f) {
      case W.DSR_FLOW: err = readFlow(buf, dv, b, len - 4, subtype, qual, far); break;
      case W.DSR_TIME: err = readTime(dv, b, len - 4, subtype, qual, far); break;
      case W.DSR_METER: err = readMetric(buf, dv, b, len - 4, subtype, qual, far); break;
      case W.DSR_NETWORK: err = readNetwork(buf, dv, b, len - 4, subtype, far); break;
      case W.DSR_IPATTR: err = readAttr(buf, b, len - 4, qual, far); break;
      case W.DSR_ICMP:
        // struct ArgusIcmpStruct: icmp_type, icmp_code, iseq, then addresses.
        if (len < 8) return 'short-dsr';
        far.icmpDsrType = buf[b];
        far.icmpDsrCode = buf[b + 1];
        break;
      case W.DSR_MAC:
        // struct ArgusMacStruct: an ether_header (dhost, shost, type) + dsap, ssap.
        if (len >= 4 + 12) {
          far.macDst = macText(buf, b);
          far.macSrc = macText(buf, b + 6);
        } else far.skippedDsrs++;
        break;
      case W.DSR_VLAN:
        // struct ArgusVlanStruct: sid, did (802.1Q TCI; the VLAN id is the low 12 bits).
        if (len >= 8) {
          if (qual & W.VLAN_SRC) far.sVlan = dv.getUint16(b) & 0x0fff;
          if (qual & W.VLAN_DST) far.dVlan = dv.getUint16(b + 2) & 0x0fff;
        }
        break;
      case W.DSR_MPLS: {
        // struct ArgusMplsStruct: qual high nibble = source label count, low = destination.
        const ns = (qual & 0xf0) >> 4;
        const nd = qual & 0x0f;
        if (len >= 4 + 4 * (ns + nd)) {
          if (ns > 0) far.sMpls = dv.getUint32(b) >>> 12;
          if (nd > 0) far.dMpls = dv.getUint32(b + 4 * ns) >>> 12;
        }
        break;
      }
      case W.DSR_ASN:
        // struct ArgusAsnStruct: src_as, dst_as[, inode_as].
        if (len >= 12) {
          far.srcAs = dv.getUint32(b);
          far.dstAs = dv.getUint32(b + 4);
        }
        break;
      case W.DSR_LABEL:
        // struct ArgusLabelStruct: NUL-padded text filling the DSR.
        far.label = asciiz(buf, b, len - 4);
        break;
      case W.DSR_TRANSPORT:
        readTransport(buf, dv, b, len - 4, subtype, qual, far);
        break;
      case W.DSR_AGR:
        // struct ArgusAgrStruct: count of merged records, then time and activity statistics.
        if (len >= 8) far.agrCount = dv.getUint32(b);
        break;
      case W.DSR_ENCAPS: case W.DSR_JITTER: case W.DSR_PSIZE: case W.DSR_COR:
      case W.DSR_COCODE: case W.DSR_DATA: case W.DSR_BEHAVIOR:
        break; // known, not used by Flowcase
      default:
        far.skippedDsrs++;
    }
    if (err) return err;
    p += len;
  }
  return null;
}

/** struct ArgusFlow (argus_out.h): the flow key in one of its layouts. */
function readFlow(buf: Uint8Array, dv: DataView, b: number, n: number, subtype: number, qual: number, far: ArgusFar): FarError | null {
  far.hasFlow = true;
  far.flowSubtype = subtype;
  far.flowQual = qual;
  const kind = subtype & 0x3f;
  const addrType = qual & 0x1f;
  if (kind === W.FLOW_ARP) return readArp(buf, dv, b, n, addrType, far);
  if (kind !== W.FLOW_CLASSIC5TUPLE && kind !== W.FLOW_LAYER_3_MATRIX) {
    far.family = 'other';
    return null;
  }
  const matrix = kind === W.FLOW_LAYER_3_MATRIX;
  switch (addrType) {
    case W.TYPE_IPV4: {
      // struct ArgusIPFlow: ip_src, ip_dst, ip_p, tp_p, sport, dport[, smask, dmask] (16 bytes).
      if (n < (matrix ? 8 : 16)) return 'short-dsr';
      far.family = 'ipv4';
      far.src4 = dv.getUint32(b);
      far.dst4 = dv.getUint32(b + 4);
      if (matrix) return null;
      far.proto = buf[b + 8];
      if (qual & W.FLOW_QUAL_FRAGMENT) {
        // struct ArgusIPFragFlow: ports are not part of a fragment's key.
        far.fragment = true;
        return null;
      }
      readPorts4or6(buf, dv, b + 10, far);
      return null;
    }
    case W.TYPE_IPV6: {
      // struct ArgusIPv6Flow: ip_src[4], ip_dst[4], a word whose first byte is ip_p
      // (bitfields ip_p:8, blank:4, flow:20 in network order), sport, dport (40 bytes).
      if (n < (matrix ? 32 : 40)) return 'short-dsr';
      far.family = 'ipv6';
      far.src6 = readIp6(dv, b);
      far.dst6 = readIp6(dv, b + 16);
      if (matrix) return null;
      far.proto = buf[b + 32];
      if (qual & W.FLOW_QUAL_FRAGMENT) {
        far.fragment = true;
        return null;
      }
      readPorts4or6(buf, dv, b + 36, far);
      return null;
    }
    case W.TYPE_ETHER:
      // struct ArgusEtherMacFlow: ether_header (dhost[6], shost[6], type) + dsap, ssap (16 bytes).
      if (n < 16) return 'short-dsr';
      far.family = 'ether';
      far.dstMac = macText(buf, b);
      far.srcMac = macText(buf, b + 6);
      far.etherType = dv.getUint16(b + 12);
      far.dsap = buf[b + 14];
      far.ssap = buf[b + 15];
      return null;
    case W.TYPE_ARP:
      // struct ArgusLegacyArpFlow: arp_spa, arp_tpa, etheraddr[6], pad (16 bytes).
      if (n < 8) return 'short-dsr';
      far.family = 'arp';
      far.src4 = dv.getUint32(b);
      far.dst4 = dv.getUint32(b + 4);
      far.arpOp = 1;
      if (n >= 14) far.srcMac = macText(buf, b + 8);
      return null;
    case W.TYPE_RARP:
      far.family = 'rarp';
      return null;
    default:
      far.family = 'other';
      return null;
  }
}

/** Ports or ICMP/IGMP/ESP fields at the port position of ArgusIPFlow / ArgusIPv6Flow. */
function readPorts4or6(buf: Uint8Array, dv: DataView, at: number, far: ArgusFar): void {
  switch (far.proto) {
    case 6: case 17: case 132:
      far.sport = dv.getUint16(at);
      far.dport = dv.getUint16(at + 2);
      break;
    case 1: case 58:
      // struct ArgusICMPFlow / ArgusICMPv6Flow: type, code, id.
      far.keyType = buf[at];
      far.keyCode = buf[at + 1];
      far.icmpId = dv.getUint16(at + 2);
      break;
    case 2:
      // struct ArgusIGMPFlow: type, code, pad, ip_id.
      far.keyType = buf[at];
      far.keyCode = buf[at + 1];
      break;
    case 50:
      // struct ArgusESPFlow: ip_p, tp_p, pad, then spi.
      far.spi = dv.getUint32(at + 2);
      break;
  }
}

/** struct ArgusArpFlow (hrd, pro, hln, pln, op, spa, tpa, haddr) or its RARP/interim variants. */
function readArp(buf: Uint8Array, dv: DataView, b: number, n: number, addrType: number, far: ArgusFar): FarError | null {
  if (addrType === W.TYPE_RARP) {
    far.family = 'rarp';
    return null;
  }
  if (addrType === W.TYPE_ARP) {
    if (n < 16) return 'short-dsr';
    far.family = 'arp';
    far.arpOp = dv.getUint16(b + 6);
    far.src4 = dv.getUint32(b + 8);
    far.dst4 = dv.getUint32(b + 12);
    // argus 3.0.8 writes only the first 4 of the 6 hardware address bytes (its DSR length
    // rounds sizeof down), so the sender MAC is kept only when it is all there.
    if (n >= 22 && buf[b + 4] === 6) far.srcMac = macText(buf, b + 16);
    return null;
  }
  // struct ArgusInterimArpFlow: pro, hln, pln, arp_spa, arp_tpa, haddr.
  if (n < 12) return 'short-dsr';
  far.family = 'arp';
  far.src4 = dv.getUint32(b + 4);
  far.dst4 = dv.getUint32(b + 8);
  return null;
}

/** struct ArgusTimeObject: the 3.0 bidirectional form or the 2-timestamp range (argus_def.h "Argus Time Descriptor"). */
function readTime(dv: DataView, b: number, n: number, subtype: number, qual: number, far: ArgusFar): FarError | null {
  let unit: number;
  if (qual === W.TIME_UTC_MICROSECONDS || qual === 0) unit = 1;
  else if (qual === W.TIME_UTC_NANOSECONDS) unit = 1000;
  else return 'unsupported-time-format';
  const words = n >> 2;
  const bits = subtype & (W.TIME_SRC_START | W.TIME_SRC_END | W.TIME_DST_START | W.TIME_DST_END);
  if (bits) {
    // 3.0 form: one timestamp per subtype bit, in SRC_START, SRC_END, DST_START, DST_END order;
    // absolute (2 words each) when the DSR has room for all of them, else the first one is
    // absolute and the others are signed offsets in the same unit (ArgusGenerateRecordStruct).
    let count = 0;
    for (let i = 0; i < 4; i++) if (bits & (W.TIME_SRC_START << i)) count++;
    const absolute = words >= 2 * count;
    if (!absolute && words < count + 1) return 'short-dsr';
    let at = b;
    let base = -1;
    const vals = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      if (!(bits & (W.TIME_SRC_START << i))) continue;
      if (absolute || base < 0) {
        vals[i] = absTime(dv, at, unit);
        if (base < 0) base = vals[i];
        at += 8;
      } else {
        vals[i] = base + Math.trunc(dv.getInt32(at) / unit);
        at += 4;
      }
    }
    far.srcStart = vals[0];
    far.srcEnd = vals[1];
    far.dstStart = vals[2];
    far.dstEnd = vals[3];
  } else {
    switch (subtype & 0x07) {
      case W.TIME_ABSOLUTE_TIMESTAMP:
      case W.TIME_ABSOLUTE_RANGE:
        // Words: src.start, src.end, dst.start, dst.end (sec, frac), as many as the DSR holds.
        if (words < 2) return 'short-dsr';
        far.srcStart = absTime(dv, b, unit);
        if (words >= 4) far.srcEnd = absTime(dv, b + 8, unit);
        if (words >= 6) far.dstStart = absTime(dv, b + 16, unit);
        if (words >= 8) far.dstEnd = absTime(dv, b + 24, unit);
        break;
      case W.TIME_ABSOLUTE_RELATIVE_RANGE:
        // src.end.tv_sec holds the flow's duration in microseconds.
        if (words < 3) return 'short-dsr';
        far.srcStart = absTime(dv, b, unit);
        far.srcEnd = far.srcStart + dv.getUint32(b + 8);
        break;
      default:
        return 'unsupported-time-format';
    }
  }
  // Argus writes seconds == 0 for a missing timestamp; a missing end is the start and a
  // missing start the end, as ArgusGenerateRecordStruct completes them.
  let ss = far.srcStart >= 1e6 ? far.srcStart : 0;
  let se = far.srcEnd >= 1e6 ? far.srcEnd : 0;
  let ds = far.dstStart >= 1e6 ? far.dstStart : 0;
  let de = far.dstEnd >= 1e6 ? far.dstEnd : 0;
  if (!ss) ss = se;
  if (!se) se = ss;
  if (!ds) ds = de;
  if (!de) de = ds;
  far.srcStart = ss;
  far.srcEnd = se;
  far.dstStart = ds;
  far.dstEnd = de;
  far.hasTime = far.srcStart > 0 || far.dstStart > 0;
  return null;
}

/**
 * struct ArgusMetricStruct, written compressed (ArgusModeler.c ArgusGenerateRecord): the
 * qualifier says which directions are present and how wide each counter is.
 */
function readMetric(buf: Uint8Array, dv: DataView, b: number, n: number, subtype: number, qual: number, far: ArgusFar): FarError | null {
  const app = (subtype & W.METER_PKTS_BYTES_APP) !== 0;
  if (!app && !(subtype & W.METER_PKTS_BYTES)) return 'unsupported-metric-width';
  const per = app ? 3 : 2; // counters per direction
  const width = qual & 0x0f;
  let size: number;
  let dirs: 'both' | 'src' | 'dst';
  switch (width) {
    case W.SRCDST_BYTE: size = 1; dirs = 'both'; break;
    case W.SRCDST_SHORT: size = 2; dirs = 'both'; break;
    case W.SRCDST_INT: size = 4; dirs = 'both'; break;
    case W.SRCDST_LONGLONG: size = 8; dirs = 'both'; break;
    case W.SRC_BYTE: size = 1; dirs = 'src'; break;
    case W.SRC_SHORT: size = 2; dirs = 'src'; break;
    case W.SRC_INT: size = 4; dirs = 'src'; break;
    case W.SRC_LONGLONG: size = 8; dirs = 'src'; break;
    case W.DST_BYTE: size = 1; dirs = 'dst'; break;
    case W.DST_SHORT: size = 2; dirs = 'dst'; break;
    case W.DST_INT: size = 4; dirs = 'dst'; break;
    case W.DST_LONGLONG: size = 8; dirs = 'dst'; break;
    case 0:
      // No packets in either direction: argus writes the DSR header only.
      far.hasMetric = true;
      return null;
    default: return 'unsupported-metric-width';
  }
  // Byte-wide single-direction counters exist only with application bytes (ArgusModeler.c).
  if (size === 1 && dirs !== 'both' && !app) return 'unsupported-metric-width';
  const count = dirs === 'both' ? 2 * per : per;
  if (n < count * size) return 'short-dsr';
  far.hasMetric = true;
  far.hasApp = app;
  let i = 0;
  if (dirs !== 'dst') {
    far.sPkts = counter(buf, dv, b + size * i++, size);
    far.sBytes = counter(buf, dv, b + size * i++, size);
    if (app) far.sApp = counter(buf, dv, b + size * i++, size);
  }
  if (dirs !== 'src') {
    far.dPkts = counter(buf, dv, b + size * i++, size);
    far.dBytes = counter(buf, dv, b + size * i++, size);
    if (app) far.dApp = counter(buf, dv, b + size * i, size);
  }
  return null;
}

/** struct ArgusNetworkStruct: TCP status/flags (3.0.8 ArgusTCPObject) and the ICMP object. */
function readNetwork(buf: Uint8Array, dv: DataView, b: number, n: number, subtype: number, far: ArgusFar): FarError | null {
  far.netSubtype = subtype;
  far.hasNet = subtype !== 0;
  switch (subtype) {
    case W.NET_TCP_INIT:
      // struct ArgusTCPInitStatus: status, seqbase, options, win, flags, winshift (16 bytes).
      if (n < 16) return 'short-dsr';
      far.tcpStatus = dv.getUint32(b);
      far.sFlags = buf[b + 14];
      far.hasFlags = true;
      break;
    case W.NET_TCP_STATUS:
      // struct ArgusTCPStatus: status, src flags, dst flags, pad (8 bytes).
      if (n < 6) return 'short-dsr';
      far.tcpStatus = dv.getUint32(b);
      far.sFlags = buf[b + 4];
      far.dFlags = buf[b + 5];
      far.hasFlags = true;
      break;
    case W.NET_TCP_PERF:
      // struct ArgusTCPObject (3.0.8): status, state, options, synAckuSecs, ackDatauSecs, then
      // two 48-byte ArgusTCPObjectMetrics (lasttime, status, seqbase, seq, ack, winnum, bytes,
      // retrans, ackbytes, winbytes, win, flags, winshift); the dst half may be left out.
      if (n < 20 + 48) return 'short-dsr';
      far.tcpStatus = dv.getUint32(b);
      far.sFlags = buf[b + 20 + 46];
      if (n >= 20 + 96) far.dFlags = buf[b + 68 + 46];
      far.hasFlags = true;
      break;
    case W.NET_ICMP:
      // struct ArgusICMPObject: icmp_type, icmp_code, iseq, addresses.
      if (n < 2) return 'short-dsr';
      far.netIcmpType = buf[b];
      far.netIcmpCode = buf[b + 1];
      break;
  }
  return null;
}

/** struct ArgusIPAttrStruct: an ArgusIPAttrObject (ttl, tos, ip_id) per direction the qualifier names, each followed by options when flagged. */
function readAttr(buf: Uint8Array, b: number, n: number, qual: number, far: ArgusFar): FarError | null {
  let at = b;
  const end = b + n;
  if (qual & W.IPATTR_SRC) {
    if (at + 4 > end) return 'short-dsr';
    far.sTtl = buf[at];
    far.sTos = buf[at + 1];
    at += 4;
  }
  if (qual & W.IPATTR_SRC_OPTIONS) at += 4;
  if (qual & W.IPATTR_DST) {
    if (at + 4 > end) return 'short-dsr';
    far.dTtl = buf[at];
    far.dTos = buf[at + 1];
  }
  return null;
}

/** struct ArgusTransportStruct: the probe's source id and a sequence number. */
function readTransport(buf: Uint8Array, dv: DataView, b: number, n: number, subtype: number, qual: number, far: ArgusFar): void {
  let idLen: number;
  switch (qual) {
    case W.ID_TYPE_IPV6: case W.ID_TYPE_UUID: idLen = 16; break;
    case W.ID_TYPE_ETHER: idLen = 8; break;
    default: idLen = 4;
  }
  // A 12-byte transport DSR carries both (ArgusGenerateRecordStruct forces SRCID|SEQ).
  const hasId = (subtype & W.TRANS_SRCID) !== 0 || n >= 8;
  if (hasId && n >= idLen) {
    switch (qual) {
      case W.ID_TYPE_IPV4: far.srcId = formatDotted(dv.getUint32(b)); break;
      case W.ID_TYPE_STRING: far.srcId = asciiz(buf, b, 4); break;
      case W.ID_TYPE_ETHER: far.srcId = macText(buf, b); break;
      case W.ID_TYPE_IPV6: case W.ID_TYPE_UUID: far.srcId = hex(buf, b, 16); break;
      default: far.srcId = String(dv.getUint32(b));
    }
  }
  if ((subtype & W.TRANS_SEQ || n >= 8) && n >= (hasId ? idLen : 0) + 4) far.seq = dv.getUint32(b + (hasId ? idLen : 0));
}

function absTime(dv: DataView, at: number, unit: number): number {
  return dv.getUint32(at) * 1e6 + Math.floor(dv.getUint32(at + 4) / unit);
}

function counter(buf: Uint8Array, dv: DataView, at: number, size: number): number {
  switch (size) {
    case 1: return buf[at];
    case 2: return dv.getUint16(at);
    case 4: return dv.getUint32(at);
    default: return Number(dv.getBigUint64(at));
  }
}

const HEX = '0123456789abcdef';

/** A MAC address as ra prints it: lower-case, colon-separated. */
export function macText(buf: Uint8Array, at: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const v = buf[at + i];
    s += (i ? ':' : '') + HEX[v >> 4] + HEX[v & 15];
  }
  return s;
}

function hex(buf: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[buf[at + i] >> 4] + HEX[buf[at + i] & 15];
  return s;
}

function formatDotted(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

function asciiz(buf: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = buf[at + i];
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}
