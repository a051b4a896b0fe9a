import type { DecodedPacket } from '../packets/decoded-packet';
import { type Conn, SEEN_ORIG, SEEN_RESP } from './conn';
import { REC_CHECK_AT, REC_F64, T_ATTEMPT_AT, T_CLOSE_TICK, T_DELETE_AT, T_LAST, T_START } from './flow-record-layout';
import { seqDelta, TcpEndpoint, TcpState } from './tcp-endpoint';

// Zeek's per-endpoint history bits (TCP_Endpoint.h); the responder's are shifted by 16.
const HIST_SYN = 0x1;
const HIST_FIN = 0x2;
const HIST_RST = 0x4;
const HIST_FIN_RST = 0x8;
const HIST_DATA = 0x10;
const HIST_ACK = 0x20;
const HIST_MULTI_FLAG = 0x40;

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/** Zeek's TOO_LARGE_SEQ_DELTA. */
const TOO_LARGE_SEQ_DELTA = 1048576;
/** tcp_max_above_hole_without_any_acks. */
const MAX_ABOVE_HOLE_WITHOUT_ACKS = 16384;
/** Out-of-order blocks remembered per side before reassembly is abandoned. */
const MAX_HOLE_BLOCKS = 1024;
/** tcp_close_delay, tcp_attempt_delay: 5 s. */
const CLOSE_DELAY_US = 5e6;
/** tcp_session_timer: 6 s. */
const SESSION_TIMER_US = 6e6;

/** Seconds of inactivity after which Zeek drops a TCP connection, by phase. */
export interface TcpTimeouts {
  /** While both sides are still in the handshake (Zeek applies udp_inactivity_timeout). */
  handshakeUs: number;
  /** Once the handshake is over (tcp_inactivity_timeout). */
  establishedUs: number;
}

function isHandshake(s: TcpState): boolean {
  return s === TcpState.Inactive || s === TcpState.SynSent || s === TcpState.SynAckSent;
}

function setState(c: Conn, ep: TcpEndpoint, peer: TcpEndpoint, s: TcpState, to: TcpTimeouts): void {
  if (s === ep.state) return;
  // Leaving the handshake switches the connection to the (longer) TCP inactivity timeout.
  if (!isHandshake(s) && isHandshake(ep.state) && isHandshake(peer.state)) c.inactivityUs = to.establishedUs;
  ep.prevState = ep.state;
  ep.state = s;
}

/** Logarithmic history entry: the letter at the 1st, 10th, 100th... occurrence. */
function scaled(c: Conn, ep: TcpEndpoint, code: string, which: 'chk' | 'gap' | 'rxmt' | 'win0'): void {
  switch (which) {
    case 'chk': if (++ep.chkCnt === ep.chkThresh) { c.addHistory(ep, code); ep.chkThresh *= 10; } break;
    case 'gap': if (++ep.gapCnt === ep.gapThresh) { c.addHistory(ep, code); ep.gapThresh *= 10; } break;
    case 'rxmt': if (++ep.rxmtCnt === ep.rxmtThresh) { c.addHistory(ep, code); ep.rxmtThresh *= 10; } break;
    default: if (++ep.win0Cnt === ep.win0Thresh) { c.addHistory(ep, code); ep.win0Thresh *= 10; } break;
  }
}

/** A TCP packet whose checksum is wrong: Zeek records `C`/`c` and ignores the packet. */
export function tcpChecksumError(c: Conn, ep: TcpEndpoint): void {
  scaled(c, ep, 'C', 'chk');
}

/** Zeek's TCPSessionAdapter::IsReuse: a SYN that starts a new connection on this 5-tuple. */
export function tcpIsReuse(c: Conn, flags: number, seq: number): boolean {
  if (!(flags & SYN)) return false;
  let connOrig = c.orig;
  if (flags & ACK) {
    if (c.orig.state !== TcpState.Inactive) return false;
    connOrig = c.resp;
  }
  if (!(c.orig.didClose || c.resp.didClose)) {
    if (seq === connOrig.startSeq32()) return false;
    if (!(flags & ACK) && connOrig.state === TcpState.SynAckSent && c.resp.state === TcpState.Inactive && seq === c.resp.startSeq32()) return false;
  }
  return true;
}

