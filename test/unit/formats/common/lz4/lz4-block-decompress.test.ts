import { describe, expect, it } from 'vitest';
import { LZ4_E_BAD_OFFSET, LZ4_E_INPUT_OVERRUN, LZ4_E_OUTPUT_OVERRUN, lz4BlockDecompress } from '../../../../../core/formats/common/lz4/lz4-block-decompress';
import { lz4Compress, prng } from '../../../../helpers/nfcapd-writer';

describe('lz4BlockDecompress()', () => {
  it('lz4BlockDecompress() restores what lz4js compressed, for repetitive and random data', () => {
    const rnd = prng(7);
    for (const len of [1, 15, 16, 300, 70000]) {
      const repetitive = Uint8Array.from({ length: len }, (_, i) => 'flowcase '.charCodeAt(i % 9));
      const random = Uint8Array.from({ length: len }, () => Math.floor(rnd() * 256));
      for (const src of [repetitive, random]) {
        const out = new Uint8Array(len);
        expect(lz4BlockDecompress(lz4Compress(src), out)).toBe(len);
        expect(out).toEqual(src);
      }
    }
  });

  it('lz4BlockDecompress() rejects offsets before the output, overruns and truncation', () => {
    const out = new Uint8Array(16);
    expect(lz4BlockDecompress(Uint8Array.from([0x10, 0x41, 0x05, 0x00]), out)).toBe(LZ4_E_BAD_OFFSET);
    expect(lz4BlockDecompress(Uint8Array.from([0x1f, 0x41, 0x01, 0x00, 0x20]), out)).toBe(LZ4_E_OUTPUT_OVERRUN);
    expect(lz4BlockDecompress(Uint8Array.from([0x50, 0x41]), out)).toBe(LZ4_E_INPUT_OVERRUN);
    expect(lz4BlockDecompress(new Uint8Array(0), out)).toBe(LZ4_E_INPUT_OVERRUN);
  });
});
