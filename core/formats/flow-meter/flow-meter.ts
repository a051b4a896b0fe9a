import type { FlowSink } from '../decoder';
import type { FlowInput } from '../../model/flow-batch';
import type { DecodedPacket } from '../packets/decoded-packet';
import { verifyTransportChecksum } from '../packets/transport-checksum';
import { Conn } from './conn';
import { REC_CHECK_AT, REC_F64, T_ACTIVE_END, T_LAST, T_LAST_PACKET } from './flow-record-layout';
import { FlowTable } from './flow-table';
import { connState } from './conn-state';
import { icmpCounterpartType } from './icmp-counterpart';
import { isLikelyServerPort } from '../../model/service-ports';
import { formatIp } from '../../model/ip';
import { tcpChecksumError, tcpExpiredBy, tcpIsReuse, tcpProcess, tcpStoreExpiryBound, type TcpTimeouts } from './tcp-session';
import type { TcpEndpoint } from './tcp-endpoint';

/** Flow meter options; every timeout is in seconds. Defaults are Zeek's. */
export interface FlowMeterOptions {
  /** Inactivity timeout of established TCP connections (Zeek tcp_inactivity_timeout: 300). */
  readonly tcpTimeoutS?: number;
  /** Inactivity timeout of UDP flows and of TCP connections still in the handshake (udp_inactivity_timeout: 60). */
  readonly udpTimeoutS?: number;
  /** Inactivity timeout of ICMP and other-protocol flows (icmp_inactivity_timeout: 60). */
  readonly icmpTimeoutS?: number;
  /** When set, overrides all three inactivity timeouts. */
  readonly idleTimeoutS?: number;
  /** Cut flows longer than this into consecutive records (NetFlow-style); off by default. */
  readonly activeTimeoutS?: number;
  /**
   * Ignore packets whose TCP/UDP/ICMP checksum is wrong, as Zeek does (default false: every
   * captured packet is evidence; bad checksums are counted per flow and written as Zeek's C).
   */
  readonly verifyChecksums?: boolean;
}

/** How often (packets) the incremental sweep for idle flows runs. */
const PACKETS_PER_SWEEP = 1024;
/** The sweep visits every open flow at least once per this much capture time. */
const SWEEP_CYCLE_US = 1e6;
const MAX_PENDING_FRAGMENTS = 65536;
/** Distinct senders of bad-checksum packets remembered (enough to tell one from many). */
const MAX_BAD_SENDERS = 256;

/**
 * Meters decoded packets into bidirectional flows with Zeek's connection semantics:
 * originator = first packet's sender unless Zeek's flip rules apply; per-side packets,
 * IP bytes and payload bytes (sequence space); history; conn_state; a new connection on
 * the same 5-tuple after a close, a reuse SYN, or inactivity. Idle flows are emitted as
 * capture time advances, so memory follows the number of concurrent flows.
 */
export class FlowMeter {
  /** Flows currently open. */
  private readonly conns = new FlowTable();
  private readonly fragments = new Map<string, { conn: Conn; gen: number; ep: TcpEndpoint }>();
  /** Objects of emitted connections, reused by open(). */
  private readonly pool: Conn[] = [];
  private readonly tcpTimeouts: TcpTimeouts;
  private readonly udpUs: number;
  private readonly icmpUs: number;
  private readonly activeUs: number;
  private readonly verify: boolean;
  /** Next flow table slot the sweep looks at. */
  private sweepSlot = 0;
  private sinceSweep = 0;
  private nowUs = 0;
  private lastSweepUs = Number.NaN;
  /** Flows emitted. */
  emitted = 0;
  badChecksums = 0;
  /** Packets whose checksum could be verified. */
  checkedChecksums = 0;
  /** Bad-checksum packets per sender address (bounded; see finish()). */
  private readonly badSenders = new Map<string, number>();
  private manyBadSenders = false;

