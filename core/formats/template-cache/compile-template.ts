import { formatIp4, formatIp6 } from '../../model/ip';
import { readHex, readIp6, readMac, readNtpMicros, readString, readUint } from './field-values';
import type { RecordState } from './record-state';

/** One field specifier of a template (RFC 7011 §3.2, RFC 3954 §5.2). */
export interface TemplateField {
  /** Information element id (v9 field type), without the enterprise bit. */
  readonly id: number;
  /** Private enterprise number; 0 for IANA elements and every NetFlow v9 field. */
  readonly pen: number;
  /** Field length; 65535 = variable length (RFC 7011 §7). */
  readonly len: number;
}

/** Writes one field's value into the record state. `len` is the field's actual length. */
export type FieldReader = (s: RecordState, dv: DataView, b: Uint8Array, o: number, len: number) => void;

/** A template turned into readers once, when it arrives; records are then read with no lookups. */
export interface CompiledTemplate {
  readonly id: number;
  readonly fields: readonly TemplateField[];
  /** True for an options template (its records configure the exporter, they are not flows). */
  readonly options: boolean;
  readonly scopeCount: number;
  readonly readers: readonly FieldReader[];
  /** Field lengths; -1 marks a variable-length field. */
  readonly lens: Int32Array;
  /**
   * Inline op per field (see Op): the common fixed-size column fields are read by a switch
   * in readRecord, without a call; 0 = call the field's reader closure.
   */
  readonly ops: Uint8Array;
  /** Length of the shortest possible record (variable fields count their 1-byte prefix). */
  readonly minLength: number;
}

/** RFC 5103 §6.1: reverse information elements carry this PEN and the forward element's id. */
export const REVERSE_PEN = 29305;
export const VARIABLE_LENGTH = 65535;

const noop: FieldReader = () => {};

type Kind = 'u' | 'ip4' | 'ip6' | 'mac' | 'str' | 'hex';

/** Elements that go into attrs under a readable name (IANA IPFIX registry names, shortened). */
const NAMED: Record<number, [string, Kind]> = {
  9: ['srcMask', 'u'], 13: ['dstMask', 'u'], 29: ['srcMask', 'u'], 30: ['dstMask', 'u'],
  15: ['nextHop', 'ip4'], 62: ['nextHop', 'ip6'], 18: ['bgpNextHop', 'ip4'], 63: ['bgpNextHop', 'ip6'],
  31: ['flowLabel', 'u'], 35: ['samplingAlgorithm', 'u'], 49: ['samplerMode', 'u'], 304: ['selectorAlgorithm', 'u'],
  84: ['samplerName', 'str'], 335: ['selectorName', 'str'],
  52: ['minTtl', 'u'], 53: ['maxTtl', 'u'], 192: ['ttl', 'u'],
  56: ['srcMac', 'mac'], 80: ['dstMac', 'mac'], 57: ['postDstMac', 'mac'], 81: ['postSrcMac', 'mac'],
  58: ['vlan', 'u'], 59: ['postVlan', 'u'], 243: ['dot1qVlan', 'u'], 245: ['dot1qCustomerVlan', 'u'],
  61: ['direction', 'u'], 136: ['endReason', 'u'], 89: ['fwdStatus', 'u'], 148: ['flowId', 'u'],
  70: ['mpls1', 'u'], 71: ['mpls2', 'u'], 72: ['mpls3', 'u'], 90: ['mplsVpnRd', 'hex'],
  82: ['ifName', 'str'], 83: ['ifDescription', 'str'], 95: ['appId', 'hex'], 96: ['appName', 'str'], 94: ['appDescription', 'str'],
  130: ['exporterAddr', 'ip4'], 131: ['exporterAddr', 'ip6'], 138: ['observationPointId', 'u'],
  143: ['meteringProcessId', 'u'], 144: ['exportingProcessId', 'u'], 149: ['observationDomainId', 'u'],
  225: ['natSrc', 'ip4'], 226: ['natDst', 'ip4'], 281: ['natSrc', 'ip6'], 282: ['natDst', 'ip6'],
  227: ['natSrcPort', 'u'], 228: ['natDstPort', 'u'], 233: ['fwEvent', 'u'],
  234: ['ingressVrf', 'u'], 235: ['egressVrf', 'u'], 236: ['vrfName', 'str'],
  147: ['wlanSsid', 'str'], 365: ['staMac', 'mac'], 366: ['staIp', 'ip4'], 367: ['wtpMac', 'mac'],
  252: ['ingressPhysIf', 'u'], 253: ['egressPhysIf', 'u'], 351: ['layer2SegmentId', 'u'],
  // Cisco NSEL (ASA) fields in the NetFlow v9 vendor range (RFC 3954 leaves ids >= 32768 to vendors).
  33000: ['ingressAcl', 'hex'], 33001: ['egressAcl', 'hex'], 33002: ['fwExtEvent', 'u'],
  40000: ['username', 'str'], 40001: ['natSrc', 'ip4'], 40002: ['natDst', 'ip4'],
  40003: ['natSrcPort', 'u'], 40004: ['natDstPort', 'u'], 40005: ['fwEvent', 'u'],
};

