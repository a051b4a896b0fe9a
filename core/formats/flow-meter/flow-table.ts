import type { Ip } from '../../model/ip';
import type { Conn } from './conn';

/** Key flag: the key holds IPv6 addresses (folded into the key words; the addresses are in the Conn). */
const KEY_V6 = 0x200;

import {
  K_A, K_B, K_PORTS, K_PROTO, REC_CHECK_AT, REC_F64, REC_I32,
} from './flow-record-layout';

/**
 * Open connections by 5-tuple, orientation-free. Every connection has a slot (a small
 * integer, reused after removal); the normalized key and the expiry bound live in one
 * 32-byte record per slot, and an open-addressing hash (linear probing, backward-shift
 * deletion, slot and hash side by side) maps the key to the slot. A lookup reads about two
 * cache lines and touches no connection object until the key matches: with tens of
 * thousands of open flows the meter is bound by memory latency, not by instructions.
 * No key string and no per-packet allocation.
 */
export class FlowTable {
  size = 0;
  /**
   * Per-slot records as float64 words; `rec64[slot * REC_F64 + REC_CHECK_AT]` is the earliest
   * capture time (µs) at which the connection could expire, kept by the meter. It lets the
   * sweep and the per-packet check skip the connection object.
   */
  rec64: Float64Array;
  private rec32: Int32Array;
  private conns: (Conn | undefined)[];
  /** Free slots (a stack) and the count of slots ever used. */
  private free: Int32Array;
  private freeTop = 0;
  private used = 0;
  /** Buckets, two words each: slot + 1 (0 = empty) and the key's hash. */
  private bk: Int32Array;
  private mask: number;
  // The normalized key of the last lookup and the empty bucket it ended at (reused by insert).
  private h = 0;
  private bucket = 0;
  private proto = 0;
  private a = 0;
  private b = 0;
  private ports = 0;
  private a6: Uint32Array | null = null;
  private b6: Uint32Array | null = null;

  constructor(slots = 1024) {
    this.conns = new Array<Conn | undefined>(slots).fill(undefined);
    this.rec64 = new Float64Array(slots * REC_F64);
    this.rec32 = new Int32Array(this.rec64.buffer);
    this.free = new Int32Array(slots);
    this.bk = new Int32Array(slots * 4);
    this.mask = slots * 2 - 1;
  }

  /** Slots in use or used before (sweep bound). */
  get slotCount(): number {
    return this.used;
  }

  /** The connection in a slot, if any. */
  at(slot: number): Conn | undefined {
    return this.conns[slot];
  }