  constructor(private readonly sink: FlowSink, opts: FlowMeterOptions = {}) {
    const idle = positive(opts.idleTimeoutS);
    const tcp = (idle ?? positive(opts.tcpTimeoutS) ?? 300) * 1e6;
    const udp = (idle ?? positive(opts.udpTimeoutS) ?? 60) * 1e6;
    this.tcpTimeouts = { handshakeUs: idle !== undefined ? idle * 1e6 : udp, establishedUs: tcp };
    this.udpUs = udp;
    this.icmpUs = (idle ?? positive(opts.icmpTimeoutS) ?? 60) * 1e6;
    this.activeUs = (positive(opts.activeTimeoutS) ?? Number.POSITIVE_INFINITY) * 1e6;
    this.verify = opts.verifyChecksums === true;
  }

  get openFlows(): number {
    return this.conns.size;
  }

  /** Meters one packet (the object may be reused by the caller afterwards). */
  add(p: DecodedPacket): void {
    const t = p.tsUs;
    if (t > this.nowUs) this.nowUs = t;
    if (++this.sinceSweep >= PACKETS_PER_SWEEP) this.sweep();
    const proto = p.proto;
    if (p.fragOffset !== 0) {
      this.laterFragment(p);
      return;
    }
    let sport = p.srcPort;
    let dport = p.dstPort;
    let oneWay = false;
    if (!p.hasTransport) {
      if (proto === 6 || proto === 17 || proto === 1 || proto === 58 || proto === 132 || proto === 136) {
        // Zeek cannot build a connection from a cut-off transport header.
        this.sink.count('truncated-transport-headers');
        return;
      }
    } else if (proto === 1 || proto === 58) {
      const v6 = proto === 58;
      sport = p.icmpType;
      const cp = icmpCounterpartType(v6, p.icmpType);
      if (cp < 0) { dport = p.icmpCode; oneWay = true; } else dport = cp;
    }
    const table = this.conns;
    let c = table.lookup(proto, p.src, sport, p.dst, dport, oneWay);
    if (c !== undefined) {
      if ((t >= table.rec64[c.slot * REC_F64 + REC_CHECK_AT] && this.expired(c, t)) || (proto === 6 && tcpIsReuse(c, p.tcpFlags, p.seq))) {
        this.emit(c);
        // The lookup's key is still the current one: look again to restore it after emit().
        table.lookup(proto, p.src, sport, p.dst, dport, oneWay);
        c = undefined;
      }
    }
    if (c === undefined) {
      c = this.open(p, sport, dport);
    }
    const ep = isFrom(c, p.src, sport) ? c.orig : c.resp;
    // The connection's times, read and written in place (after open(): insert may grow the
    // table). Plain array accesses here, not the Conn accessors: a double that crosses a call
    // boundary is boxed, and that per-packet garbage showed in profiles.
    const rec = table.rec64;
    const rb = c.slot * REC_F64;
    if (p.isFragment) this.rememberFragment(p, c, ep);
    // Every checkable packet is checked; a bad one is counted on its flow (and Zeek's C letter
    // written) and, only when verifying as Zeek does, ignored.
    const bad = (proto === 6 || proto === 17 || proto === 1 || proto === 58) && this.checksumBad(p);
    if (bad) this.badChecksum(p, c);
    switch (proto) {
      case 6:
        if (bad) {
          tcpChecksumError(c, ep);
          if (this.verify) break;
        }
        tcpProcess(c, ep, p, this.tcpTimeouts);
        ep.pkts++;
        ep.ipBytes += p.ipTotalLen;
        ep.flagsOr |= p.tcpFlags;
        break;
      case 17:
        // ConnSize sees the datagram before the checksum check.
        ep.pkts++;
        ep.ipBytes += p.ipTotalLen;
        if (bad) {
          if (++ep.chkCnt === ep.chkThresh) { c.addHistory(ep, 'C'); ep.chkThresh *= 10; }
          if (this.verify) break;
        }
        rec[rb + T_LAST] = t;
        c.checkHistory(ep, 1, 'D');
        // Zeek counts the UDP length field, not the IP-derived length (for a first fragment:
        // the whole datagram, as after Zeek's reassembly).
        ep.len = (ep.len < 0 ? 0 : ep.len) + udpLength(p) - 8;
        break;
      case 1:
      case 58:
        if (bad && this.verify) break;
        rec[rb + T_LAST] = t;
        ep.len = (ep.len < 0 ? 0 : ep.len) + p.payloadLen;
        ep.pkts++;
        ep.ipBytes += p.ipTotalLen;
        break;
      default:
        rec[rb + T_LAST] = t;
        ep.pkts++;
        ep.ipBytes += p.ipTotalLen;
        break;
    }
    rec[rb + T_LAST_PACKET] = t;
    // Only a packet of this connection moves its timers (a later fragment only delays them).
    if (proto === 6) tcpStoreExpiryBound(c, rec, rb);
    else rec[rb + REC_CHECK_AT] = rec[rb + T_LAST] + c.inactivityUs;
    if (t >= rec[rb + T_ACTIVE_END]) this.emit(c);
  }