function attrReader(name: string, kind: Kind, fixedLen: number): FieldReader {
  switch (kind) {
    case 'u': return (s, dv, b, o, len) => { s.extra()[name] = readUint(dv, b, o, len); };
    case 'ip4': return fixedLen === 4 || fixedLen < 0
      ? (s, dv, b, o, len) => { s.extra()[name] = len === 4 ? formatIp4(dv.getUint32(o)) : readHex(b, o, len); }
      : hexReader(name);
    case 'ip6': return (s, dv, b, o, len) => { s.extra()[name] = len === 16 ? formatIp6(readIp6(dv, o)) : readHex(b, o, len); };
    case 'mac': return (s, _dv, b, o, len) => { s.extra()[name] = readMac(b, o, len); };
    case 'str': return (s, _dv, b, o, len) => { s.extra()[name] = readString(b, o, len); };
    case 'hex': return hexReader(name);
  }
}

function hexReader(name: string, cap = 512): FieldReader {
  return (s, _dv, b, o, len) => { s.extra()[name] = readHex(b, o, len, cap); };
}

/** Reader for an IANA element (pen 0) or v9 field type; len < 0 = variable length. */
function standardReader(id: number, len: number): FieldReader {
  switch (id) {
    // Addresses: a wrong length is kept as hex rather than misread.
    case 8: return len === 4 ? (s, dv, _b, o) => { s.src4 = dv.getUint32(o); s.lastFamily = 4; } : hexReader('ie8');
    case 12: return len === 4 ? (s, dv, _b, o) => { s.dst4 = dv.getUint32(o); s.lastFamily = 4; } : hexReader('ie12');
    case 27: return len === 16 ? (s, dv, _b, o) => { s.src6 = readIp6(dv, o); s.lastFamily = 6; } : hexReader('ie27');
    case 28: return len === 16 ? (s, dv, _b, o) => { s.dst6 = readIp6(dv, o); s.lastFamily = 6; } : hexReader('ie28');
    // Counters (RFC 7011 §6.2 reduced-size encoding: any length up to 8).
    case 1: return (s, dv, b, o, l) => { s.bytes = readUint(dv, b, o, l); };
    case 2: return (s, dv, b, o, l) => { s.packets = readUint(dv, b, o, l); };
    case 85: return (s, dv, b, o, l) => { s.bytesTotal = readUint(dv, b, o, l); };
    case 86: return (s, dv, b, o, l) => { s.packetsTotal = readUint(dv, b, o, l); };
    case 23: return (s, dv, b, o, l) => { s.bytesOut = readUint(dv, b, o, l); };
    case 24: return (s, dv, b, o, l) => { s.packetsOut = readUint(dv, b, o, l); };
    case 231: return (s, dv, b, o, l) => { s.initBytes = readUint(dv, b, o, l); };
    case 232: return (s, dv, b, o, l) => { s.respBytes = readUint(dv, b, o, l); };
    case 298: return (s, dv, b, o, l) => { s.initPackets = readUint(dv, b, o, l); };
    case 299: return (s, dv, b, o, l) => { s.respPackets = readUint(dv, b, o, l); };
    // Five-tuple and header fields.
    case 4: return (s, dv, b, o, l) => { s.proto = readUint(dv, b, o, l) & 255; };
    case 7: return (s, dv, b, o, l) => { s.srcPort = readUint(dv, b, o, l) & 0xffff; };
    case 11: return (s, dv, b, o, l) => { s.dstPort = readUint(dv, b, o, l) & 0xffff; };
    // udp/tcpSource/DestinationPort: exporters send both kinds, the other protocol's as 0.
    case 180: case 182: return (s, dv, b, o, l) => { const v = readUint(dv, b, o, l) & 0xffff; if (v !== 0) s.srcPort = v; };
    case 181: case 183: return (s, dv, b, o, l) => { const v = readUint(dv, b, o, l) & 0xffff; if (v !== 0) s.dstPort = v; };
    case 5: return (s, dv, b, o, l) => { s.tos = readUint(dv, b, o, l) & 255; };
    // tcpControlBits is 16 bits in RFC 7125 (NS and reserved bits above the classic 8).
    case 6: return (s, dv, b, o, l) => { s.tcpFlags = readUint(dv, b, o, l) & 255; };
    case 60: return (s, dv, b, o, l) => { s.ipVersion = readUint(dv, b, o, l); };
    case 10: return (s, dv, b, o, l) => { s.inIf = readUint(dv, b, o, l); };
    case 14: return (s, dv, b, o, l) => { s.outIf = readUint(dv, b, o, l); };
    case 16: return (s, dv, b, o, l) => { s.srcAs = readUint(dv, b, o, l); };
    case 17: return (s, dv, b, o, l) => { s.dstAs = readUint(dv, b, o, l); };
    case 32: case 139: return (s, dv, b, o, l) => { s.icmpTypeCode = readUint(dv, b, o, l) & 0xffff; };
    case 176: case 178: return (s, dv, b, o, l) => { s.icmpType = readUint(dv, b, o, l) & 255; };
    case 177: case 179: return (s, dv, b, o, l) => { s.icmpCode = readUint(dv, b, o, l) & 255; };
    // Times (RFC 7011 §6.1.7-§6.1.10; IANA 21/22 and 158/159 are relative).
    case 150: return (s, dv, b, o, l) => { s.startUs = readUint(dv, b, o, l) * 1e6; };
    case 151: return (s, dv, b, o, l) => { s.endUs = readUint(dv, b, o, l) * 1e6; };
    case 152: return (s, dv, b, o, l) => { s.startUs = readUint(dv, b, o, l) * 1000; };
    case 153: return (s, dv, b, o, l) => { s.endUs = readUint(dv, b, o, l) * 1000; };
    case 154: case 156: return (s, dv, _b, o, l) => { s.startUs = readNtpMicros(dv, o, l); };
    case 155: case 157: return (s, dv, _b, o, l) => { s.endUs = readNtpMicros(dv, o, l); };
    case 22: return (s, dv, b, o, l) => { s.startUptimeMs = readUint(dv, b, o, l); };
    case 21: return (s, dv, b, o, l) => { s.endUptimeMs = readUint(dv, b, o, l); };
    case 158: return (s, dv, b, o, l) => { s.startDeltaUs = readUint(dv, b, o, l); };
    case 159: return (s, dv, b, o, l) => { s.endDeltaUs = readUint(dv, b, o, l); };
    case 161: return (s, dv, b, o, l) => { s.durationUs = readUint(dv, b, o, l) * 1000; };
    case 162: return (s, dv, b, o, l) => { s.durationUs = readUint(dv, b, o, l); };
    case 160: return (s, dv, b, o, l) => { s.systemInitMs = readUint(dv, b, o, l); };
    case 322: return (s, dv, b, o, l) => { s.observationUs = readUint(dv, b, o, l) * 1e6; };
    case 323: return (s, dv, b, o, l) => { s.observationUs = readUint(dv, b, o, l) * 1000; };
    case 324: case 325: return (s, dv, _b, o, l) => { s.observationUs = readNtpMicros(dv, o, l); };
    // Sampling (RFC 3954 §8 fields 34/48/50, RFC 5477 305/306 and 309/310, selectorId 302).
    case 34: return (s, dv, b, o, l) => { s.samplingInterval = readUint(dv, b, o, l); };
    case 50: return (s, dv, b, o, l) => { s.samplerRandomInterval = readUint(dv, b, o, l); };
    case 305: return (s, dv, b, o, l) => { s.packetInterval = readUint(dv, b, o, l); };
    case 306: return (s, dv, b, o, l) => { s.packetSpace = readUint(dv, b, o, l); };
    case 309: return (s, dv, b, o, l) => { s.samplingSize = readUint(dv, b, o, l); };
    case 310: return (s, dv, b, o, l) => { s.samplingPopulation = readUint(dv, b, o, l); };
    case 48: case 302: return (s, dv, b, o, l) => { s.samplerId = readUint(dv, b, o, l); };
    case 210: return noop; // paddingOctets
  }
  const named = NAMED[id];
  if (named) {
    // A named element with an implausible length is kept as hex, never misread.
    if ((named[1] === 'u' && len > 8) || (named[1] === 'ip6' && len >= 0 && len !== 16)) return hexReader(named[0]);
    return attrReader(named[0], named[1], len);
  }
  return hexReader(id >= 32768 ? `v9.${id}` : `ie${id}`, 64);
}