  /** Finds the connection of (a, ap) <-> (b, bp); one-way keys keep their direction. */
  lookup(proto: number, a: Ip, ap: number, b: Ip, bp: number, oneWay: boolean): Conn | undefined {
    let swap = false;
    let ha: number;
    let hb: number;
    let kp = oneWay ? proto | 0x100 : proto;
    if (typeof a === 'number' && typeof b === 'number') {
      if (!oneWay) swap = a > b || (a === b && ap > bp);
      this.a6 = this.b6 = null;
      ha = swap ? b : a;
      hb = swap ? a : b;
    } else {
      const x = typeof a === 'number' ? v4mapped(a) : a;
      const y = typeof b === 'number' ? v4mapped(b) : b;
      if (!oneWay) {
        let cmp = 0;
        for (let i = 0; i < 4 && cmp === 0; i++) cmp = x[i] - y[i];
        swap = cmp > 0 || (cmp === 0 && ap > bp);
      }
      this.a6 = swap ? y : x;
      this.b6 = swap ? x : y;
      ha = fold(this.a6);
      hb = fold(this.b6);
      kp |= KEY_V6;
    }
    const ka = ha | 0;
    const kb = hb | 0;
    const ports = swap ? (bp << 16) | ap : (ap << 16) | bp;
    this.proto = kp;
    this.a = ka;
    this.b = kb;
    this.ports = ports;
    let h = Math.imul(ka, 0x9e3779b1) ^ kb;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ ports;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ kp;
    h ^= h >>> 16;
    this.h = h;
    const mask = this.mask;
    const bk = this.bk;
    const rec = this.rec32;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s1 = bk[2 * i];
      if (s1 === 0) {
        this.bucket = i;
        return undefined;
      }
      if (bk[2 * i + 1] === h) {
        const s = s1 - 1;
        const r = s * REC_I32;
        if (rec[r + K_A] === ka && rec[r + K_B] === kb && rec[r + K_PORTS] === ports && rec[r + K_PROTO] === kp) {
          const c = this.conns[s] as Conn;
          if (!(kp & KEY_V6) || this.v6Matches(c)) return c;
        }
      }
    }
  }

  /** Stores c under the key of the last lookup (which found nothing). */
  insert(c: Conn): void {
    let i = this.bucket;
    if (this.freeTop === 0 && this.used === this.conns.length) {
      this.grow();
      // The buckets were rebuilt since the lookup: find the empty bucket again.
      const mask = this.mask;
      for (i = this.h & mask; this.bk[2 * i] !== 0; i = (i + 1) & mask);
    }
    const s = this.freeTop > 0 ? this.free[--this.freeTop] : this.used++;
    this.conns[s] = c;
    const r = s * REC_I32;
    this.rec32[r + K_PROTO] = this.proto;
    this.rec32[r + K_A] = this.a;
    this.rec32[r + K_B] = this.b;
    this.rec32[r + K_PORTS] = this.ports;
    this.rec64[s * REC_F64 + REC_CHECK_AT] = 0;
    c.slot = s;
    c.kA6 = this.a6;
    c.kB6 = this.b6;
    this.bk[2 * i] = s + 1;
    this.bk[2 * i + 1] = this.h;
    this.size++;
  }

  /** Removes c (no-op when it is not stored). */
  remove(c: Conn): void {
    const s = c.slot;
    if (s < 0 || this.conns[s] !== c) return;
    const mask = this.mask;
    const bk = this.bk;
    let i = this.hashOfSlot(s) & mask;
    while (bk[2 * i] !== s + 1) i = (i + 1) & mask;
    // Backward-shift deletion: pull later members of the probe run into the hole.
    for (let j = (i + 1) & mask; bk[2 * j] !== 0; j = (j + 1) & mask) {
      const home = bk[2 * j + 1] & mask;
      // Move j into the hole i unless its home lies cyclically in (i, j].
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!between) {
        bk[2 * i] = bk[2 * j];
        bk[2 * i + 1] = bk[2 * j + 1];
        i = j;
      }
    }
    bk[2 * i] = 0;
    this.conns[s] = undefined;
    this.free[this.freeTop++] = s;
    c.slot = -1;
    this.size--;
  }

  /** True while c is stored. */
  has(c: Conn): boolean {
    return c.slot >= 0 && this.conns[c.slot] === c;
  }

  /** Every stored connection, in slot order. */
  all(): Conn[] {
    const out: Conn[] = [];
    for (let s = 0; s < this.used; s++) {
      const c = this.conns[s];
      if (c !== undefined) out.push(c);
    }
    return out;
  }

  clear(): void {
    this.conns.fill(undefined);
    this.bk.fill(0);
    this.freeTop = 0;
    this.used = 0;
    this.size = 0;
  }

  private hashOfSlot(s: number): number {
    // The bucket array keeps the hash; recompute it from the slot's key to find the bucket.
    const r = s * REC_I32;
    const ka = this.rec32[r + K_A];
    const kb = this.rec32[r + K_B];
    let h = Math.imul(ka, 0x9e3779b1) ^ kb;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ this.rec32[r + K_PORTS];
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ this.rec32[r + K_PROTO];
    return h ^ (h >>> 16);
  }

  private v6Matches(c: Conn): boolean {
    const x = c.kA6;
    const y = c.kB6;
    const a = this.a6 as Uint32Array;
    const b = this.b6 as Uint32Array;
    return x !== null && y !== null && x[0] === a[0] && x[1] === a[1] && x[2] === a[2] && x[3] === a[3] && y[0] === b[0] && y[1] === b[1] && y[2] === b[2] && y[3] === b[3];
  }

  private grow(): void {
    const n = this.conns.length * 2;
    const conns = this.conns;
    this.conns = new Array<Conn | undefined>(n).fill(undefined);
    for (let s = 0; s < this.used; s++) this.conns[s] = conns[s];
    this.rec64 = copyF64(this.rec64, n * REC_F64);
    this.rec32 = new Int32Array(this.rec64.buffer);
    this.free = copyI32(this.free, n);
    // Rehash into twice as many buckets as slots (load factor <= 1/2).
    this.bk = new Int32Array(n * 4);
    this.mask = n * 2 - 1;
    const mask = this.mask;
    for (let s = 0; s < this.used; s++) {
      if (this.conns[s] === undefined) continue;
      const h = this.hashOfSlot(s);
      let i = h & mask;
      while (this.bk[2 * i] !== 0) i = (i + 1) & mask;
      this.bk[2 * i] = s + 1;
      this.bk[2 * i + 1] = h;
    }
  }
}

function copyI32(a: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n);
  out.set(a);
  return out;
}

function copyF64(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  out.set(a);
  return out;
}

function fold(w: Uint32Array): number {
  return Math.imul(w[0], 0x27d4eb2d) ^ Math.imul(w[1], 0x165667b1) ^ Math.imul(w[2], 0x9e3779b1) ^ w[3];
}

function v4mapped(a: number): Uint32Array {
  return Uint32Array.of(0, 0, 0xffff, a);
}
