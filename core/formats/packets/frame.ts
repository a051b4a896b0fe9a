import type { ByteSource } from '../common/byte-source';
import type { FlowSink } from '../decoder';

/**
 * One capture record located by a framer (pcap or pcapng): where the frame's bytes are in
 * the source buffer and what the record header said. Reused for every record.
 */
export class Frame {
  /** File offset of the record (pcap record header / pcapng block start). */
  offset = 0;
  tsUs = 0;
  capLen = 0;
  wireLen = 0;
  /** Index of the frame's first byte in ByteSource.buf (valid until the next ensure()). */
  dataPos = 0;
  linkType = 0;
  interfaceId = 0;
  /** For NEED: bytes that must be available at source.pos; for SKIP: bytes to skip. */
  need = 0;
}

/** A frame is ready in Frame. */
export const FRAME = 1;
/** More bytes are needed: `await source.ensure(frame.need)` and call again. */
export const NEED = 0;
/** A block was consumed without a frame (pcapng IDB, statistics...): call again. */
export const AGAIN = 2;
/** Skip frame.need bytes (which may not be buffered yet) and call again. */
export const SKIP = 3;
/** The stream cannot be followed any further (the reason was reported). */
export const STOP = -1;

/** Record-level reader of one capture container format. */
export interface Framer {
  /** Reads the next record at source.pos; returns FRAME, NEED, AGAIN, SKIP or STOP. */
  next(frame: Frame): number;
  /** Facts for the evidence row (link types, interfaces...). */
  facts(): Record<string, unknown>;
}

/**
 * A framer lacks `need` bytes at source.pos: before the end of the stream it asks for them
 * (NEED); at the end, the bytes left are a cut-off last record (`what`), rejected, and the
 * stream stops.
 */
export function shortRecord(f: Frame, need: number, eof: boolean, src: ByteSource, sink: FlowSink, what: string): number {
  if (!eof) {
    f.need = need;
    return NEED;
  }
  const left = src.available;
  if (left > 0) {
    sink.reject({ code: 'truncated-record', offset: src.offset, length: left, message: `${what} is cut off: ${left} of ${need} bytes present` });
    src.skip(left);
  }
  return STOP;
}
