import type { IssueCode } from '../issue-codes';
import type { DecodedPacket } from './decoded-packet';

/** What decodeFrame found in a frame. */
export const enum FrameKind {
  /** An IPv4/IPv6 packet: the DecodedPacket is filled. */
  Ip = 0,
  /** A frame that carries no IP (ARP, LLC, STP, ...). */
  NonIp = 1,
  Arp = 2,
  /** The link type is not one we decode. */
  UnknownLink = 3,
  /** Headers cut off by the snap length or inconsistent; `frameProblem` says which. */
  Bad = 4,
}

/** Why the last decodeFrame() returned Bad (a static string, no allocation). */
export let frameProblem = '';
/** Which issue code the problem belongs to. */
export let frameProblemCode: IssueCode = 'truncated-packet';

function bad(code: IssueCode, why: string): FrameKind {
  frameProblemCode = code;
  frameProblem = why;
  return FrameKind.Bad;
}

// Link types (https://www.tcpdump.org/linktypes.html).
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9;
export const LINKTYPE_RAW_12 = 12; // DLT_RAW on most BSDs
export const LINKTYPE_RAW_14 = 14; // DLT_RAW on OpenBSD
export const LINKTYPE_PPP_HDLC = 50;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

/** Link types decodeFrame understands, with their names (for facts). */
export const LINK_TYPE_NAMES: Record<number, string> = {
  0: 'NULL (BSD loopback)', 1: 'ETHERNET', 9: 'PPP', 12: 'RAW', 14: 'RAW', 50: 'PPP_HDLC', 101: 'RAW',
  108: 'LOOP (OpenBSD loopback)', 113: 'LINUX_SLL', 228: 'IPV4', 229: 'IPV6', 276: 'LINUX_SLL2',
};

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_ARP = 0x0806;
const ETH_VLAN = 0x8100;
const ETH_QINQ = 0x88a8;
const ETH_QINQ_OLD = 0x9100;
const ETH_MPLS = 0x8847;
const ETH_MPLS_MC = 0x8848;
const ETH_PPPOE_SESSION = 0x8864;

/**
 * Decodes one frame (link layer, IP, transport header) into `pkt` without allocating
 * (except a Uint32Array per IPv6 address). Bytes are buf[pos, pos+capLen).
 */
export function decodeFrame(buf: Uint8Array, dv: DataView, pos: number, capLen: number, linkType: number, pkt: DecodedPacket): FrameKind {
  const end = pos + capLen;
  let o = pos;
  let etherType: number;
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      // IEEE 802.3: dst(6) src(6) type/length(2).
      if (capLen < 14) return bad('truncated-packet', 'Ethernet header cut off');
      etherType = (buf[o + 12] << 8) | buf[o + 13];
      o += 14;
      break;
    case LINKTYPE_LINUX_SLL:
      // Linux cooked v1: packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2).
      if (capLen < 16) return bad('truncated-packet', 'Linux cooked header cut off');
      etherType = (buf[o + 14] << 8) | buf[o + 15];
      o += 16;
      break;
    case LINKTYPE_LINUX_SLL2:
      // Linux cooked v2: protocol(2) reserved(2) ifindex(4) ARPHRD(2) type(1) addr len(1) addr(8).
      if (capLen < 20) return bad('truncated-packet', 'Linux cooked v2 header cut off');
      etherType = (buf[o] << 8) | buf[o + 1];
      o += 20;
      break;
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_12:
    case LINKTYPE_RAW_14:
      return decodeIpByVersion(buf, dv, o, end, pos, pkt);
    case LINKTYPE_IPV4:
      return decodeIpv4(buf, dv, o, end, pos, pkt);
    case LINKTYPE_IPV6:
      return decodeIpv6(buf, dv, o, end, pos, pkt);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      // 4-byte address family: host byte order of the writer (NULL) or network order (LOOP).
      if (capLen < 4) return bad('truncated-packet', 'loopback header cut off');
      const fam = buf[o] === 0 && buf[o + 1] === 0 ? dv.getUint32(o, false) : dv.getUint32(o, true);
      o += 4;
      if (fam === 2) return decodeIpv4(buf, dv, o, end, pos, pkt);
      // AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS), 10 (Linux).
      if (fam === 24 || fam === 28 || fam === 30 || fam === 10) return decodeIpv6(buf, dv, o, end, pos, pkt);
      return FrameKind.NonIp;
    }
    case LINKTYPE_PPP:
    case LINKTYPE_PPP_HDLC:
      return decodePpp(buf, dv, o, end, pos, pkt);
    default:
      return FrameKind.UnknownLink;
  }
  return decodeEtherType(buf, dv, o, end, pos, etherType, pkt);
}

