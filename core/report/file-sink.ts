import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** A file to write an export into, honouring backpressure: write() returns a promise to await when the buffer is full. */
export interface FileSink {
  write(chunk: string): Promise<void> | undefined;
  close(): Promise<void>;
}

export function fileSink(path: string): FileSink {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  let failed: Error | null = null;
  stream.on('error', (e) => { failed = e; });
  return {
    write(chunk) {
      if (failed) throw failed;
      return stream.write(chunk) ? undefined : once(stream, 'drain').then(() => undefined);
    },
    async close() {
      if (failed) throw failed;
      stream.end();
      await once(stream, 'finish');
    },
  };
}
