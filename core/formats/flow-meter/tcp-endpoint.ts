/**
 * One side of a TCP connection as Zeek's TCP analyzer tracks it: endpoint state,
 * sequence space (with 32-bit wraps), history thresholds, and the little of the
 * reassembler that decides content gaps (`g`, missed_bytes). Numbers are JS numbers:
 * 64-bit relative sequence values stay exact below 2^53.
 */
export const enum TcpState {
  Inactive = 0,
  SynSent = 1,
  SynAckSent = 2,
  Partial = 3,
  Established = 4,
  Closed = 5,
  Reset = 6,
}

const TWO32 = 4294967296;

/** int32 difference of two 32-bit sequence numbers (Zeek's seq_delta). */
export function seqDelta(a: number, b: number): number {
  return (a - b) | 0;
}

/** Shared empty block list (replaced on the first insert). */
const NO_BLOCKS: number[] = [];

export class TcpEndpoint {
  declare state: TcpState;
  declare prevState: TcpState;
  /** May be below 0 or above 2^32 only transiently; StartSeq() is its low 32 bits. */
  declare seqWraps: number;
  declare ackWraps: number;
  declare finCnt: number;
  declare rstCnt: number;
  declare didClose: boolean;
  declare histLastSyn: number;
  declare histLastFin: number;
  declare histLastRst: number;
  // Logarithmic history counters (c, g, t, w): the letter is added at 1, 10, 100, ... occurrences.
  declare chkCnt: number;
  declare chkThresh: number;
  declare gapCnt: number;
  declare gapThresh: number;
  declare rxmtCnt: number;
  declare rxmtThresh: number;
  declare win0Cnt: number;
  declare win0Thresh: number;
  // Reassembler (relative sequence numbers, starting at 1).
  declare lastReassem: number;
  declare trimSeq: number;
  /** Data held above trimSeq as merged [seq, upper) pairs, sorted. */
  declare blocks: number[];
  // 32-bit sequence numbers kept as int32 (small integers, no heap box); see the accessors.
  declare private s0: number;
  declare private s1: number;
  declare private s2: number;
  /** Relative sequence number just past the FIN (64-bit space). */
  declare finSeq: number;
  declare skipDeliveries: boolean;
  // ConnSize counters and the non-TCP payload size (UDP/ICMP request_len/reply_len, -1 = none).
  declare pkts: number;
  declare ipBytes: number;
  declare flagsOr: number;
  declare len: number;

  declare isOrig: boolean;

  constructor(isOrig: boolean) {
    this.reset(isOrig);
  }

  /** Back to the state of a new endpoint (objects are reused across connections). */
  reset(isOrig: boolean): void {
    // Plain assignments: much cheaper than class-field definitions for objects made per flow.
    // The order sets the object layout: fields every TCP packet reads come first, so that
    // they share as few cache lines as possible.
    this.isOrig = isOrig;
    this.state = TcpState.Inactive;
    this.prevState = TcpState.Inactive;
    this.s0 = 0;
    this.s1 = 0;
    this.s2 = 0;
    this.seqWraps = 0;
    this.ackWraps = 0;
    this.pkts = 0;
    this.ipBytes = 0;
    this.flagsOr = 0;
    this.lastReassem = 1;
    this.trimSeq = 1;
    this.blocks = NO_BLOCKS;
    this.skipDeliveries = false;
    this.didClose = false;
    this.finCnt = 0;
    this.rstCnt = 0;
    this.finSeq = 0;
    this.len = -1;
    this.histLastSyn = 0;
    this.histLastFin = 0;
    this.histLastRst = 0;
    this.chkCnt = 0;
    this.chkThresh = 1;
    this.gapCnt = 0;
    this.gapThresh = 1;
    this.rxmtCnt = 0;
    this.rxmtThresh = 1;
    this.win0Cnt = 0;
    this.win0Thresh = 1;
  }