/**
 * Whether Zeek would have removed the connection before a packet at `t` (timers for a
 * completed close, an unanswered SYN, inactivity, and the periodic expire check).
 */
export function tcpExpiredBy(c: Conn, t: number): boolean {
  if (t >= c.deleteAtUs) return true;
  if (c.lastUs + c.inactivityUs <= t) return true;
  if (c.isActive && t >= c.attemptAtUs && (c.orig.state === TcpState.SynSent || c.orig.state === TcpState.SynAckSent) && c.resp.state === TcpState.Inactive) return true;
  if (!c.isActive) return false;
  // ExpireTimer: ticks at start+5 s, then every 6 s (and after a half close, another series).
  const o = c.orig;
  const r = c.resp;
  const closedCase = (o.didClose || r.didClose) && ((o.didClose && r.didClose) || o.state === TcpState.Reset || r.state === TcpState.Reset || o.state === TcpState.Inactive || r.state === TcpState.Inactive);
  const idleCase = o.state === TcpState.Inactive && r.state === TcpState.Inactive;
  if (!closedCase && !idleCase) return false;
  const after = c.lastUs + CLOSE_DELAY_US; // tcp_connection_linger
  const tick = firstTickAfter(c.startUs + CLOSE_DELAY_US, after);
  if (tick <= t) return true;
  if (c.closeTickBaseUs !== Number.POSITIVE_INFINITY && firstTickAfter(c.closeTickBaseUs, after) <= t) return true;
  return false;
}

/**
 * Stores the earliest capture time at which tcpExpiredBy() turns true, given the
 * connection's current state (exact: the same conditions, solved for t), in its flow table
 * record (`rec`, from `rb`). Reads and stores the record directly: a double returned or
 * passed through an accessor that is not inlined would be boxed on every packet.
 */
export function tcpStoreExpiryBound(c: Conn, rec: Float64Array, rb: number): void {
  const at = rb + REC_CHECK_AT;
  const last = rec[rb + T_LAST];
  let b = rec[rb + T_DELETE_AT];
  const idle = last + c.inactivityUs;
  if (idle < b) b = idle;
  if (!c.isActive) {
    rec[at] = b;
    return;
  }
  const o = c.orig;
  const r = c.resp;
  const attemptAt = rec[rb + T_ATTEMPT_AT];
  if (attemptAt < b && (o.state === TcpState.SynSent || o.state === TcpState.SynAckSent) && r.state === TcpState.Inactive) b = attemptAt;
  const closedCase = (o.didClose || r.didClose) && ((o.didClose && r.didClose) || o.state === TcpState.Reset || r.state === TcpState.Reset || o.state === TcpState.Inactive || r.state === TcpState.Inactive);
  const idleCase = o.state === TcpState.Inactive && r.state === TcpState.Inactive;
  if (!closedCase && !idleCase) {
    rec[at] = b;
    return;
  }
  const after = last + CLOSE_DELAY_US;
  const tick = firstTickAfter(rec[rb + T_START] + CLOSE_DELAY_US, after);
  if (tick < b) b = tick;
  const closeTick = rec[rb + T_CLOSE_TICK];
  if (closeTick !== Number.POSITIVE_INFINITY) {
    const t2 = firstTickAfter(closeTick, after);
    if (t2 < b) b = t2;
  }
  rec[at] = b;
}

function firstTickAfter(base: number, after: number): number {
  if (base > after) return base;
  return base + (Math.floor((after - base) / SESSION_TIMER_US) + 1) * SESSION_TIMER_US;
}

function relativeSeq(ep: TcpEndpoint, cur: number, last: number, wraps: number, under: { v: boolean }): number {
  let delta = seqDelta(cur, last);
  if (delta < 0) {
    if (wraps && cur > last) wraps--;
  } else if (delta > 0) {
    if (cur < last) wraps++;
  }
  if (wraps === 0) {
    delta = seqDelta(cur, ep.startSeq32());
    if (delta < 0) under.v = true;
    return delta;
  }
  return ep.toRelative(cur, wraps);
}

