import type { Ip } from '../../model/ip';
import { REC_F64, T_ACTIVE_END, T_ATTEMPT_AT, T_CLOSE_TICK, T_DELETE_AT, T_LAST, T_LAST_PACKET, T_START } from './flow-record-layout';
import { TcpEndpoint } from './tcp-endpoint';

/** Where a connection's times live (the flow table's per-slot records). */
export interface TimesHost {
  readonly rec64: Float64Array;
}

/** First-packet bits (Zeek's first_packet_seen), relative to the current roles. */
export const SEEN_ORIG = 1;
export const SEEN_RESP = 2;

/**
 * One metered connection: Zeek's Connection plus the parts of its session adapter and
 * ConnSize analyzer that conn.log reports. Endpoints are objects so that a role flip
 * swaps them and every per-side counter follows its host.
 */
export class Conn {
  /**
   * The flow table whose per-slot record holds this connection's times (µs): next to its
   * key and expiry bound, so the per-packet path touches one cache line for all of them
   * instead of a separate array object. Valid while the connection is in the table.
   */
  declare readonly host: TimesHost;
  /** Zeek's start_time. */
  get startUs(): number { return this.host.rec64[this.slot * REC_F64 + T_START]; }
  set startUs(v: number) { this.host.rec64[this.slot * REC_F64 + T_START] = v; }
  /** Zeek's last_time (stops moving once both sides closed). */
  get lastUs(): number { return this.host.rec64[this.slot * REC_F64 + T_LAST]; }
  set lastUs(v: number) { this.host.rec64[this.slot * REC_F64 + T_LAST] = v; }
  /** Time of the last packet of any kind. */
  get lastPacketUs(): number { return this.host.rec64[this.slot * REC_F64 + T_LAST_PACKET]; }
  set lastPacketUs(v: number) { this.host.rec64[this.slot * REC_F64 + T_LAST_PACKET] = v; }
  /** Removal time set by a completed close (tcp_close_delay); Infinity while open. */
  get deleteAtUs(): number { return this.host.rec64[this.slot * REC_F64 + T_DELETE_AT]; }
  set deleteAtUs(v: number) { this.host.rec64[this.slot * REC_F64 + T_DELETE_AT] = v; }
  /** The SYN attempt check (tcp_attempt_delay) or Infinity. */
  get attemptAtUs(): number { return this.host.rec64[this.slot * REC_F64 + T_ATTEMPT_AT]; }
  set attemptAtUs(v: number) { this.host.rec64[this.slot * REC_F64 + T_ATTEMPT_AT] = v; }
  /** Extra expire-timer series started by a half close (tcp_session_timer), or Infinity. */
  get closeTickBaseUs(): number { return this.host.rec64[this.slot * REC_F64 + T_CLOSE_TICK]; }
  set closeTickBaseUs(v: number) { this.host.rec64[this.slot * REC_F64 + T_CLOSE_TICK] = v; }
  get activeEndUs(): number { return this.host.rec64[this.slot * REC_F64 + T_ACTIVE_END]; }
  set activeEndUs(v: number) { this.host.rec64[this.slot * REC_F64 + T_ACTIVE_END] = v; }
  declare proto: number;
  declare orig: TcpEndpoint;
  declare resp: TcpEndpoint;
  declare origIp: Ip;
  declare respIp: Ip;
  declare origPort: number;
  declare respPort: number;
  declare history: string;
  declare histSeen: number;
  /** File offset of the first packet's record. */
  declare pos: number;
  /** ICMP type/code and ToS of the first packet. */
  declare icmpType: number;
  declare icmpCode: number;
  declare tos: number;
  // TCP analyzer state.
  declare isPartial: boolean;
  declare firstPacketSeen: number;
  declare isActive: boolean;
  /** Inactivity timeout currently in force, µs. */
  declare inactivityUs: number;
  /** Bytes missed in content gaps (Zeek missed_bytes). */
  declare missedBytes: number;
  /** Packets of this connection whose TCP/UDP/ICMP checksum was wrong (counted or, when verifying, ignored). */
  declare badChecksums: number;
  /** Incremented each time the object is reused for another connection (see FlowMeter's pool). */
  declare gen: number;
  /** Flow table slot (-1 once removed) and the IPv6 words of its key (see FlowTable). */
  declare slot: number;
  declare kA6: Uint32Array | null;
  declare kB6: Uint32Array | null;

