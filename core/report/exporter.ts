import type { AuditHead } from '../store/audit-head';
import { csvRow } from './csv';
import type { ExportSource } from './export-rows';
import type { TextOut } from './zeek-conn-writer';
import { timesketchCsvHeader, timesketchCsvLine, timesketchJsonLine } from './timesketch';

export const EXPORT_FORMATS = ['csv', 'json', 'timesketch', 'timesketch-csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type { TextOut };

/** What a JSON export says about where it came from (the custody field is the audit-log head). */
export interface ExportMeta {
  generator: string;
  caseName: string;
  custody: AuditHead | null;
  /** The filter, window or host the rows were chosen by, as the user gave them. */
  selection: Record<string, string | number | null>;
}

/** The file name extension of a format. */
export function exportExtension(format: ExportFormat): string {
  return format === 'csv' || format === 'timesketch-csv' ? 'csv' : format === 'json' ? 'json' : 'jsonl';
}

/**
 * Writes an export in one of the four formats, streaming row by row; returns the number of
 * rows. JSON is one object {flowcase, kind, case, custody, selection, rows, count}; CSV has a
 * header line; Timesketch JSONL is one event per line and its CSV has Timesketch's columns.
 */
export async function writeExport(src: ExportSource, format: ExportFormat, out: TextOut, meta: ExportMeta): Promise<number> {
  let count = 0;
  // A file sink answers a full buffer with a promise: waiting on it keeps memory bounded.
  const put = async (s: string): Promise<void> => { await out.write(s); };
  if (format === 'csv') {
    await put(csvRow(src.columns));
    for await (const { record } of src.rows) { await put(csvRow(src.columns.map((c) => record[c] ?? null))); count++; }
  } else if (format === 'json') {
    await put(`{"flowcase":${JSON.stringify(meta.generator)},"kind":${JSON.stringify(src.kind)},"case":${JSON.stringify(meta.caseName)},`
      + `"custody":${JSON.stringify(meta.custody)},"selection":${JSON.stringify(meta.selection)},"rows":[`);
    for await (const { record } of src.rows) { await put(`${count ? ',' : ''}\n${JSON.stringify(record)}`); count++; }
    await put(`\n],"count":${count}}\n`);
  } else if (format === 'timesketch') {
    for await (const { event } of src.rows) { await put(timesketchJsonLine(event)); count++; }
  } else {
    await put(timesketchCsvHeader(src.timesketchColumns));
    for await (const { event } of src.rows) { await put(timesketchCsvLine(event, src.timesketchColumns)); count++; }
  }
  return count;
}
