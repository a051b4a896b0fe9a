import type { DecodeContext, DecodeFailure } from '../decoder';
import { ExportDecoder } from './export-decoder';

/** Bytes looked at per step; a message is at most 64 KiB. */
const WINDOW = 256 * 1024;

/**
 * Decodes a raw file of NetFlow v5 / v9 / IPFIX messages: one UDP payload per file, or
 * messages back to back (an RFC 5655 IPFIX file is exactly that). Any mix of versions
 * is accepted; positions are byte offsets of the records in the file.
 */
export async function decodeExportStream(ctx: DecodeContext): Promise<DecodeFailure | void> {
  const { source, sink } = ctx;
  const dec = new ExportDecoder(sink);
  let want = WINDOW;
  for (;;) {
    if (sink.aborted) return;
    const final = !(await source.ensure(want));
    if (source.available === 0) break;
    const start = source.pos;
    const base = source.offset - source.pos;
    const consumed = dec.decodeMessages(source.buf, start, source.end, base, undefined, -1, final);
    source.skip(consumed - start);
    if (final && source.available === 0) break;
    // No progress: the next message is longer than the window holds; ask for more.
    want = consumed === start ? source.available + WINDOW : WINDOW;
    await sink.yield();
  }
  if (dec.session.datagrams === 0 && dec.badHeaders === 0) {
    return { code: 'not-netflow', offset: 0, message: 'no NetFlow v5/v9 or IPFIX message found' };
  }
  dec.finish();
}
