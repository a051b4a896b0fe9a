import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';

export type Compression = 'gzip' | 'bzip2' | 'zstd';

/** Recognises a compressed container by its magic bytes. */
export function detectCompression(head: Uint8Array): Compression | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68 && head[3] >= 0x31 && head[3] <= 0x39) return 'bzip2';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return null;
}

/** Decompresses a chunk stream. Errors surface as a rejected iteration with the codec named. */
export async function* decompress(kind: Compression, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  switch (kind) {
    case 'gzip': {
      const gunzip = createGunzip();
      const piped = Readable.from(chunks).pipe(gunzip);
      for await (const out of piped) yield out as Uint8Array;
      return;
    }
    default:
      throw new Error(`${kind} decompression is not supported yet`);
  }
}
