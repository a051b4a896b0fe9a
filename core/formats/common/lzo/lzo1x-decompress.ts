/**
 * LZO1X decompression (the format nfdump writes with `lzo1x_1_compress`), written from the
 * behaviour of minilzo 2.10 `lzo1x_decompress_safe` (lzo1x_d.ch). Every input read, output
 * write and back-reference is bounds-checked, so hostile input cannot read or write outside
 * the buffers; the function returns an error code instead of throwing.
 *
 * Instruction summary (lzo1x_d.ch, `state` = literals copied after the last match):
 *   first byte > 17      : copy (byte - 17) literals
 *   0..15 after literals : literal run of 3+n bytes (n = 0 -> extended length)
 *   0..15 after a match  : 2-byte match, distance 1 + (t >> 2) + (next << 2)
 *   0..15 after a run    : 3-byte match, distance 0x801 + (t >> 2) + (next << 2)
 *   16..31  (M4)         : match, distance 0x4000 + ...; distance 0x4000 exactly = end of stream
 *   32..63  (M3)         : match, distance 1 + (le16 >> 2), length 2 + (t & 31) (extended)
 *   64..255 (M2)         : match, distance 1 + ((t >> 2) & 7) + (next << 3), length (t >> 5) + 1
 * The low two bits of the last distance byte give the number of literals (0..3) that follow.
 */

/** minilzo's error codes (lzoconf.h), returned negated as in the C API. */
export const LZO_E_INPUT_OVERRUN = -4;
export const LZO_E_OUTPUT_OVERRUN = -5;
export const LZO_E_LOOKBEHIND_OVERRUN = -6;
export const LZO_E_INPUT_NOT_CONSUMED = -8;
export const LZO_E_ERROR = -1;

/** Human-readable name of an LZO error code. */
export function lzoErrorName(code: number): string {
  switch (code) {
    case LZO_E_INPUT_OVERRUN: return 'input overrun';
    case LZO_E_OUTPUT_OVERRUN: return 'output overrun';
    case LZO_E_LOOKBEHIND_OVERRUN: return 'look-behind overrun';
    case LZO_E_INPUT_NOT_CONSUMED: return 'input not consumed';
    default: return `error ${code}`;
  }
}

/**
 * Decompresses `src[0, srcLen)` into `dst` (its length is the output limit).
 * Returns the number of bytes written, or a negative LZO_E_* code.
 */
export function lzo1xDecompress(src: Uint8Array, dst: Uint8Array, srcLen = src.length): number {
  const ipEnd = Math.min(srcLen, src.length);
  const opEnd = dst.length;
  let ip = 0;
  let op = 0;
  let t: number;

  if (ipEnd < 1) return LZO_E_INPUT_OVERRUN;
  if (src[0] > 17) {
    t = src[ip++] - 17;
    if (ip + t > ipEnd) return LZO_E_INPUT_OVERRUN;
    if (op + t > opEnd) return LZO_E_OUTPUT_OVERRUN;
    for (let i = 0; i < t; i++) dst[op++] = src[ip++];
    if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
    const next = src[ip++];
    // The next opcode is read in match state. After fewer than 4 literals ("match_next") an
    // opcode 0..15 is a 2-byte near match; after more (first_literal_run), a 3-byte far match.
    return decodeLoop(src, dst, ipEnd, opEnd, ip, op, next, t >= 4, true);
  }
  if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
  t = src[ip++];
  return decodeLoop(src, dst, ipEnd, opEnd, ip, op, t, false, false);
}

/**
 * The main state machine. `t` is the opcode already read. `inMatchState` says that the
 * opcode follows a literal copy (so 0..15 means a match, not a literal run);
 * `afterRun` says that literal copy was a full run (3-byte far match) rather than the
 * 1..3 trailing literals of a match (2-byte near match).
 */
