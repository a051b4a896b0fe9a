import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { Decompress as ZstdDecompress } from 'fzstd';

export type Compression = 'gzip' | 'bzip2' | 'zstd';

/** Recognises a compressed container by its magic bytes. */
export function detectCompression(head: Uint8Array): Compression | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68 && head[3] >= 0x31 && head[3] <= 0x39) return 'bzip2';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return null;
}

/** A compressed stream that cannot be decoded: the message names the codec and the compressed byte position. */
export class BrokenStreamError extends Error {
  constructor(readonly codec: Compression, readonly compressedOffset: number, detail: string) {
    super(`${codec} stream is broken near compressed byte ${compressedOffset}: ${detail}`);
    this.name = 'BrokenStreamError';
  }
}

/**
 * Decompresses a chunk stream with bounded memory. A broken or truncated stream ends the
 * iteration with a BrokenStreamError (never a hang): gzip and zstd report the compressed bytes
 * consumed so far, bzip2 the byte where the failing block's data ran out or stopped making sense.
 * Concatenated members/frames/streams (pigz, pbzip2, zstd -T) are read as one.
 */
export function decompress(kind: Compression, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  switch (kind) {
    case 'gzip': return gunzip(chunks);
    case 'zstd': return unzstd(chunks);
    case 'bzip2': return bunzip2(chunks);
  }
}

async function* gunzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const z = createGunzip();
  let fed = 0;
  const src = Readable.from(counted(chunks, (n) => { fed += n; }));
  // pipe() does not forward errors: without this a failing source would leave gunzip waiting forever.
  src.on('error', (err) => z.destroy(err));
  src.pipe(z);
  try {
    for await (const out of z) yield out as Uint8Array;
  } catch (err) {
    throw new BrokenStreamError('gzip', Math.min(fed, z.bytesWritten || fed), (err as Error).message);
  } finally {
    src.destroy();
  }
}

async function* unzstd(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  const z = new ZstdDecompress((data) => { pending.push(data); });
  let fed = 0;
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      z.push(chunk, final);
    } catch (err) {
      throw new BrokenStreamError('zstd', fed, (err as Error).message);
    }
    fed += chunk.length;
  };
  let sawData = false;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    sawData = true;
    push(chunk, false);
    if (pending.length) {
      const out = pending;
      pending = [];
      yield* out;
    }
  }
  if (!sawData) throw new BrokenStreamError('zstd', 0, 'empty stream');
  // fzstd only notices a truncated frame when told that no more data follows.
  push(new Uint8Array(0), true);
  yield* pending;
}

function counted(chunks: AsyncIterable<Uint8Array>, onChunk: (n: number) => void): AsyncIterable<Uint8Array> {
  return (async function* () {
    for await (const c of chunks) {
      onChunk(c.length);
      yield c;
    }
  })();
}

// ---- bzip2 ----------------------------------------------------------------------------------
//
// seek-bzip decodes synchronously from a byte-pulling stream. To stream with bounded memory the
// compressed bytes of the next block are buffered before each block is decoded: a block holds
// at most 900 000 symbols of at most 20 code bits, so 2.5 MiB of look-ahead always covers one
// block (bzip2 file format: 'BZh' + level, blocks bit-aligned, each starting with the 48-bit
// magic 0x314159265359, the stream ending with 0x177245385090 and a 32-bit combined CRC).

const BZ_LOOKAHEAD = 2_600_000;
const OUT_CHUNK = 1 << 16;

interface SeekBunzip {
  reader: { read(bits: number): number };
  streamCRC: number;
  _init_block(): boolean;
  _read_bunzip(): number;
  _start_bunzip(input: unknown, output: unknown): void;
}
type SeekBunzipCtor = new (input: unknown, output: unknown) => SeekBunzip;

let seekBzip: Promise<SeekBunzipCtor> | null = null;

