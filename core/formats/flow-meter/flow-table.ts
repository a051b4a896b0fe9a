import type { Ip } from '../../model/ip';
import type { Conn } from './conn';

/**
 * Open connections by 5-tuple, orientation-free. A Map keyed by a 30-bit hash (a small
 * integer, which V8 hashes without allocating) with collision chains through the
 * connections; no key string is built per packet.
 */
export class FlowTable {
  private readonly heads = new Map<number, Conn>();
  size = 0;
  // The normalized key of the last lookup (reused by insert).
  private h = 0;
  private proto = 0;
  private a = 0;
  private ap = 0;
  private b = 0;
  private bp = 0;
  private a6: Uint32Array | null = null;
  private b6: Uint32Array | null = null;

  /** Finds the connection of (a, ap) <-> (b, bp); one-way keys keep their direction. */
  lookup(proto: number, a: Ip, ap: number, b: Ip, bp: number, oneWay: boolean): Conn | undefined {
    let swap = false;
    let ha: number;
    let hb: number;
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
    }
    this.proto = oneWay ? proto | 0x100 : proto;
    // int32, not uint32: small integers need no heap box in the Conn.
    this.a = ha | 0;
    this.b = hb | 0;
    this.ap = swap ? bp : ap;
    this.bp = swap ? ap : bp;
    let h = Math.imul(ha, 0x9e3779b1) ^ hb;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ ((this.ap << 16) | this.bp);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ this.proto;
    h = (h ^ (h >>> 16)) & 0x3fffffff;
    this.h = h;
    let c = this.heads.get(h);
    while (c !== undefined && !this.matches(c)) c = c.next;
    return c;
  }

  /** Stores c under the key of the last lookup. */
  insert(c: Conn): void {
    c.hash = this.h;
    c.kProto = this.proto;
    c.kA = this.a;
    c.kAp = this.ap;
    c.kB = this.b;
    c.kBp = this.bp;
    c.kA6 = this.a6;
    c.kB6 = this.b6;
    c.next = this.heads.get(this.h);
    this.heads.set(this.h, c);
    this.size++;
  }

  /** Removes c (no-op when it is not stored). */
  remove(c: Conn): void {
    let cur = this.heads.get(c.hash);
    let prev: Conn | undefined;
    while (cur !== undefined && cur !== c) {
      prev = cur;
      cur = cur.next;
    }
    if (cur === undefined) return;
    if (prev === undefined) {
      if (c.next === undefined) this.heads.delete(c.hash);
      else this.heads.set(c.hash, c.next);
    } else prev.next = c.next;
    c.next = undefined;
    this.size--;
  }

  /** True while c is stored. */
  has(c: Conn): boolean {
    let cur = this.heads.get(c.hash);
    while (cur !== undefined && cur !== c) cur = cur.next;
    return cur === c;
  }

  /** Chain heads, for sweeping (walk `next` for the rest). */
  chains(): IterableIterator<Conn> {
    return this.heads.values();
  }

  /** Every stored connection. */
  all(): Conn[] {
    const out: Conn[] = [];
    for (let c of this.heads.values()) {
      for (let x: Conn | undefined = c; x !== undefined; x = x.next) out.push(x);
      void c;
    }
    return out;
  }

  clear(): void {
    this.heads.clear();
    this.size = 0;
  }

  private matches(c: Conn): boolean {
    if (c.kProto !== this.proto || c.kA !== this.a || c.kB !== this.b || c.kAp !== this.ap || c.kBp !== this.bp) return false;
    if (this.a6 === null) return c.kA6 === null;
    const x = c.kA6;
    const y = c.kB6;
    const a = this.a6;
    const b = this.b6 as Uint32Array;
    return x !== null && y !== null && x[0] === a[0] && x[1] === a[1] && x[2] === a[2] && x[3] === a[3] && y[0] === b[0] && y[1] === b[1] && y[2] === b[2] && y[3] === b[3];
  }
}

function fold(w: Uint32Array): number {
  return Math.imul(w[0], 0x27d4eb2d) ^ Math.imul(w[1], 0x165667b1) ^ Math.imul(w[2], 0x9e3779b1) ^ w[3];
}

function v4mapped(a: number): Uint32Array {
  return Uint32Array.of(0, 0, 0xffff, a);
}