/** RFC 5103 reverse elements: the counters go to the rev* columns, the rest into attrs. */
function reverseReader(id: number, len: number): FieldReader {
  switch (id) {
    case 1: case 85: return (s, dv, b, o, l) => { if (s.revBytes < 0 || id === 1) s.revBytes = readUint(dv, b, o, l); };
    case 2: case 86: return (s, dv, b, o, l) => { if (s.revPackets < 0 || id === 2) s.revPackets = readUint(dv, b, o, l); };
    case 6: return (s, dv, b, o, l) => { s.revTcpFlags = readUint(dv, b, o, l) & 255; };
  }
  const named = NAMED[id];
  if (named && !(named[1] === 'u' && len > 8)) {
    return attrReader(`rev${named[0][0].toUpperCase()}${named[0].slice(1)}`, named[1], len);
  }
  return hexReader(`e${REVERSE_PEN}.${id}`);
}

/** CERT (YAF) enterprise number: its TCP flag elements fill tcp_flags when tcpControlBits is absent. */
const CERT_PEN = 6871;

function certReader(id: number): FieldReader {
  const hex = hexReader(`e${CERT_PEN}.${id}`);
  switch (id) {
    case 14: case 15: // initialTCPFlags, unionTCPFlags
      return (s, dv, b, o, l) => { s.yafFlags = Math.max(0, s.yafFlags) | (readUint(dv, b, o, l) & 255); hex(s, dv, b, o, l); };
    case 16398: case 16399: // reverseInitialTCPFlags, reverseUnionTCPFlags
      return (s, dv, b, o, l) => { s.revYafFlags = Math.max(0, s.revYafFlags) | (readUint(dv, b, o, l) & 255); hex(s, dv, b, o, l); };
  }
  return hex;
}

