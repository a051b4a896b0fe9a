import { ByteSource } from './byte-source';
import { decompress, detectCompression, type Compression } from './decompress';

/** An evidence file's bytes as decoders see them: decompressed when the file is compressed. */
export interface EvidenceStream {
  /** The file's own bytes (what is hashed); drain it after decoding so the hash covers the file. */
  readonly raw: ByteSource;
  /** What decoders read: `raw` itself, or its decompressed stream. */
  readonly source: ByteSource;
  readonly compression: Compression | null;
}

/** Recognises whole-file compression by magic bytes and wraps the chunks accordingly. */
export async function openEvidenceStream(chunks: AsyncIterable<Uint8Array>): Promise<EvidenceStream> {
  const raw = new ByteSource(chunks);
  await raw.ensure(8);
  const compression = detectCompression(raw.peek(Math.min(8, raw.available)));
  const source = compression ? new ByteSource(decompress(compression, raw.rest())) : raw;
  return { raw, source, compression };
}

/** The name format sniffers look at: without the compression suffix. */
export function decodedFileName(name: string, compression: Compression | null): string {
  return compression ? name.replace(/\.(gz|bz2|zst)$/i, '') : name;
}
