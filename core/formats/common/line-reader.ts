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
  if (carry.length) yield [{ no: ++no, text: carry.endsWith('\r') ? carry.slice(0, -1) : carry }];
}
