import { describe, expect, it } from 'vitest';
import {
  LZO_E_INPUT_NOT_CONSUMED, LZO_E_INPUT_OVERRUN, LZO_E_LOOKBEHIND_OVERRUN, LZO_E_OUTPUT_OVERRUN, lzo1xDecompress,
} from '../../../../../core/formats/common/lzo/lzo1x-decompress';
import { lzoLiteralsOnly } from '../../../../helpers/nfcapd-writer';

const text = (u: Uint8Array, n: number) => new TextDecoder().decode(u.subarray(0, n));
const END = [0x11, 0x00, 0x00]; // M4 match with distance 0 = end of stream

describe('lzo1xDecompress()', () => {
  it('lzo1xDecompress() copies a first literal run and stops at the end marker', () => {
    const out = new Uint8Array(64);
    const n = lzo1xDecompress(Uint8Array.from([17 + 5, ...new TextEncoder().encode('hello'), ...END]), out);
    expect(text(out, n)).toBe('hello');
  });

  it('lzo1xDecompress() expands an M2 match that overlaps its own output', () => {
    // "abc" (first byte 17+3 -> 3 literals, then a match opcode), M2 0xE8: length (0xE8>>5)+1 = 8,
    // distance 1 + ((0xE8>>2)&7) + (0<<3) = 3, no trailing literals; then the end marker
    const out = new Uint8Array(64);
    const n = lzo1xDecompress(Uint8Array.from([20, 0x61, 0x62, 0x63, 0xe8, 0x00, ...END]), out);
    expect(text(out, n)).toBe('abcabcabcab');
  });

  it('lzo1xDecompress() expands an M3 match with trailing literals', () => {
    // 4 literals "wxyz" (first byte 21 -> literal run then first_literal_run state),
    // M3 opcode 0x20 | 5 -> length 5 + 2 = 7, le16 = ((dist-1) << 2) | trailing 2 with dist 4
    const le16 = (3 << 2) | 2;
    const out = new Uint8Array(64);
    const n = lzo1xDecompress(Uint8Array.from([21, 0x77, 0x78, 0x79, 0x7a, 0x25, le16, 0x00, 0x21, 0x21, ...END]), out);
    expect(text(out, n)).toBe('wxyzwxyzwxy!!');
  });

  it('lzo1xDecompress() decodes the literal-only streams of the test writer at any length', () => {
    for (const len of [1, 3, 4, 18, 19, 238, 239, 300, 600, 5000]) {
      const src = Uint8Array.from({ length: len }, (_, i) => (i * 7) & 0xff);
      const out = new Uint8Array(len);
      expect(lzo1xDecompress(lzoLiteralsOnly(src), out)).toBe(len);
      expect(out).toEqual(src);
    }
  });

  it('lzo1xDecompress() reports a match reaching before the output as look-behind overrun', () => {
    const out = new Uint8Array(64);
    expect(lzo1xDecompress(Uint8Array.from([20, 0x61, 0x62, 0x63, 0xfc, 0xff, ...END]), out)).toBe(LZO_E_LOOKBEHIND_OVERRUN);
  });

  it('lzo1xDecompress() reports output overrun instead of writing past the buffer', () => {
    const out = new Uint8Array(5);
    expect(lzo1xDecompress(Uint8Array.from([20, 0x61, 0x62, 0x63, 0xe8, 0x00, ...END]), out)).toBe(LZO_E_OUTPUT_OVERRUN);
  });

  it('lzo1xDecompress() reports truncated input and trailing garbage', () => {
    const out = new Uint8Array(64);
    expect(lzo1xDecompress(Uint8Array.from([22, 0x61, 0x62]), out)).toBe(LZO_E_INPUT_OVERRUN);
    expect(lzo1xDecompress(Uint8Array.from([0, 0, 0, 0]), out)).toBe(LZO_E_INPUT_OVERRUN);
    expect(lzo1xDecompress(Uint8Array.from([18, 0x61, ...END, 0x99]), out)).toBe(LZO_E_INPUT_NOT_CONSUMED);
    expect(lzo1xDecompress(new Uint8Array(0), out)).toBe(LZO_E_INPUT_OVERRUN);
  });
});
