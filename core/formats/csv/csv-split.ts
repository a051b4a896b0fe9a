/** Field separators a CSV export may use; the header line decides. */
export type CsvSeparator = ',' | ';' | '\t';

/**
 * Splits one CSV record (RFC 4180 §2: fields optionally in double quotes, `""` inside quotes
 * is a quote, separators and line breaks inside quotes are data). Returns null when a quoted
 * field is still open at the end of the text, so that the caller can append the next line.
 */
export function splitCsvRecord(text: string, sep: string): string[] | null {
  if (text.indexOf('"') < 0) return text.split(sep);
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (i < n && text.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return null;
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) { value += '"'; j = q + 2; continue; }
        i = q + 1;
        break;
      }
      // Lenient: text between the closing quote and the separator is kept (RFC 4180 forbids it).
      const next = text.indexOf(sep, i);
      const tail = next < 0 ? text.slice(i) : text.slice(i, next);
      out.push(value + tail);
      if (next < 0) return out;
      i = next + sep.length;
    } else {
      const next = text.indexOf(sep, i);
      if (next < 0) { out.push(text.slice(i)); return out; }
      out.push(text.slice(i, next));
      i = next + sep.length;
    }
  }
}

/** The separator that splits a header line into the most fields (outside quotes); comma on ties. */
export function detectSeparator(headerLine: string): CsvSeparator {
  let best: CsvSeparator = ',';
  let bestCount = 0;
  for (const sep of [',', '\t', ';'] as const) {
    const fields = splitCsvRecord(headerLine, sep);
    const count = fields ? fields.length : 0;
    if (count > bestCount) { best = sep; bestCount = count; }
  }
  return best;
}
