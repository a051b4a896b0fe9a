/**
 * LZ4 block decompression (the raw block format nfdump writes with `LZ4_compress_default`
 * and `LZ4_compress_HC`), per the LZ4 Block Format description (lz4/doc/lz4_Block_format.md):
 * a sequence is a token (literal length << 4 | match length - 4), optional length bytes
 * (255 = continue), the literals, a 2-byte little-endian offset and optional match length
 * bytes. The last sequence has literals only. Every read, write and back-reference is
 * bounds-checked; errors are returned as negative numbers, never thrown.
 */

export const LZ4_E_INPUT_OVERRUN = -1;
export const LZ4_E_OUTPUT_OVERRUN = -2;
export const LZ4_E_BAD_OFFSET = -3;

/** Human-readable name of an LZ4 error code. */
export function lz4ErrorName(code: number): string {
  switch (code) {
    case LZ4_E_INPUT_OVERRUN: return 'input overrun';
    case LZ4_E_OUTPUT_OVERRUN: return 'output overrun';
    case LZ4_E_BAD_OFFSET: return 'offset outside the output';
    default: return `error ${code}`;
  }
}

/**
 * Decompresses the LZ4 block `src[0, srcLen)` into `dst` (its length is the limit).
 * Returns the number of bytes written or a negative LZ4_E_* code.
 */
export function lz4BlockDecompress(src: Uint8Array, dst: Uint8Array, srcLen = src.length): number {
  const ipEnd = Math.min(srcLen, src.length);
  const opEnd = dst.length;
  let ip = 0;
  let op = 0;
  if (ipEnd === 0) return LZ4_E_INPUT_OVERRUN;
  for (;;) {
    if (ip >= ipEnd) return LZ4_E_INPUT_OVERRUN;
    const token = src[ip++];
    let litLen = token >>> 4;
    if (litLen === 15) {
      let b: number;
      do {
        if (ip >= ipEnd) return LZ4_E_INPUT_OVERRUN;
        b = src[ip++];
        litLen += b;
      } while (b === 255);
    }
    if (ip + litLen > ipEnd) return LZ4_E_INPUT_OVERRUN;
    if (op + litLen > opEnd) return LZ4_E_OUTPUT_OVERRUN;
    if (litLen > 0) {
      dst.set(src.subarray(ip, ip + litLen), op);
      ip += litLen;
      op += litLen;
    }
    // the last sequence ends right after its literals
    if (ip === ipEnd) return op;
    if (ip + 2 > ipEnd) return LZ4_E_INPUT_OVERRUN;
    const offset = src[ip] | (src[ip + 1] << 8);
    ip += 2;
    if (offset === 0 || offset > op) return LZ4_E_BAD_OFFSET;
    let matchLen = token & 15;
    if (matchLen === 15) {
      let b: number;
      do {
        if (ip >= ipEnd) return LZ4_E_INPUT_OVERRUN;
        b = src[ip++];
        matchLen += b;
      } while (b === 255);
    }
    matchLen += 4;
    if (op + matchLen > opEnd) return LZ4_E_OUTPUT_OVERRUN;
    const from = op - offset;
    if (offset >= matchLen) {
      dst.copyWithin(op, from, from + matchLen);
      op += matchLen;
    } else {
      for (let i = 0; i < matchLen; i++) dst[op + i] = dst[from + i];
      op += matchLen;
    }
  }
}
