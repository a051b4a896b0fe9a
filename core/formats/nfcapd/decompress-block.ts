import { createRequire } from 'node:module';
import { Decompress as ZstdDecompress } from 'fzstd';
import { lzo1xDecompress, lzoErrorName } from '../common/lzo/lzo1x-decompress';
import { lz4BlockDecompress, lz4ErrorName } from '../common/lz4/lz4-block-decompress';

/** nffileV2.h `compression` values (LAYOUT_VERSION_2 file header). */
export const NOT_COMPRESSED = 0;
export const LZO_COMPRESSED = 1;
export const BZ2_COMPRESSED = 2;
export const LZ4_COMPRESSED = 3;
export const ZSTD_COMPRESSED = 4;

/** Name of an nfdump compression id, as `nfdump -v` prints it. */
export function compressionName(id: number): string {
  return ['none', 'lzo', 'bz2', 'lz4', 'zstd'][id] ?? `unknown(${id})`;
}

/**
 * nffile.h: `#define BUFFSIZE (5 * ONEMB)` — nfdump allocates every block buffer with this
 * size and refuses blocks (compressed or expanded) that do not fit; so do we.
 */
export const NFDUMP_MAX_BLOCK = 5 * 1048576;

interface SeekBzip {
  decode(input: unknown, output: unknown, multistream?: boolean): unknown;
}
const requireCjs = createRequire(import.meta.url);
let bunzip: SeekBzip | null = null;

/** Result of expanding one block: bytes written, or an error text. */
export type BlockResult = number | string;

/**
 * Expands the payload of one compressed data block into `out` (whose length is the limit,
 * NFDUMP_MAX_BLOCK). nffile.c `Uncompress_Block_*`: LZO1X and LZ4 are raw blocks, BZ2 is a
 * whole bzip2 stream, ZSTD a whole zstd frame. Returns the expanded size or an error text.
 */
export function decompressBlock(compression: number, src: Uint8Array, out: Uint8Array): BlockResult {
  switch (compression) {
    case LZO_COMPRESSED: {
      const n = lzo1xDecompress(src, out);
      return n < 0 ? `LZO: ${lzoErrorName(n)}` : n;
    }
    case LZ4_COMPRESSED: {
      const n = lz4BlockDecompress(src, out);
      return n < 0 ? `LZ4: ${lz4ErrorName(n)}` : n;
    }
    case BZ2_COMPRESSED:
      return bzip2Block(src, out);
    case ZSTD_COMPRESSED:
      return zstdBlock(src, out);
    default:
      return `unknown compression ${compression}`;
  }
}

function bzip2Block(src: Uint8Array, out: Uint8Array): BlockResult {
  bunzip ??= requireCjs('seek-bzip') as SeekBzip;
  // seek-bzip reads past the end as `undefined` and grows its output without limit; our
  // own streams stop both: reading beyond the input and writing beyond the block limit throw.
  let inPos = 0;
  const input = {
    readByte(): number {
      if (inPos >= src.length) throw new Error('BZ2: unexpected end of input');
      return src[inPos++];
    },
    read(buf: Uint8Array, off: number, len: number): number {
      let n = 0;
      while (n < len && inPos < src.length) buf[off + n++] = src[inPos++];
      return n === 0 ? -1 : n;
    },
    seek(p: number): void { inPos = p; },
    eof(): boolean { return inPos >= src.length; },
  };
  let outPos = 0;
  const output = {
    writeByte(b: number): void {
      if (outPos >= out.length) throw new Error('BZ2: expands beyond the 5 MB block limit');
      out[outPos++] = b;
    },
    write(buf: Uint8Array, off: number, len: number): number {
      if (outPos + len > out.length) throw new Error('BZ2: expands beyond the 5 MB block limit');
      out.set(buf.subarray(off, off + len), outPos);
      outPos += len;
      return len;
    },
    flush(): void {},
  };
  try {
    bunzip.decode(input, output, false);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return msg.startsWith('BZ2') ? msg : `BZ2: ${msg}`;
  }
  return outPos;
}

/**
 * Reads the zstd frame header (RFC 8878 §3.1.1.1) and refuses frames whose window or
 * declared content size exceed the block limit before the decoder allocates anything.
 */
function zstdFrameTooLarge(src: Uint8Array, limit: number): string | null {
  if (src.length < 6) return 'ZSTD: frame too short';
  if (src[0] !== 0x28 || src[1] !== 0xb5 || src[2] !== 0x2f || src[3] !== 0xfd) return 'ZSTD: bad frame magic';
  const fhd = src[4];
  const fcsFlag = fhd >>> 6;
  const single = (fhd & 0x20) !== 0;
  const dictFlag = fhd & 3;
  let p = 5;
  let window = 0;
  if (!single) {
    const wd = src[p++];
    const base = 2 ** (10 + (wd >>> 3));
    window = base + (base / 8) * (wd & 7);
  }
  p += [0, 1, 2, 4][dictFlag];
  const fcsSize = fcsFlag === 0 ? (single ? 1 : 0) : [0, 2, 4, 8][fcsFlag];
  if (p + fcsSize > src.length) return 'ZSTD: truncated frame header';
  let fcs = -1;
  if (fcsSize === 1) fcs = src[p];
  else if (fcsSize === 2) fcs = (src[p] | (src[p + 1] << 8)) + 256;
  else if (fcsSize === 4) fcs = (src[p] | (src[p + 1] << 8) | (src[p + 2] << 16)) + src[p + 3] * 2 ** 24;
  else if (fcsSize === 8) fcs = (src[p] | (src[p + 1] << 8) | (src[p + 2] << 16)) + src[p + 3] * 2 ** 24 + (src[p + 4] + src[p + 5] * 256 + src[p + 6] * 65536 + src[p + 7] * 2 ** 24) * 2 ** 32;
  if (single) window = fcs;
  if (fcs > limit) return `ZSTD: frame declares ${fcs} bytes, beyond the 5 MB block limit`;
  if (window > 2 * limit) return `ZSTD: window of ${window} bytes is beyond the block limit`;
  return null;
}

function zstdBlock(src: Uint8Array, out: Uint8Array): BlockResult {
  const bad = zstdFrameTooLarge(src, out.length);
  if (bad) return bad;
  let outPos = 0;
  let overflow = false;
  const d = new ZstdDecompress((chunk) => {
    if (overflow) return;
    if (outPos + chunk.length > out.length) {
      overflow = true;
      return;
    }
    out.set(chunk, outPos);
    outPos += chunk.length;
  });
  try {
    d.push(src, true);
  } catch (e) {
    return `ZSTD: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (overflow) return 'ZSTD: expands beyond the 5 MB block limit';
  return outPos;
}
