/** Bytes of a new chunk copied behind a leftover (the rest is read in place). */
const SPLIT_HEAD = 16384;
/** Leftovers above this are merged with the whole chunk as before (rare; avoids copying twice). */
const SPLIT_MAX_LEFT = 65536;

/**
 * A forward-only window over a stream of chunks. Binary decoders ask `ensure(n)` and
 * read from `buf` at `pos`; only a refill awaits, so the per-record path stays synchronous.
 */
export class ByteSource {
  /** Current window; valid bytes are buf[pos, end). */
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  /** File offset of buf[0]. */
  private base = 0;
  private done = false;
  private readonly iter: AsyncIterator<Uint8Array>;
  private view: DataView = new DataView(new ArrayBuffer(0));
  /**
   * A chunk whose head was copied behind a few leftover bytes instead of copying all of it:
   * buf[tailOff, end) equals tail[0, end - tailOff). Once the reader is past the leftover,
   * the window switches to the chunk itself without copying (see joinTail).
   */
  private tail: Uint8Array | null = null;
  private tailOff = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.iter = chunks[Symbol.asyncIterator]();
  }

  /** Byte offset in the (decompressed) file of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  get available(): number {
    return this.end - this.pos;
  }

  /** A DataView over buf (same indices). */
  get dv(): DataView {
    return this.view;
  }

  /** Makes at least n bytes available at pos; false when the stream ends first. */
  async ensure(n: number): Promise<boolean> {
    while (this.end - this.pos < n) {
      if (this.tail !== null) {
        this.joinTail();
        continue;
      }
      if (this.done) return false;
      const next = await this.iter.next();
      if (next.done) {
        this.done = true;
        return this.end - this.pos >= n;
      }
      this.append(next.value, n);
    }
    return true;
  }

  /** True once the stream has ended and every byte was consumed. */
  async atEnd(): Promise<boolean> {
    return !(await this.ensure(1));
  }

  skip(n: number): void {
    this.pos += n;
  }

  /** Skips n bytes that may not be buffered yet; returns how many were really skipped. */
  async skipAsync(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.available === 0 && !(await this.ensure(1))) break;
      const step = Math.min(left, this.available);
      this.pos += step;
      left -= step;
    }
    return n - left;
  }

  /** Copies n bytes out (n must be available). */
  take(n: number): Uint8Array {
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A view of n available bytes without copying; valid until the next ensure(). */
  peek(n: number): Uint8Array {
    return this.buf.subarray(this.pos, this.pos + n);
  }

  /** Everything left, chunk by chunk (for decoders that hand off to another stream parser). */
  async *rest(): AsyncGenerator<Uint8Array> {
    if (this.tail !== null) this.joinTail();
    if (this.available > 0) {
      const head = this.buf.slice(this.pos, this.end);
      this.base += this.end;
      this.pos = this.end = 0;
      this.buf = new Uint8Array(0);
      yield head;
    }
    while (!this.done) {
      const next = await this.iter.next();
      if (next.done) { this.done = true; break; }
      this.base += next.value.length;
      yield next.value;
    }
  }

  private append(chunk: Uint8Array, n: number): void {
    const left = this.end - this.pos;
    const head = Math.max(n - left, SPLIT_HEAD);
    if (left === 0) {
      this.base += this.end;
      this.buf = chunk;
      this.pos = 0;
      this.end = chunk.length;
    } else if (left <= SPLIT_MAX_LEFT && head < chunk.length) {
      // A record crosses into the new chunk: copy the leftover and just enough of the chunk
      // to finish what was asked (not the whole chunk); the rest is read in place later.
      const merged = new Uint8Array(left + head);
      merged.set(this.buf.subarray(this.pos, this.end), 0);
      merged.set(chunk.subarray(0, head), left);
      this.base += this.pos;
      this.buf = merged;
      this.pos = 0;
      this.end = merged.length;
      this.tail = chunk;
      this.tailOff = left;
    } else {
      const merged = new Uint8Array(left + chunk.length);
      merged.set(this.buf.subarray(this.pos, this.end), 0);
      merged.set(chunk, left);
      this.base += this.pos;
      this.buf = merged;
      this.pos = 0;
      this.end = merged.length;
    }
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Makes the whole pending tail chunk part of the window (without copying when possible). */
  private joinTail(): void {
    const tail = this.tail as Uint8Array;
    const off = this.tailOff;
    this.tail = null;
    if (this.pos >= off) {
      // Everything unread is already in the chunk itself.
      this.base += off;
      this.pos -= off;
      this.buf = tail;
      this.end = tail.length;
    } else {
      const left = off - this.pos;
      const merged = new Uint8Array(left + tail.length);
      merged.set(this.buf.subarray(this.pos, off), 0);
      merged.set(tail, left);
      this.base += this.pos;
      this.buf = merged;
      this.pos = 0;
      this.end = merged.length;
    }
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }
}

/** A ByteSource over bytes already in memory (tests, datagrams). */
export function byteSourceOf(...chunks: Uint8Array[]): ByteSource {
  return new ByteSource((async function* () { yield* chunks; })());
}