/** Builds the reader of one field. v9 options scope fields are scope types, not elements. */
function fieldReader(f: TemplateField, scope9: boolean): FieldReader {
  const len = f.len === VARIABLE_LENGTH ? -1 : f.len;
  if (scope9) return noop;
  if (f.pen === REVERSE_PEN) return reverseReader(f.id, len);
  if (f.pen === CERT_PEN) return certReader(f.id);
  if (f.pen !== 0) return hexReader(`e${f.pen}.${f.id}`);
  return standardReader(f.id, len);
}

/** Inline reads for the most common (element, length) pairs. */
const enum Op {
  Call = 0, Src4, Dst4, SrcPort, DstPort, Proto, Flags8, Bytes32, Bytes64, Packets32, Packets64,
  In16, In32, Out16, Out32, StartUp, EndUp, StartMs, EndMs, Tos, Skip,
}

function opFor(f: TemplateField): Op {
  if (f.pen !== 0) return Op.Call;
  const key = f.id * 100 + f.len;
  switch (key) {
    case 804: return Op.Src4;
    case 1204: return Op.Dst4;
    case 702: return Op.SrcPort;
    case 1102: return Op.DstPort;
    case 401: return Op.Proto;
    case 601: return Op.Flags8;
    case 104: return Op.Bytes32;
    case 108: return Op.Bytes64;
    case 204: return Op.Packets32;
    case 208: return Op.Packets64;
    case 1002: return Op.In16;
    case 1004: return Op.In32;
    case 1402: return Op.Out16;
    case 1404: return Op.Out32;
    case 2204: return Op.StartUp;
    case 2104: return Op.EndUp;
    case 15208: return Op.StartMs;
    case 15308: return Op.EndMs;
    case 501: return Op.Tos;
  }
  return f.id === 210 ? Op.Skip : Op.Call;
}

