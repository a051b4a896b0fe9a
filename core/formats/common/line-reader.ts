import type { DecodeContext, DecodeFailure, FlowSink, RecordProblem } from '../decoder';
import type { ByteSource } from './byte-source';

export interface Line {
  /** 1-based line number in the (decompressed) file. */
  readonly no: number;
  readonly text: string;
  /** Set (to the line's length) when the line is longer than the limit: text is then empty. */
  readonly tooLong?: number;
}

const decoder = new TextDecoder('utf-8');

/** The longest line a text format reads (characters); a longer one is rejected as line-too-long. */
export const MAX_LINE_CHARS = 1 << 20;

/**
 * Reads text lines (LF or CRLF) from a ByteSource, yielding them in arrays so that a
 * text decoder pays one await per chunk, not per line. The last line may lack a newline.
 * Linear in the input: each chunk is scanned once, an unfinished line is kept as pieces
 * (never re-scanned or re-copied per chunk), and a line past `maxChars` stops being kept at
 * all (only counted) and comes out with `tooLong`. Every chunk yields an array, empty while
 * a long line goes on, so the caller can hand back control (progress, cancel).
 */
export async function* readLines(src: ByteSource, maxChars = MAX_LINE_CHARS): AsyncGenerator<Line[]> {
  let no = 0;
  let parts: string[] = [];
  let partLen = 0;
  let overlong = false;
  const finish = (piece: string): Line => {
    no++;
    const length = partLen + piece.length;
    let line: Line;
    if (overlong || length > maxChars) line = { no, text: '', tooLong: length };
    else {
      const text = parts.length ? parts.join('') + piece : piece;
      line = { no, text: text.endsWith('\r') ? text.slice(0, -1) : text };
    }
    parts = [];
    partLen = 0;
    overlong = false;
    return line;
  };
  const keep = (piece: string): void => {
    if (!piece.length) return;
    partLen += piece.length;
    if (!overlong && partLen > maxChars) {
      overlong = true;
      parts = [];
    }
    if (!overlong) parts.push(piece);
  };
  for await (const chunk of src.rest()) {
    const text = decoder.decode(chunk, { stream: true });
    const lines: Line[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      lines.push(finish(text.slice(start, nl)));
      start = nl + 1;
    }
    keep(start === 0 ? text : text.slice(start));
    yield lines;
  }
  keep(decoder.decode());
  if (partLen > 0) yield [finish('')];
}

/** Lines between two hand-backs to the ingest layer (progress, batches, cancel). */
const YIELD_EVERY = 4096;

/**
 * The loop every text format shares: hands each line of the evidence to `onLine`, yields to
 * the ingest layer every 4096 lines (counted per line, not per flow, so that a file of bad
 * lines still lets progress and cancel through) and stops when the import is cancelled.
 * `onLine` returns a DecodeFailure to stop with it (the file turned out unreadable).
 * Callers check `sink.aborted` before finishing up.
 */
export async function forEachLine(ctx: DecodeContext, onLine: (no: number, text: string) => DecodeFailure | void): Promise<DecodeFailure | void> {
  const { sink } = ctx;
  let sinceYield = 0;
  for await (const lines of readLines(ctx.source)) {
    if (!lines.length) {
      // A chunk inside one long line: progress, cancel and the size checks still get their turn.
      await sink.yield();
      if (sink.aborted) return;
      continue;
    }
    for (const { no, text, tooLong } of lines) {
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await sink.yield();
        if (sink.aborted) return;
      }
      if (tooLong !== undefined) {
        rejectLine(sink, no, { code: 'line-too-long', message: `${tooLong.toLocaleString('en-US')} characters, more than the ${MAX_LINE_CHARS.toLocaleString('en-US')} a line may have; not read` });
        continue;
      }
      const failure = onLine(no, text);
      if (failure) return failure;
    }
  }
}

/** Rejects the record at line `no` with its reason, the line named in the message. */
export function rejectLine(sink: FlowSink, no: number, problem: RecordProblem): void {
  sink.reject({ code: problem.code, offset: no, message: `line ${no}: ${problem.message}` });
}