  /** A connection object without a connection yet: the meter calls init() after FlowTable.insert(). */
  constructor(host: TimesHost) {
    // The order sets the object layout: fields every packet reads come first.
    this.host = host;
    this.slot = -1;
    this.orig = new TcpEndpoint(true);
    this.resp = new TcpEndpoint(false);
    this.proto = 0;
    this.origIp = 0;
    this.origPort = 0;
    this.respIp = 0;
    this.respPort = 0;
    this.histSeen = 0;
    this.firstPacketSeen = 0;
    this.isPartial = false;
    this.isActive = true;
    this.inactivityUs = 0;
    this.history = '';
    this.missedBytes = 0;
    this.badChecksums = 0;
    this.gen = 0;
    this.kA6 = null;
    this.kB6 = null;
    this.pos = 0;
    this.icmpType = 0;
    this.icmpCode = 0;
    this.tos = 0;
  }

  /**
   * (Re)starts the object as a new connection, once it has a flow table slot: the meter
   * reuses the objects of emitted connections, so that long-lived connection state does not
   * churn the garbage collector.
   */
  init(
    proto: number,
    srcIp: Ip,
    srcPort: number,
    dstIp: Ip,
    dstPort: number,
    tsUs: number,
    pos: number,
    icmpType: number,
    icmpCode: number,
    tos: number,
    inactivityUs: number,
  ): void {
    // Plain assignments: much cheaper than class-field definitions for objects made per flow.
    this.gen++;
    this.history = '';
    this.histSeen = 0;
    this.isPartial = false;
    this.firstPacketSeen = 0;
    this.isActive = true;
    this.missedBytes = 0;
    this.badChecksums = 0;
    this.proto = proto;
    const r = this.host.rec64;
    const b = this.slot * REC_F64;
    r[b + T_START] = r[b + T_LAST] = r[b + T_LAST_PACKET] = tsUs;
    r[b + T_DELETE_AT] = r[b + T_ATTEMPT_AT] = r[b + T_CLOSE_TICK] = r[b + T_ACTIVE_END] = Infinity;
    this.orig.reset(true);
    this.resp.reset(false);
    this.origIp = srcIp;
    this.respIp = dstIp;
    this.origPort = srcPort;
    this.respPort = dstPort;
    this.pos = pos;
    this.icmpType = icmpType;
    this.icmpCode = icmpCode;
    this.tos = tos;
    this.inactivityUs = inactivityUs;
  }

  /** Zeek's Connection::FlipRoles: swap the roles and append '^' to the history. */
  flip(): void {
    const ip = this.origIp;
    this.origIp = this.respIp;
    this.respIp = ip;
    const port = this.origPort;
    this.origPort = this.respPort;
    this.respPort = port;
    const ep = this.orig;
    this.orig = this.resp;
    this.resp = ep;
    this.orig.isOrig = true;
    this.resp.isOrig = false;
    const f = this.firstPacketSeen;
    this.firstPacketSeen = (f & SEEN_ORIG ? SEEN_RESP : 0) | (f & SEEN_RESP ? SEEN_ORIG : 0);
    this.isPartial = false;
    this.history = extendHistory(this.history, '^');
  }

  addHistory(ep: TcpEndpoint, code: string): void {
    this.history = extendHistory(this.history, ep.isOrig ? code : code.toLowerCase());
  }

  /** Zeek's CheckHistory: adds the letter the first time only; true when it was seen before. */
  checkHistory(ep: TcpEndpoint, mask: number, code: string): boolean {
    const m = ep.isOrig ? mask : mask << 16;
    if ((this.histSeen & m) === 0) {
      this.histSeen |= m;
      this.addHistory(ep, code);
      return false;
    }
    return true;
  }
}

/** Interned histories: history -> next letter -> the longer history. */
const nextHistory = new Map<string, Map<string, string>>();
/** Distinct histories interned at most (a pathological capture falls back to concatenation). */
const MAX_INTERNED = 16384;

/**
 * history + code, shared between connections: a few dozen histories cover nearly all
 * connections, and a fresh string per letter of every open connection is garbage that
 * survives young-generation collections.
 */
function extendHistory(h: string, code: string): string {
  let m = nextHistory.get(h);
  if (m === undefined) {
    if (nextHistory.size >= MAX_INTERNED) return h + code;
    m = new Map<string, string>();
    nextHistory.set(h, m);
  }
  let s = m.get(code);
  if (s === undefined) {
    s = h + code;
    m.set(code, s);
  }
  return s;
}