const underflow = { v: false };
const closeFlags = { doClose: false, genEvent: false };
const ackUnderflow = { v: false };

/**
 * Zeek's TCP analyzer for one packet (TCPSessionAdapter::Process and the state machine),
 * already attributed to `ep`. Updates history, states, sizes, gaps and close timers.
 */
export function tcpProcess(c: Conn, ep: TcpEndpoint, p: DecodedPacket, to: TcpTimeouts): void {
  const isOrig = ep.isOrig;
  const flags = p.tcpFlags;
  const seq = p.seq;
  const ackSeq = p.ack;
  const len = p.payloadLen;
  const t = p.tsUs;

  // SetPartialStatus.
  if (isOrig) {
    if (!(c.firstPacketSeen & SEEN_ORIG)) c.isPartial = !(flags & SYN) || (flags & ACK) !== 0;
  } else if (!(c.firstPacketSeen & SEEN_RESP) && !c.isPartial) c.isPartial = !(flags & SYN);

  let segLen = len;
  if (flags & SYN) segLen++;
  if (flags & FIN) segLen++;
  if (flags & RST) segLen -= len;
  const onePast = (seq + segLen) >>> 0;

  initEndpoint(ep, flags, seq, onePast);
  underflow.v = false;
  const relSeq = relativeSeq(ep, seq, ep.lastSeq, ep.seqWraps, underflow);
  const seqUnderflow = underflow.v;

  updateHistory(c, ep, flags, relSeq, len);
  const peer = ep === c.orig ? c.resp : c.orig; // a flip keeps the objects, only their roles change

  // update_window: only zero windows matter for the history.
  if (p.window === 0 && !(flags & RST) && peer.state !== TcpState.Closed && ep.state !== TcpState.Reset) scaled(c, ep, 'W', 'win0');

  if (!c.orig.didClose || !c.resp.didClose) c.host.rec64[c.slot * REC_F64 + T_LAST] = t;
  if (flags & FIN) {
    ep.finCnt++;
    ep.finSeq = relSeq + segLen;
  }
  if (flags & RST) ep.rstCnt++;

  let relAck = 0;
  if (flags & ACK) {
    if (peer.state === TcpState.Inactive) {
      relAck = 1;
      // init_peer: number the peer as though its SYN had been seen.
      const s = (ackSeq - 1) >>> 0;
      peer.startSeq = s;
      peer.ackSeq = s;
      peer.lastSeq = s;
    } else {
      ackUnderflow.v = false;
      relAck = relativeSeq(peer, ackSeq, peer.ackSeq, peer.ackWraps, ackUnderflow);
      if (ackUnderflow.v) relAck = 0;
      else if (!(flags & RST)) {
        const d = seqDelta(ackSeq, peer.ackSeq);
        if (!(ackSeq === 0 && d > TOO_LARGE_SEQ_DELTA) && d > 0) peer.updateAckSeq(ackSeq);
      }
    }
  }

  updateLastSeq(c, ep, onePast, flags, len);

  const close = closeFlags;
  close.doClose = close.genEvent = false;
  stateMachine(c, ep, peer, seq, len, isOrig, flags, close, to);

  if (flags & ACK) ackReceived(c, peer, relAck);

  // CheckPIA_FirstPacket, with the is_orig the packet arrived with (as Zeek does).
  if (isOrig) c.firstPacketSeen |= SEEN_ORIG;
  else c.firstPacketSeen |= SEEN_RESP;

  const relDataSeq = flags & SYN ? relSeq + 1 : relSeq;
  if (len > 0 && !(flags & RST) && !seqUnderflow) dataSent(ep, relDataSeq, len, p.capturedPayloadLen >= len);

  if (close.doClose) connectionClosed(c, ep, peer);
}