function decodeEtherType(buf: Uint8Array, dv: DataView, o: number, end: number, pos: number, etherType: number, pkt: DecodedPacket): FrameKind {
  for (;;) {
    switch (etherType) {
      case ETH_IPV4:
        return decodeIpv4(buf, dv, o, end, pos, pkt);
      case ETH_IPV6:
        return decodeIpv6(buf, dv, o, end, pos, pkt);
      case ETH_VLAN:
      case ETH_QINQ:
      case ETH_QINQ_OLD:
        // IEEE 802.1Q tag: TCI(2) then the inner type.
        if (o + 4 > end) return bad('truncated-packet', 'VLAN tag cut off');
        etherType = (buf[o + 2] << 8) | buf[o + 3];
        o += 4;
        continue;
      case ETH_MPLS:
      case ETH_MPLS_MC: {
        // RFC 3032 label stack entries (4 bytes) until bottom-of-stack; then guess IPv4/IPv6.
        for (;;) {
          if (o + 4 > end) return bad('truncated-packet', 'MPLS label stack cut off');
          const bos = buf[o + 2] & 1;
          o += 4;
          if (bos) break;
        }
        return decodeIpByVersion(buf, dv, o, end, pos, pkt);
      }
      case ETH_PPPOE_SESSION:
        // RFC 2516 §4: ver/type(1) code(1) session(2) length(2), then the PPP protocol.
        if (o + 6 > end) return bad('truncated-packet', 'PPPoE header cut off');
        return decodePppProto(buf, dv, o + 6, end, pos, pkt);
      case ETH_ARP:
        return FrameKind.Arp;
      default:
        return FrameKind.NonIp;
    }
  }
}

function decodePpp(buf: Uint8Array, dv: DataView, o: number, end: number, pos: number, pkt: DecodedPacket): FrameKind {
  // RFC 1662 HDLC-like framing: address 0xff, control 0x03 (optional), then protocol.
  if (o + 2 <= end && buf[o] === 0xff && buf[o + 1] === 0x03) o += 2;
  return decodePppProto(buf, dv, o, end, pos, pkt);
}

function decodePppProto(buf: Uint8Array, dv: DataView, o: number, end: number, pos: number, pkt: DecodedPacket): FrameKind {
  if (o + 1 > end) return bad('truncated-packet', 'PPP protocol cut off');
  // RFC 1661 §2: protocol field, possibly compressed to one byte (odd first byte).
  let proto: number;
  if (buf[o] & 1) { proto = buf[o]; o += 1; }
  else {
    if (o + 2 > end) return bad('truncated-packet', 'PPP protocol cut off');
    proto = (buf[o] << 8) | buf[o + 1];
    o += 2;
  }
  if (proto === 0x21) return decodeIpv4(buf, dv, o, end, pos, pkt);
  if (proto === 0x57) return decodeIpv6(buf, dv, o, end, pos, pkt);
  return FrameKind.NonIp;
}

function decodeIpByVersion(buf: Uint8Array, dv: DataView, o: number, end: number, pos: number, pkt: DecodedPacket): FrameKind {
  if (o >= end) return bad('truncated-packet', 'IP header cut off');
  const v = buf[o] >> 4;
  if (v === 4) return decodeIpv4(buf, dv, o, end, pos, pkt);
  if (v === 6) return decodeIpv6(buf, dv, o, end, pos, pkt);
  return FrameKind.NonIp;
}

function resetTransport(pkt: DecodedPacket): void {
  pkt.hasTransport = false;
  pkt.srcPort = 0;
  pkt.dstPort = 0;
  pkt.tcpFlags = 0;
  pkt.seq = 0;
  pkt.ack = 0;
  pkt.window = 0;
  pkt.l4HeaderLen = 0;
  pkt.payloadLen = 0;
  pkt.icmpType = 0;
  pkt.icmpCode = 0;
  pkt.checksumOk = -1;
}

