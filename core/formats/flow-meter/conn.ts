import type { Ip } from '../../model/ip';
import { TcpEndpoint } from './tcp-endpoint';

/** First-packet bits (Zeek's first_packet_seen), relative to the current roles. */
export const SEEN_ORIG = 1;
export const SEEN_RESP = 2;

/**
 * One metered connection: Zeek's Connection plus the parts of its session adapter and
 * ConnSize analyzer that conn.log reports. Endpoints are objects so that a role flip
 * swaps them and every per-side counter follows its host.
 */
export class Conn {
  /** Times (µs) in one array: a double per field would be a heap box of its own. */
  declare readonly times: Float64Array;
  /** Zeek's start_time. */
  get startUs(): number { return this.times[0]; }
  set startUs(v: number) { this.times[0] = v; }
  /** Zeek's last_time (stops moving once both sides closed). */
  get lastUs(): number { return this.times[1]; }
  set lastUs(v: number) { this.times[1] = v; }
  /** Time of the last packet of any kind. */
  get lastPacketUs(): number { return this.times[2]; }
  set lastPacketUs(v: number) { this.times[2] = v; }
  /** Removal time set by a completed close (tcp_close_delay); Infinity while open. */
  get deleteAtUs(): number { return this.times[3]; }
  set deleteAtUs(v: number) { this.times[3] = v; }
  /** The SYN attempt check (tcp_attempt_delay) or Infinity. */
  get attemptAtUs(): number { return this.times[4]; }
  set attemptAtUs(v: number) { this.times[4] = v; }
  /** Extra expire-timer series started by a half close (tcp_session_timer), or Infinity. */
  get closeTickBaseUs(): number { return this.times[5]; }
  set closeTickBaseUs(v: number) { this.times[5] = v; }
  get activeEndUs(): number { return this.times[6]; }
  set activeEndUs(v: number) { this.times[6] = v; }
  declare readonly proto: number;
  declare orig: TcpEndpoint;
  declare resp: TcpEndpoint;
  declare origIp: Ip;
  declare respIp: Ip;
  declare origPort: number;
  declare respPort: number;
  declare history: string;
  declare histSeen: number;
  /** File offset of the first packet's record. */
  declare readonly pos: number;
  /** ICMP type/code and ToS of the first packet. */
  declare readonly icmpType: number;
  declare readonly icmpCode: number;
  declare readonly tos: number;
  // TCP analyzer state.
  declare isPartial: boolean;
  declare firstPacketSeen: number;
  declare isActive: boolean;
  /** Inactivity timeout currently in force, µs. */
  declare inactivityUs: number;
  /** Bytes missed in content gaps (Zeek missed_bytes). */
  declare missedBytes: number;
  // Flow table key (normalized 5-tuple), hash and collision chain (see FlowTable).
  declare hash: number;
  declare kProto: number;
  declare kA: number;
  declare kAp: number;
  declare kB: number;
  declare kBp: number;
  declare kA6: Uint32Array | null;
  declare kB6: Uint32Array | null;
  declare next: Conn | undefined;

  constructor(
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
  ) {
    // Plain assignments: much cheaper than class-field definitions for objects made per flow.
    this.history = '';
    this.histSeen = 0;
    this.isPartial = false;
    this.firstPacketSeen = 0;
    this.isActive = true;
    this.missedBytes = 0;
    this.hash = 0;
    this.kProto = 0;
    this.kA = 0;
    this.kAp = 0;
    this.kB = 0;
    this.kBp = 0;
    this.kA6 = null;
    this.kB6 = null;
    this.next = undefined;
    this.proto = proto;
    this.times = Float64Array.of(tsUs, tsUs, tsUs, Infinity, Infinity, Infinity, Infinity);
    this.orig = new TcpEndpoint(true);
    this.resp = new TcpEndpoint(false);
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
    this.history += '^';
  }

  addHistory(ep: TcpEndpoint, code: string): void {
    this.history += ep.isOrig ? code : code.toLowerCase();
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