  /** Emits every open flow (end of capture). */
  finish(): void {
    for (const c of this.conns.all()) this.emitRecord(c);
    this.conns.clear();
    this.fragments.clear();
    if (this.badChecksums > 0) this.reportBadChecksums();
  }

  /**
   * The evidence-level word on bad checksums. Captures taken on the host that sent the
   * traffic carry bad checksums on everything that host sent (the NIC fills them in after
   * the capture point: checksum offloading), so bad checksums that all come from one sender
   * say "offloading", not "corrupt packets" (a few packets of its peers may be bad too).
   * Zeek's find-checksum-offloading script judges by the share of bad packets; both rules apply.
   */
  private reportBadChecksums(): void {
    const bad = this.badChecksums;
    const checked = Math.max(1, this.checkedChecksums);
    const senders = [...this.badSenders.entries()].sort((a, b) => b[1] - a[1]);
    // One sender (or nearly: 90 %) behind the bad checksums: the host the capture was taken on.
    const top = senders[0];
    const oneSender = bad >= 2 && top[1] >= 0.9 * bad;
    const offloading = oneSender || (bad >= 10 && bad / checked > 0.05);
    const what = this.verify ? 'ignored as Zeek does (--verify-checksums true)' : 'counted as captured (--verify-checksums true ignores them, as Zeek does)';
    this.sink.fact('badChecksums', {
      packets: bad, checked: this.checkedChecksums, verified: this.verify, offloadingSuspected: offloading,
      senders: Object.fromEntries(senders.slice(0, 10)), ...(this.manyBadSenders ? { moreSenders: true } : {}),
    });
    let message = `${bad} of ${this.checkedChecksums} packets had bad TCP/UDP/ICMP checksums and were ${what}`;
    if (offloading) {
      message += oneSender
        ? `; ${top[1] === bad ? 'all of them were' : `${top[1]} of them (${Math.round((100 * top[1]) / bad)} %) were`} sent by ${top[0]}: this looks like NIC checksum offloading on that host (where the capture was taken), not corrupt packets`
        : '; so many that this looks like NIC checksum offloading on the capture host, not corrupt packets';
    }
    this.sink.note({ code: offloading ? 'checksum-offloading-suspected' : 'bad-checksums', offset: 0, message });
  }

  private open(p: DecodedPacket, sport: number, dport: number): Conn {
    const proto = p.proto;
    const timeout = proto === 6 ? this.tcpTimeouts.handshakeUs : proto === 17 ? this.udpUs : this.icmpUs;
    const c = this.pool.pop() ?? new Conn(this.conns);
    // Into the table first (under the key of the last lookup): the times live in its slot.
    this.conns.insert(c);
    c.init(proto, p.src, sport, p.dst, dport, p.tsUs, p.offset, p.icmpType, p.icmpCode, p.tos, timeout);
    if (this.activeUs !== Number.POSITIVE_INFINITY) c.activeEndUs = p.tsUs + this.activeUs;
    // IPBasedAnalyzer::NewConn: flip when the first packet comes from a likely server port
    // (TCP: only if it is not a plain SYN), never towards a broadcast address.
    let flip = false;
    if (proto === 6) {
      const f = p.tcpFlags;
      if (!(f & 0x02) || f & 0x10) {
        if (isLikelyServerPort(6, sport)) flip = isLikelyServerPort(6, dport) ? !(f & 0x02) && sport < dport : true;
      }
    } else if (proto === 17) flip = isLikelyServerPort(17, sport) && !isLikelyServerPort(17, dport);
    if (flip && !(typeof p.dst === 'number' && p.dst === 0xffffffff)) c.flip();
    return c;
  }