function initEndpoint(ep: TcpEndpoint, flags: number, firstSeq: number, lastSeq: number): void {
  switch (ep.state) {
    case TcpState.Inactive:
      if (flags & SYN) {
        ep.ackSeq = firstSeq;
        ep.startSeq = firstSeq;
      } else {
        // A partial connection: number it as though a SYN had been seen.
        const s = (firstSeq - 1) >>> 0;
        ep.ackSeq = s;
        ep.startSeq = s;
        lastSeq = firstSeq;
      }
      ep.lastSeq = lastSeq;
      break;
    case TcpState.SynSent:
    case TcpState.SynAckSent:
      if (flags & SYN && firstSeq !== ep.startSeq32()) {
        ep.startSeq = firstSeq;
        ep.ackSeq = firstSeq;
        ep.lastSeq = lastSeq;
      }
      break;
    case TcpState.Established:
    case TcpState.Partial:
      if (flags & SYN) {
        ep.startSeq = firstSeq;
        ep.ackSeq = firstSeq;
        ep.lastSeq = lastSeq;
      }
      break;
    case TcpState.Reset:
      if (flags & SYN && ep.prevState === TcpState.Inactive) {
        ep.startSeq = firstSeq;
        ep.ackSeq = firstSeq;
        ep.lastSeq = lastSeq;
      }
      break;
    default:
      break;
  }
}

/** TCP_Endpoint::CheckHistory with Zeek's late flip of connections that began with a SYN-ACK. */
function checkHistory(c: Conn, ep: TcpEndpoint, mask: number, code: string): boolean {
  // (histSeen first: it is in the connection object, the history string is another object.)
  if ((code === 'A' || code === 'D') && c.histSeen === HIST_SYN && c.history === 'H') {
    // Productive traffic after a lone SYN-ACK: the SYN-ACK sender was the responder.
    c.flip();
    c.history = '^h';
    c.firstPacketSeen |= SEEN_ORIG;
  }
  return c.checkHistory(ep, mask, code);
}

function updateHistory(c: Conn, ep: TcpEndpoint, flags: number, relSeq: number, len: number): void {
  const bits = (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0) + (flags & RST ? 1 : 0);
  if (bits > 1) {
    if (flags & FIN && flags & RST) checkHistory(c, ep, HIST_FIN_RST, 'I');
    else checkHistory(c, ep, HIST_MULTI_FLAG, 'Q');
  } else if (bits === 1) {
    if (flags & SYN) {
      const code = flags & ACK ? 'H' : 'S';
      if (checkHistory(c, ep, HIST_SYN, code) && relSeq !== ep.histLastSyn) c.addHistory(ep, code);
      ep.histLastSyn = relSeq;
    }
    if (flags & FIN) {
      // A FIN's sequence number counts after the data it carries.
      if (checkHistory(c, ep, HIST_FIN, 'F') && relSeq + len !== ep.histLastFin) c.addHistory(ep, 'F');
      ep.histLastFin = relSeq + len;
    }
    if (flags & RST) {
      if (checkHistory(c, ep, HIST_RST, 'R') && relSeq !== ep.histLastRst) c.addHistory(ep, 'R');
      ep.histLastRst = relSeq;
    }
  } else if (len) checkHistory(c, ep, HIST_DATA, 'D');
  else if (flags & ACK) checkHistory(c, ep, HIST_ACK, 'A');
}

function updateLastSeq(c: Conn, ep: TcpEndpoint, lastSeq: number, flags: number, len: number): number {
  const d = seqDelta(lastSeq, ep.lastSeq);
  if (flags & (SYN | RST) && (d > TOO_LARGE_SEQ_DELTA || d < -TOO_LARGE_SEQ_DELTA)) {
    // Untrusted jump.
  } else if (flags & FIN && ep.lastSeq === ((ep.startSeq32() + 1) >>> 0)) ep.updateLastSeq(lastSeq);
  else if (ep.state === TcpState.Reset) {
    // Nothing after a RST is trusted.
  } else if (d > 0) ep.updateLastSeq(lastSeq);
  else if (len > 0) scaled(c, ep, 'T', 'rxmt');
  return d;
}

