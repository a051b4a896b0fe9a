import type { DecodeContext, DecodeFailure, FlowSink, RecordProblem } from '../decoder';
import type { ByteSource } from './byte-source';

export interface Line {
  /** 1-based line number in the (decompressed) file. */
  readonly no: number;
  readonly text: string;
}

const decoder = new TextDecoder('utf-8');

/**
 * Reads text lines (LF or CRLF) from a ByteSource, yielding them in arrays so that a
 * text decoder pays one await per chunk, not per line. The last line may lack a newline.
 */
export async function* readLines(src: ByteSource): AsyncGenerator<Line[]> {
  let no = 0;
  let carry = '';
  for await (const chunk of src.rest()) {
    const text = carry + decoder.decode(chunk, { stream: true });
    const lines: Line[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let lineEnd = nl;
      if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      lines.push({ no: ++no, text: text.slice(start, lineEnd) });
      start = nl + 1;
    }
    carry = text.slice(start);
    if (lines.length) yield lines;
  }
  carry += decoder.decode();
  if (carry.length) yield [{ no: no + 1, text: carry.endsWith('\r') ? carry.slice(0, -1) : carry }];
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
    for (const { no, text } of lines) {
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await sink.yield();
        if (sink.aborted) return;
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