  private expired(c: Conn, t: number): boolean {
    if (c.proto === 6) return tcpExpiredBy(c, t);
    return c.lastUs + c.inactivityUs <= t;
  }

  private checksumBad(p: DecodedPacket): boolean {
    const v = verifyTransportChecksum(p);
    // Kept on the packet so that later readers of it (names) skip what the meter skipped.
    p.checksumOk = v;
    if (v >= 0) this.checkedChecksums++;
    return v === 0;
  }

  private badChecksum(p: DecodedPacket, c: Conn): void {
    this.badChecksums++;
    c.badChecksums++;
    this.sink.count('bad-checksum-packets');
    const sender = formatIp(p.src);
    const n = this.badSenders.get(sender);
    if (n !== undefined) this.badSenders.set(sender, n + 1);
    else if (this.badSenders.size < MAX_BAD_SENDERS) this.badSenders.set(sender, 1);
    else this.manyBadSenders = true;
    if (this.badChecksums <= 10) {
      this.sink.note({
        code: 'bad-checksum', offset: p.offset,
        message: `packet with a bad ${p.proto === 6 ? 'TCP' : p.proto === 17 ? 'UDP' : 'ICMP'} checksum from ${sender} ${this.verify ? 'ignored (as Zeek does)' : 'counted'}`,
      });
    }
  }

  private rememberFragment(p: DecodedPacket, c: Conn, ep: TcpEndpoint): void {
    if (this.fragments.size >= MAX_PENDING_FRAGMENTS) this.fragments.clear();
    this.fragments.set(fragmentKey(p), { conn: c, gen: c.gen, ep });
  }

  /**
   * A non-first IP fragment. Zeek reassembles fragments and counts one packet whose IP
   * length is the whole datagram; we add the fragment's IP payload to the first fragment's
   * flow instead, which gives the same packets and IP bytes when all fragments are there.
   */
  private laterFragment(p: DecodedPacket): void {
    const k = fragmentKey(p);
    const f = this.fragments.get(k);
    if (f === undefined || f.gen !== f.conn.gen || !this.conns.has(f.conn)) {
      this.sink.count('orphan-fragments');
      return;
    }
    f.ep.ipBytes += p.ipTotalLen - p.ipHeaderLen;
    if (f.conn.proto === 17 || f.conn.proto === 1 || f.conn.proto === 58) f.conn.lastUs = p.tsUs;
    f.conn.lastPacketUs = p.tsUs;
    if (!p.moreFragments) this.fragments.delete(k);
  }

  /** Emits flows that Zeek would already have removed (bounded work per call). */
  private sweep(): void {
    this.sinceSweep = 0;
    const now = this.nowUs;
    // Visit a share of the table proportional to the capture time that passed, so that every
    // flow is looked at about once per SWEEP_CYCLE_US: idle flows leave within about a second
    // of capture time after their timeout, at a cost independent of the packet rate.
    const dt = Number.isNaN(this.lastSweepUs) ? 0 : now - this.lastSweepUs;
    this.lastSweepUs = now;
    const table = this.conns;
    const n = table.slotCount;
    const budget = Math.min(n, Math.ceil((n * dt) / SWEEP_CYCLE_US) + 16);
    // The sweep reads one typed array; a connection object is touched only once it may expire.
    const rec = table.rec64;
    let s = this.sweepSlot;
    for (let i = 0; i < budget; i++, s++) {
      if (s >= n) s = 0;
      if (rec[s * REC_F64 + REC_CHECK_AT] <= now) {
        const c = table.at(s);
        if (c !== undefined && this.expired(c, now)) this.emit(c);
      }
    }
    this.sweepSlot = s;
  }