function decodeLoop(
  src: Uint8Array, dst: Uint8Array, ipEnd: number, opEnd: number,
  ip0: number, op0: number, t0: number, afterRun0: boolean, inMatchState0: boolean,
): number {
  let ip = ip0;
  let op = op0;
  let t = t0;
  let afterRun = afterRun0;
  let inMatchState = inMatchState0;
  for (;;) {
    if (!inMatchState) {
      // outer loop of lzo1x_d.ch: opcode 0..15 is a literal run
      if (t < 16) {
        if (t === 0) {
          t = extendedLength(src, ip, ipEnd, 15);
          if (t < 0) return t;
          ip = lengthEnd;
        }
        t += 3;
        if (ip + t > ipEnd) return LZO_E_INPUT_OVERRUN;
        if (op + t > opEnd) return LZO_E_OUTPUT_OVERRUN;
        dst.set(src.subarray(ip, ip + t), op);
        ip += t;
        op += t;
        if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
        t = src[ip++];
        afterRun = true;
        inMatchState = true;
        continue;
      }
      afterRun = false;
    }
    // match state: t is a match opcode
    let len: number;
    let dist: number;
    if (t >= 64) {
      // M2: 3..8 bytes, distance up to 2 KiB
      if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
      dist = 1 + ((t >>> 2) & 7) + (src[ip++] << 3);
      len = (t >>> 5) + 1;
    } else if (t >= 32) {
      // M3: distance up to 16 KiB
      len = t & 31;
      if (len === 0) {
        len = extendedLength(src, ip, ipEnd, 31);
        if (len < 0) return len;
        ip = lengthEnd;
      }
      len += 2;
      if (ip + 2 > ipEnd) return LZO_E_INPUT_OVERRUN;
      dist = 1 + ((src[ip] | (src[ip + 1] << 8)) >>> 2);
      ip += 2;
    } else if (t >= 16) {
      // M4: distance 16 KiB .. 48 KiB; distance 16 KiB exactly marks the end
      let far = (t & 8) << 11;
      len = t & 7;
      if (len === 0) {
        len = extendedLength(src, ip, ipEnd, 7);
        if (len < 0) return len;
        ip = lengthEnd;
      }
      len += 2;
      if (ip + 2 > ipEnd) return LZO_E_INPUT_OVERRUN;
      far += (src[ip] | (src[ip + 1] << 8)) >>> 2;
      ip += 2;
      if (far === 0) {
        // end-of-stream marker
        if (ip === ipEnd) return op;
        return ip < ipEnd ? LZO_E_INPUT_NOT_CONSUMED : LZO_E_INPUT_OVERRUN;
      }
      dist = far + 0x4000;
    } else if (afterRun) {
      // 3-byte match right after a literal run (M1 with the far base 0x801)
      if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
      dist = 1 + 0x0800 + (t >>> 2) + (src[ip++] << 2);
      len = 3;
    } else {
      // 2-byte match after a match's trailing literals
      if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
      dist = 1 + (t >>> 2) + (src[ip++] << 2);
      len = 2;
    }
    const from = op - dist;
    if (from < 0) return LZO_E_LOOKBEHIND_OVERRUN;
    if (op + len > opEnd) return LZO_E_OUTPUT_OVERRUN;
    if (dist >= len) {
      dst.copyWithin(op, from, from + len);
      op += len;
    } else {
      // overlapping copy repeats the pattern byte by byte, as the C loop does
      for (let i = 0; i < len; i++) dst[op + i] = dst[from + i];
      op += len;
    }
    // trailing literal count: low 2 bits of the byte before the last one read
    const trailing = src[ip - 2] & 3;
    if (trailing === 0) {
      if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
      t = src[ip++];
      inMatchState = false;
      continue;
    }
    if (ip + trailing > ipEnd) return LZO_E_INPUT_OVERRUN;
    if (op + trailing > opEnd) return LZO_E_OUTPUT_OVERRUN;
    for (let i = 0; i < trailing; i++) dst[op++] = src[ip++];
    if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
    t = src[ip++];
    afterRun = false;
    inMatchState = true;
  }
}

/** Where the input continues after the last extendedLength(). */
let lengthEnd = 0;

/**
 * An extended length (lzo1x_d.ch, a length field of 0): every zero byte adds 255, then the
 * next byte and `base` (15 for a literal run, 31 for M3, 7 for M4). Returns the length, or a
 * negative LZO_E_* code; `lengthEnd` is set to the byte after it.
 */
function extendedLength(src: Uint8Array, ip: number, ipEnd: number, base: number): number {
  let len = 0;
  for (;;) {
    if (ip >= ipEnd) return LZO_E_INPUT_OVERRUN;
    if (src[ip] !== 0) break;
    len += 255;
    ip++;
    if (len > 0x7fffffff) return LZO_E_ERROR;
  }
  lengthEnd = ip + 1;
  return len + base + src[ip];
}