  /** Initial sequence number (Zeek's start_seq; always set from a 32-bit value here). */
  get startSeq(): number { return this.s0 >>> 0; }
  set startSeq(v: number) { this.s0 = v | 0; }
  get lastSeq(): number { return this.s1 >>> 0; }
  set lastSeq(v: number) { this.s1 = v | 0; }
  get ackSeq(): number { return this.s2 >>> 0; }
  set ackSeq(v: number) { this.s2 = v | 0; }

  startSeq32(): number {
    return this.s0 >>> 0;
  }

  toRelative(seq: number, wraps: number): number {
    return wraps * TWO32 + seq - this.startSeq;
  }

  updateLastSeq(seq: number): void {
    if (seq < this.lastSeq) this.seqWraps++;
    this.lastSeq = seq;
  }

  updateAckSeq(seq: number): void {
    if (seq < this.ackSeq) this.ackWraps++;
    this.ackSeq = seq;
  }

  noDataAcked(): boolean {
    const ack = this.ackWraps * TWO32 + this.ackSeq;
    return ack === this.startSeq || ack === this.startSeq + 1;
  }

  /** Zeek's TCP_Endpoint::Size(): payload bytes from the sequence space. */
  size(peer: TcpEndpoint): number {
    if (this.prevState === TcpState.SynSent && this.state === TcpState.Reset && peer.state === TcpState.Inactive && !this.noDataAcked()) return 0;
    const last = this.seqWraps * TWO32 + this.lastSeq;
    const ack = this.ackWraps * TWO32 + this.ackSeq;
    let size = (last > ack ? last : ack) - this.startSeq;
    if (size < 0) size = 0; // Zeek would wrap a uint64 here; a negative size means untrustworthy numbers
    if (size !== 0) size--; // the SYN octet
    if (this.finCnt > 0 && size !== 0) size--; // the FIN octet
    return size;
  }

  /** Bytes not yet delivered (above a hole). */
  undeliveredBytes(): number {
    const n = this.blocks.length;
    return n === 0 ? 0 : this.blocks[n - 1] - this.lastReassem;
  }

  /** Inserts [seq, upper) into the merged block list. */
  insertBlock(seq: number, upper: number): void {
    if (this.blocks === NO_BLOCKS) this.blocks = [];
    const b = this.blocks;
    // Fast path: appending in order.
    const n = b.length;
    if (n === 0 || seq > b[n - 1]) {
      b.push(seq, upper);
      return;
    }
    if (seq >= b[n - 2] && seq <= b[n - 1]) {
      if (upper > b[n - 1]) b[n - 1] = upper;
      return;
    }
    const out: number[] = [];
    let s = seq;
    let u = upper;
    let placed = false;
    for (let i = 0; i < n; i += 2) {
      const bs = b[i];
      const bu = b[i + 1];
      if (bu < s) out.push(bs, bu);
      else if (bs > u) {
        if (!placed) { out.push(s, u); placed = true; }
        out.push(bs, bu);
      } else {
        s = Math.min(s, bs);
        u = Math.max(u, bu);
      }
    }
    if (!placed) out.push(s, u);
    this.blocks = out;
  }

  /**
   * Delivers whatever is contiguous with lastReassem (Zeek's BlockInserted) and forgets the
   * delivered blocks: only data above a hole is kept.
   */
  deliverContiguous(): void {
    const b = this.blocks;
    let k = 0;
    for (; k < b.length; k += 2) {
      if (b[k] > this.lastReassem) break;
      if (b[k + 1] > this.lastReassem) this.lastReassem = b[k + 1];
    }
    if (k === b.length) this.blocks = NO_BLOCKS;
    else if (k > 0) this.blocks = b.slice(k);
  }

  /** Drops blocks that end at or below seq (Zeek keeps a block that straddles seq). */
  dropBelow(seq: number): void {
    const b = this.blocks;
    let k = 0;
    while (k < b.length && b[k + 1] <= seq) k += 2;
    if (k === b.length) this.blocks = NO_BLOCKS;
    else if (k > 0) this.blocks = b.slice(k);
  }
}