function decodeIpv4(buf: Uint8Array, dv: DataView, o: number, end: number, pos: number, pkt: DecodedPacket): FrameKind {
  // RFC 791 §3.1: version/IHL, TOS, total length, id, flags/fragment offset, TTL, protocol, checksum, src, dst.
  if (o + 20 > end) return bad('truncated-packet', 'IPv4 header cut off');
  const vihl = buf[o];
  if (vihl >> 4 !== 4) return bad('bad-ip-header', 'IP version is not 4');
  const ihl = (vihl & 15) * 4;
  if (ihl < 20) return bad('bad-ip-header', 'IPv4 header length below 20');
  if (o + ihl > end) return bad('truncated-packet', 'IPv4 options cut off');
  let total = (buf[o + 2] << 8) | buf[o + 3];
  // Total length 0 is what TCP segmentation offload leaves in captures: use the frame.
  if (total === 0) total = end - o;
  if (total < ihl) return bad('bad-ip-header', 'IPv4 total length below its header length');
  const ff = (buf[o + 6] << 8) | buf[o + 7];
  pkt.l2Len = o - pos;
  pkt.ipVersion = 4;
  pkt.tos = buf[o + 1];
  pkt.ipTotalLen = total;
  pkt.ipHeaderLen = ihl;
  pkt.ipId = (buf[o + 4] << 8) | buf[o + 5];
  pkt.moreFragments = (ff & 0x2000) !== 0;
  pkt.fragOffset = (ff & 0x1fff) * 8;
  pkt.isFragment = pkt.moreFragments || pkt.fragOffset !== 0;
  pkt.ttl = buf[o + 8];
  pkt.proto = buf[o + 9];
  pkt.src = dv.getUint32(o + 12, false);
  pkt.dst = dv.getUint32(o + 16, false);
  // Bytes beyond total length are link padding; bytes missing are the snap length's doing.
  const ipEnd = Math.min(end, o + total);
  return decodeTransport(buf, dv, o + ihl, ipEnd, total - ihl, pkt);
}

function decodeIpv6(buf: Uint8Array, dv: DataView, o: number, end: number, pos: number, pkt: DecodedPacket): FrameKind {
  // RFC 8200 §3: version/class/flow(4), payload length(2), next header(1), hop limit(1), src(16), dst(16).
  if (o + 40 > end) return bad('truncated-packet', 'IPv6 header cut off');
  if (buf[o] >> 4 !== 6) return bad('bad-ip-header', 'IP version is not 6');
  const plen = (buf[o + 4] << 8) | buf[o + 5];
  pkt.l2Len = o - pos;
  pkt.ipVersion = 6;
  pkt.tos = ((buf[o] & 15) << 4) | (buf[o + 1] >> 4);
  pkt.ttl = buf[o + 7];
  const s = new Uint32Array(4);
  const d = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    s[i] = dv.getUint32(o + 8 + 4 * i, false);
    d[i] = dv.getUint32(o + 24 + 4 * i, false);
  }
  pkt.src = s;
  pkt.dst = d;
  // Payload length 0 with a jumbogram option is not handled; use the frame then.
  const total = plen === 0 ? end - o : 40 + plen;
  pkt.ipTotalLen = total;
  pkt.isFragment = false;
  pkt.moreFragments = false;
  pkt.fragOffset = 0;
  pkt.ipId = 0;
  const ipEnd = Math.min(end, o + total);
  let nh = buf[o + 6];
  let h = o + 40;
  // §4 extension headers: walk them to the transport header.
  for (;;) {
    if (nh === 0 || nh === 43 || nh === 60 || nh === 135 || nh === 139 || nh === 140) {
      if (h + 8 > ipEnd) return bad('truncated-packet', 'IPv6 extension header cut off');
      const next = buf[h];
      h += (buf[h + 1] + 1) * 8;
      nh = next;
    } else if (nh === 44) {
      // §4.5 fragment header: next(1) reserved(1) offset/flags(2) identification(4).
      if (h + 8 > ipEnd) return bad('truncated-packet', 'IPv6 fragment header cut off');
      const next = buf[h];
      const of = (buf[h + 2] << 8) | buf[h + 3];
      pkt.fragOffset = of & 0xfff8;
      pkt.moreFragments = (of & 1) !== 0;
      pkt.isFragment = pkt.moreFragments || pkt.fragOffset !== 0;
      pkt.ipId = dv.getUint32(h + 4, false);
      h += 8;
      nh = next;
    } else if (nh === 51) {
      // RFC 4302 AH: payload length in 4-byte units minus 2.
      if (h + 8 > ipEnd) return bad('truncated-packet', 'IPv6 AH header cut off');
      const next = buf[h];
      h += (buf[h + 1] + 2) * 4;
      nh = next;
    } else break;
  }
  pkt.ipHeaderLen = h - o;
  pkt.proto = nh;
  if (h > o + total) return bad('bad-ip-header', 'IPv6 extension headers exceed the payload length');
  return decodeTransport(buf, dv, h, ipEnd, total - (h - o), pkt);
}