/** seek-bzip is CommonJS without types; it is loaded only when a bzip2 file shows up. */
function loadSeekBzip(): Promise<SeekBunzipCtor> {
  const name = 'seek-bzip';
  seekBzip ??= import(name).then((m: { default?: SeekBunzipCtor }) => (m.default ?? m) as SeekBunzipCtor);
  return seekBzip;
}

class TruncatedError extends Error {}

/** The compressed side: a window refilled between blocks, read byte by byte inside a block. */
class BzInput {
  private buf = new Uint8Array(0);
  private pos = 0;
  private base = 0;
  private ended = false;

  constructor(private readonly iter: AsyncIterator<Uint8Array>) {}

  get offset(): number {
    return this.base + this.pos;
  }

  /** Buffers n bytes ahead of the read position, or everything that is left. */
  async fill(n: number): Promise<void> {
    if (this.buf.length - this.pos >= n || this.ended) return;
    const parts: Uint8Array[] = [this.buf.subarray(this.pos)];
    let have = parts[0].length;
    while (have < n) {
      const next = await this.iter.next();
      if (next.done) { this.ended = true; break; }
      parts.push(next.value);
      have += next.value.length;
    }
    const merged = new Uint8Array(have);
    let at = 0;
    for (const p of parts) { merged.set(p, at); at += p.length; }
    this.base += this.pos;
    this.buf = merged;
    this.pos = 0;
  }

  eof(): boolean {
    return this.ended && this.pos >= this.buf.length;
  }

  readByte(): number {
    if (this.pos < this.buf.length) return this.buf[this.pos++];
    if (this.ended) throw new TruncatedError('the stream ends inside a block');
    // Cannot happen while blocks fit in the look-ahead; a corrupt length could still get here.
    throw new TruncatedError('a block is longer than any valid bzip2 block');
  }

  read(out: Uint8Array, off: number, len: number): number {
    let n = 0;
    while (n < len && this.pos < this.buf.length) { out[off + n++] = this.buf[this.pos++]; }
    return n === 0 && len > 0 ? -1 : n;
  }
}

/** The decompressed side: fixed-size chunks handed out after each block. */
class BzOutput {
  private cur = new Uint8Array(OUT_CHUNK);
  private at = 0;
  private done: Uint8Array[] = [];

  writeByte(b: number): void {
    if (this.at === OUT_CHUNK) {
      this.done.push(this.cur);
      this.cur = new Uint8Array(OUT_CHUNK);
      this.at = 0;
    }
    this.cur[this.at++] = b;
  }

  drain(): Uint8Array[] {
    const out = this.done;
    this.done = [];
    if (this.at > 0) {
      out.push(this.cur.slice(0, this.at));
      this.at = 0;
    }
    return out;
  }
}

async function* bunzip2(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const Bunzip = await loadSeekBzip();
  const input = new BzInput(chunks[Symbol.asyncIterator]());
  const output = new BzOutput();
  const fail = (err: unknown): BrokenStreamError =>
    err instanceof BrokenStreamError ? err : new BrokenStreamError('bzip2', input.offset, (err as Error).message);
  await input.fill(BZ_LOOKAHEAD);
  let bz: SeekBunzip;
  try {
    bz = new Bunzip(input, output);
  } catch (err) {
    throw fail(err);
  }
  for (;;) {
    await input.fill(BZ_LOOKAHEAD);
    let block: Uint8Array[];
    try {
      if (bz._init_block()) {
        bz._read_bunzip();
        block = output.drain();
      } else {
        const crc = bz.reader.read(32) >>> 0;
        if (crc !== bz.streamCRC) throw new Error(`bad stream CRC (got ${bz.streamCRC.toString(16)}, expected ${crc.toString(16)})`);
        await input.fill(BZ_LOOKAHEAD);
        if (input.eof()) return;
        // Another stream follows (pbzip2, cat a.bz2 b.bz2); its header realigns to a byte.
        bz._start_bunzip(input, output);
        continue;
      }
    } catch (err) {
      throw fail(err);
    }
    yield* block;
  }
}
