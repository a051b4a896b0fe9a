import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Compression } from '../formats/common/decompress';
import { decodedFileName, openEvidenceStream } from '../formats/common/evidence-stream';
import { sniffFormat } from '../formats/index';

export interface FileHead {
  readonly head: Uint8Array;
  readonly compression: Compression | null;
  /** File name without a compression suffix: what the format sniffers look at. */
  readonly decodeName: string;
  readonly size: number;
}

/** The first `bytes` of a file as a decoder will see them (decompressed when the file is). */
export async function readFileHead(path: string, bytes = 64 * 1024): Promise<FileHead> {
  const size = (await stat(path)).size;
  const stream = createReadStream(path, { highWaterMark: 1 << 16, end: Math.max(0, Math.min(size, 4 << 20) - 1) });
  try {
    const { source: src, compression } = await openEvidenceStream(stream as AsyncIterable<Uint8Array>);
    await src.ensure(bytes).catch(() => false); // a head cut inside a compressed block still sniffs
    const head = src.peek(Math.min(bytes, src.available)).slice();
    const name = basename(path);
    return { head, compression, decodeName: decodedFileName(name, compression), size };
  } finally {
    stream.destroy();
  }
}

/** Which formats recognise a file, best first. */
export async function sniffFile(path: string) {
  const h = await readFileHead(path);
  return { ...h, candidates: sniffFormat(h.head, h.decodeName).map((r) => ({ id: r.loader.id, label: r.loader.label, score: r.score })) };
}