/**
 * Transport header at t; `ipEnd` is the last captured byte of the IP packet and `l4Len`
 * the transport length the IP header declares.
 */
function decodeTransport(buf: Uint8Array, dv: DataView, t: number, ipEnd: number, l4Len: number, pkt: DecodedPacket): FrameKind {
  resetTransport(pkt);
  pkt.buf = buf;
  pkt.dv = dv;
  pkt.l4Pos = t;
  pkt.ipEnd = ipEnd;
  if (pkt.fragOffset !== 0) {
    // A non-first fragment carries no transport header.
    pkt.payloadLen = l4Len;
    pkt.payloadPos = t;
    pkt.payloadEnd = Math.max(t, ipEnd);
    return FrameKind.Ip;
  }
  const avail = ipEnd - t;
  switch (pkt.proto) {
    case 6: {
      // RFC 9293 §3.1: ports, seq, ack, data offset/flags, window, checksum, urgent.
      if (avail < 20 || l4Len < 20) break;
      const off = (buf[t + 12] >> 4) * 4;
      if (off < 20 || off > l4Len) break;
      readPorts(buf, t, pkt);
      pkt.seq = dv.getUint32(t + 4, false);
      pkt.ack = dv.getUint32(t + 8, false);
      pkt.tcpFlags = buf[t + 13];
      pkt.window = (buf[t + 14] << 8) | buf[t + 15];
      return transportHeader(pkt, t, off, l4Len, ipEnd);
    }
    case 17:
    case 136: {
      // RFC 768 (UDP) / RFC 3828 (UDP-Lite): ports, length, checksum.
      if (avail < 8 || l4Len < 8) break;
      readPorts(buf, t, pkt);
      return transportHeader(pkt, t, 8, l4Len, ipEnd);
    }
    case 1:
    case 58: {
      // RFC 792 / RFC 4443: type, code, checksum, 4 bytes that depend on the type.
      if (avail < 4 || l4Len < 8) break;
      pkt.icmpType = buf[t];
      pkt.icmpCode = buf[t + 1];
      return transportHeader(pkt, t, 8, l4Len, ipEnd);
    }
    case 132: {
      // RFC 9260 SCTP common header: ports, verification tag, checksum.
      if (avail < 12 || l4Len < 12) break;
      readPorts(buf, t, pkt);
      return transportHeader(pkt, t, 12, l4Len, ipEnd);
    }
    default:
      // Other protocols (GRE, ESP, ...): no ports; the whole IP payload is payload.
      pkt.payloadLen = l4Len;
      pkt.payloadPos = t;
      pkt.payloadEnd = Math.max(t, ipEnd);
      return FrameKind.Ip;
  }
  // The transport header is cut off (snap length) or inconsistent: still an IP packet.
  pkt.payloadLen = 0;
  pkt.payloadPos = t;
  pkt.payloadEnd = t;
  return FrameKind.Ip;
}

/** Source and destination port: the first two 16-bit words of TCP, UDP and SCTP headers. */
function readPorts(buf: Uint8Array, t: number, pkt: DecodedPacket): void {
  pkt.srcPort = (buf[t] << 8) | buf[t + 1];
  pkt.dstPort = (buf[t + 2] << 8) | buf[t + 3];
}

/** A transport header of `headerLen` bytes at t: the payload follows it (as far as it was captured). */
function transportHeader(pkt: DecodedPacket, t: number, headerLen: number, l4Len: number, ipEnd: number): FrameKind {
  pkt.l4HeaderLen = headerLen;
  pkt.payloadLen = l4Len - headerLen;
  pkt.payloadPos = Math.min(t + headerLen, ipEnd);
  pkt.payloadEnd = ipEnd;
  pkt.hasTransport = true;
  return FrameKind.Ip;
}