/**
 * Compiles a template into per-field readers, once per template definition.
 * `v9Scope` = number of leading NetFlow v9 options scope fields (their types are scope
 * kinds such as 1 = System, RFC 3954 §6.1, and must not be read as elements).
 */
export function compileTemplate(id: number, fields: readonly TemplateField[], options: boolean, scopeCount: number, v9Scope = 0): CompiledTemplate {
  const lens = new Int32Array(fields.length);
  const ops = new Uint8Array(fields.length);
  const readers: FieldReader[] = [];
  let minLength = 0;
  fields.forEach((f, i) => {
    const variable = f.len === VARIABLE_LENGTH;
    lens[i] = variable ? -1 : f.len;
    minLength += variable ? 1 : f.len;
    readers.push(fieldReader(f, i < v9Scope));
    ops[i] = i < v9Scope ? Op.Skip : opFor(f);
  });
  return { id, fields, options, scopeCount, readers, lens, ops, minLength };
}

/**
 * Reads one data record at o into s (which the caller has reset). Returns the offset after
 * the record, or -1 when a field runs past `end` (truncated record).
 */
export function readRecord(t: CompiledTemplate, s: RecordState, dv: DataView, b: Uint8Array, o: number, end: number): number {
  const lens = t.lens;
  const ops = t.ops;
  const readers = t.readers;
  for (let i = 0; i < lens.length; i++) {
    const op = ops[i];
    if (op !== Op.Call) {
      // Fixed-size field: its length is part of the op.
      const len = lens[i];
      if (o + len > end) return -1;
      switch (op) {
        case Op.Src4: s.src4 = dv.getUint32(o); s.lastFamily = 4; break;
        case Op.Dst4: s.dst4 = dv.getUint32(o); s.lastFamily = 4; break;
        case Op.SrcPort: s.srcPort = dv.getUint16(o); break;
        case Op.DstPort: s.dstPort = dv.getUint16(o); break;
        case Op.Proto: s.proto = b[o]; break;
        case Op.Flags8: s.tcpFlags = b[o]; break;
        case Op.Bytes32: s.bytes = dv.getUint32(o); break;
        case Op.Bytes64: s.bytes = dv.getUint32(o) * 4294967296 + dv.getUint32(o + 4); break;
        case Op.Packets32: s.packets = dv.getUint32(o); break;
        case Op.Packets64: s.packets = dv.getUint32(o) * 4294967296 + dv.getUint32(o + 4); break;
        case Op.In16: s.inIf = dv.getUint16(o); break;
        case Op.In32: s.inIf = dv.getUint32(o); break;
        case Op.Out16: s.outIf = dv.getUint16(o); break;
        case Op.Out32: s.outIf = dv.getUint32(o); break;
        case Op.StartUp: s.startUptimeMs = dv.getUint32(o); break;
        case Op.EndUp: s.endUptimeMs = dv.getUint32(o); break;
        case Op.StartMs: s.startUs = (dv.getUint32(o) * 4294967296 + dv.getUint32(o + 4)) * 1000; break;
        case Op.EndMs: s.endUs = (dv.getUint32(o) * 4294967296 + dv.getUint32(o + 4)) * 1000; break;
        case Op.Tos: s.tos = b[o]; break;
        default: break; // Skip
      }
      o += len;
      continue;
    }
    let len = lens[i];
    if (len < 0) {
      // RFC 7011 §7: 1-byte length, or 255 followed by a 2-byte length.
      if (o >= end) return -1;
      len = b[o++];
      if (len === 255) {
        if (o + 2 > end) return -1;
        len = dv.getUint16(o);
        o += 2;
      }
    }
    if (o + len > end) return -1;
    if (len > 0) readers[i](s, dv, b, o, len);
    o += len;
  }
  return o;
}