  private emit(c: Conn): void {
    // The record first: the times are in the table slot that remove() frees.
    this.emitRecord(c);
    this.conns.remove(c);
    this.pool.push(c);
  }

  private emitRecord(c: Conn): void {
    const o = c.orig;
    const r = c.resp;
    const tcp = c.proto === 6;
    const isIcmp = c.proto === 1 || c.proto === 58;
    const rec: FlowInput = {
      pos: c.pos,
      startUs: c.startUs,
      endUs: Math.max(c.lastUs, c.startUs),
      proto: c.proto,
      src: c.origIp,
      dst: c.respIp,
      srcPort: isIcmp ? 0 : c.origPort,
      dstPort: isIcmp ? 0 : c.respPort,
      packets: o.pkts,
      bytes: o.ipBytes,
      revPackets: r.pkts,
      revBytes: r.ipBytes,
      payloadBytes: tcp ? seqPayload(o, r) : Math.max(o.len, 0),
      revPayloadBytes: tcp ? seqPayload(r, o) : Math.max(r.len, 0),
      state: connState(c),
      tos: c.tos,
    };
    if (tcp) {
      rec.tcpFlags = o.flagsOr;
      rec.revTcpFlags = r.flagsOr;
      rec.missedBytes = c.missedBytes;
    }
    if (isIcmp) {
      rec.icmpType = c.icmpType;
      rec.icmpCode = c.icmpCode;
      // Zeek's id.orig_p/id.resp_p for ICMP: the type and its counterpart (or the code).
      rec.attrs = { zeekOrigP: c.origPort, zeekRespP: c.respPort };
    }
    if (c.history !== '') rec.history = c.history;
    if (c.badChecksums > 0) rec.badChecksums = c.badChecksums;
    rec.lastPacketUs = Math.max(c.lastPacketUs, c.startUs);
    this.emitted++;
    this.sink.flow(rec);
  }
}

/**
 * TCP payload bytes from the sequence space (Zeek's Size()), trusted only where that space was
 * seen open: a side that never sent a SYN has a start sequence number taken from whatever
 * packet came first, and probes with unrelated sequence numbers (a FIN scan) would make it
 * "send" hundreds of megabytes in two packets. There the value is at most what its packets
 * could carry (IP bytes less a 40-byte minimal IP+TCP header each).
 */
function seqPayload(ep: TcpEndpoint, peer: TcpEndpoint): number {
  const size = ep.size(peer);
  if (ep.flagsOr & 0x02) return size;
  const bound = Math.max(0, ep.ipBytes - 40 * ep.pkts);
  return size > bound ? bound : size;
}

function positive(v: number | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Whether a packet from (ip, port) comes from the originator. */
function isFrom(c: Conn, ip: number | Uint32Array, port: number): boolean {
  if (port === c.origPort && ipEquals(ip, c.origIp)) return true;
  return !(port === c.respPort && ipEquals(ip, c.respIp));
}

function ipEquals(a: number | Uint32Array, b: number | Uint32Array): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

function udpLength(p: DecodedPacket): number {
  const i = p.l4Pos + 4;
  return i + 1 < p.ipEnd ? (p.buf[i] << 8) | p.buf[i + 1] : p.payloadLen + 8;
}

const fc = String.fromCharCode;

function fragmentKey(p: DecodedPacket): string {
  const id = p.ipId;
  if (typeof p.src === 'number' && typeof p.dst === 'number') {
    return fc(p.proto, p.src >>> 16, p.src & 0xffff, p.dst >>> 16, p.dst & 0xffff, id >>> 16, id & 0xffff);
  }
  return `${p.proto}|${Array.from(p.src as Uint32Array).join('.')}|${Array.from(p.dst as Uint32Array).join('.')}|${id}`;
}