function stateMachine(
  c: Conn, ep: TcpEndpoint, peer: TcpEndpoint, baseSeq: number, len: number,
  isOrig: boolean, flags: number, close: { doClose: boolean; genEvent: boolean }, to: TcpTimeouts,
): void {
  // Zeek's UpdateStateMachine; branches that only raise weirds are left out.
  switch (ep.state) {
    case TcpState.Inactive:
      inactiveState(c, ep, peer, baseSeq, len, isOrig, flags, close, to);
      break;
    case TcpState.SynSent:
    case TcpState.SynAckSent:
      if (flags & FIN) {
        setState(c, ep, peer, TcpState.Closed, to);
        close.doClose = close.genEvent = true;
      }
      if (flags & RST) {
        setState(c, ep, peer, TcpState.Reset, to);
        c.isActive = false; // ConnectionReset
        close.doClose = true;
      }
      break;
    case TcpState.Established:
    case TcpState.Partial:
      if (flags & SYN && ep.state === TcpState.Partial && peer.state === TcpState.Inactive && !(flags & ACK)) setState(c, ep, peer, TcpState.SynSent, to);
      if (flags & FIN && !(flags & RST)) {
        setState(c, ep, peer, TcpState.Closed, to);
        // A FIN after the peer's FIN+RST: that RST was a normal termination.
        if (peer.state === TcpState.Reset && peer.prevState === TcpState.Closed) setState(c, peer, ep, TcpState.Closed, to);
        close.doClose = close.genEvent = true;
      }
      if (flags & RST) {
        setState(c, ep, peer, TcpState.Reset, to);
        close.doClose = true;
        if (peer.state !== TcpState.Reset || peer.prevState !== TcpState.Established) c.isActive = false;
      }
      break;
    case TcpState.Closed:
      if (flags & RST && peer.state !== TcpState.Closed) {
        setState(c, ep, peer, TcpState.Reset, to);
        if (!ep.didClose) close.doClose = true;
      }
      break;
    default:
      break; // Reset: only weirds
  }
}

function inactiveState(
  c: Conn, ep: TcpEndpoint, peer: TcpEndpoint, baseSeq: number, len: number, isOrig: boolean, flags: number,
  close: { doClose: boolean; genEvent: boolean }, to: TcpTimeouts,
): void {
  if (flags & SYN) {
    if (isOrig) {
      setState(c, ep, peer, flags & ACK ? TcpState.SynAckSent : TcpState.SynSent, to);
      if (c.attemptAtUs === Number.POSITIVE_INFINITY) c.attemptAtUs = c.lastUs + CLOSE_DELAY_US;
    } else {
      if (!(flags & ACK) && peer.state === TcpState.SynAckSent && baseSeq === ep.startSeq32()) {
        // SYN/SYN-ACK reversal: the SYN-ACK was seen first; flip and establish.
        c.flip();
        setState(c, peer, ep, TcpState.Established, to);
        c.firstPacketSeen |= SEEN_ORIG;
      }
      if (peer.state === TcpState.SynSent) setState(c, peer, ep, TcpState.Established, to);
      setState(c, ep, peer, TcpState.Established, to);
    }
  }
  if (flags & FIN) {
    setState(c, ep, peer, TcpState.Closed, to);
    close.doClose = close.genEvent = true;
  }
  if (flags & RST) {
    setState(c, ep, peer, TcpState.Reset, to);
    close.doClose = true;
    const isReject = isOrig ? peer.state === TcpState.Established : peer.state === TcpState.SynSent || peer.state === TcpState.SynAckSent;
    if (isReject) c.isActive = false;
  }
  if (ep.state === TcpState.Inactive) {
    if (!isOrig && len === 0 && c.orig.state === TcpState.SynSent) {
      // An ACK of the SYN before the SYN-ACK: not a partial connection yet.
    } else if (flags & ACK && peer.state === TcpState.Established) {
      // SYN-ACK seen, SYN missed, now a pure ACK: establish instead of partial.
      setState(c, ep, peer, TcpState.Established, to);
      c.isPartial = false;
      c.firstPacketSeen |= isOrig ? SEEN_ORIG : SEEN_RESP;
    } else setState(c, ep, peer, TcpState.Partial, to);
  }
}

function isClean(e: TcpEndpoint): boolean {
  return e.state === TcpState.Established || (e.state === TcpState.Closed && e.prevState === TcpState.Established);
}

