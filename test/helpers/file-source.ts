import { createReadStream } from 'node:fs';
import { ByteSource } from '../../core/formats/common/byte-source';

/** A ByteSource streaming a file from disk in 1 MiB chunks. */
export function fileSource(path: string, chunkSize = 1 << 20): ByteSource {
  return new ByteSource(createReadStream(path, { highWaterMark: chunkSize }) as AsyncIterable<Uint8Array>);
}