/** TCP_Reassembler::Gap: a content gap counts (`g`, missed_bytes) only on a cleanly established connection. */
function gap(c: Conn, ep: TcpEndpoint, peer: TcpEndpoint, n: number): void {
  if (isClean(ep) && isClean(peer)) {
    scaled(c, ep, 'G', 'gap');
    c.missedBytes += n;
  }
}

function undelivered(c: Conn, ep: TcpEndpoint, peer: TcpEndpoint, upTo: number): void {
  // A partial connection's faked initial sequence numbers cause a spurious hole of 1-2 octets.
  if (upTo <= 2 && c.isPartial) return;
  if (!ep.skipDeliveries) {
    const b = ep.blocks;
    for (let i = 0; i < b.length; i += 2) {
      if (b[i] < ep.lastReassem) continue;
      if (b[i] >= upTo) break;
      gap(c, ep, peer, b[i] - ep.lastReassem);
      ep.lastReassem = b[i];
      ep.deliverContiguous();
    }
    if (upTo > ep.lastReassem) gap(c, ep, peer, upTo - ep.lastReassem);
  }
  if (upTo > ep.lastReassem) ep.lastReassem = upTo;
}

/** The peer acknowledged `seq` of ep's data (TCP_Reassembler::AckReceived + DataBlockList::Trim). */
function ackReceived(c: Conn, ep: TcpEndpoint, seq: number): void {
  if (ep.finCnt > 0 && seq >= ep.finSeq) seq = ep.finSeq - 1;
  if (seq <= ep.trimSeq) return;
  const peer = ep === c.orig ? c.resp : c.orig;
  if (seq > ep.lastReassem) undelivered(c, ep, peer, seq);
  ep.dropBelow(seq);
  if (ep.blocks.length && ep.blocks[0] === ep.lastReassem) ep.deliverContiguous();
  ep.trimSeq = seq;
}

function dataSent(ep: TcpEndpoint, seq: number, len: number, captured: boolean): void {
  // Zeek only reassembles payload that was captured in full.
  if (!captured || ep.skipDeliveries) return;
  const ack = ep.toRelative(ep.ackSeq, ep.ackWraps);
  let s = seq;
  const upper = seq + len;
  if (s < ack) {
    if (upper <= ack) return;
    s = ack;
  }
  if (upper <= ep.trimSeq) return;
  if (s < ep.trimSeq) s = ep.trimSeq;
  if (s <= ep.lastReassem && ep.blocks.length === 0) {
    // In-order data (the common case): delivered at once. Only data above a hole needs a
    // block; delivered-but-unacknowledged data never changes what counts as a gap.
    if (upper > ep.lastReassem) ep.lastReassem = upper;
  } else {
    ep.insertBlock(s, upper);
    ep.deliverContiguous();
  }
  // Zeek gives up reassembling after too much data above a hole; we also bound the number of
  // holes we remember, so that a pathological stream cannot grow memory without limit.
  if ((ep.noDataAcked() && ep.undeliveredBytes() > MAX_ABOVE_HOLE_WITHOUT_ACKS) || ep.blocks.length > MAX_HOLE_BLOCKS * 2) {
    ep.blocks = [];
    ep.skipDeliveries = true;
  }
}

/** TCPSessionAdapter::ConnectionClosed: a side closed (FIN or RST); schedule the removal. */
function connectionClosed(c: Conn, ep: TcpEndpoint, peer: TcpEndpoint): void {
  if (ep.didClose) return;
  ep.didClose = true;
  const complete = ep.state === TcpState.Reset || peer.didClose || peer.state === TcpState.Inactive;
  if (complete) {
    // Zeek cancels the connection's other timers and deletes it tcp_close_delay later.
    if (c.deleteAtUs === Number.POSITIVE_INFINITY) c.deleteAtUs = c.lastUs + CLOSE_DELAY_US;
    c.isActive = false;
  } else if (ep.prevState !== TcpState.Inactive && c.closeTickBaseUs === Number.POSITIVE_INFINITY) {
    c.closeTickBaseUs = c.lastUs + SESSION_TIMER_US;
  }
}
