import { csvRow } from './csv';
import type { Cell, ExportRecord, TimesketchEvent } from './export-rows';
import { zonedIso } from './zoned-time';

/**
 * Timesketch's import format (JSONL or CSV, "Create timeline from JSON/JSONL/CSV file"): the
 * mandatory `message`, `datetime` (ISO 8601 with offset) and `timestamp_desc`, plus
 * `timestamp` in microseconds since the epoch, equal to `datetime`; every other field is an
 * attribute. Attributes keep Zeek's names (`id.orig_h`...) so saved searches carry over.
 */
export const TIMESKETCH_REQUIRED = ['message', 'datetime', 'timestamp', 'timestamp_desc'] as const;

/** The object one JSONL line holds; attributes without a value are left out. */
export function timesketchObject(ev: TimesketchEvent): ExportRecord {
  const out: ExportRecord = {
    message: ev.message, datetime: zonedIso(ev.timeUs, 'UTC'), timestamp: ev.timeUs, timestamp_desc: ev.timestampDesc,
  };
  for (const [k, v] of Object.entries(ev.attrs)) {
    if (v === null || v === undefined || (TIMESKETCH_REQUIRED as readonly string[]).includes(k)) continue;
    out[k] = v;
  }
  return out;
}

export function timesketchJsonLine(ev: TimesketchEvent): string {
  return `${JSON.stringify(timesketchObject(ev))}\n`;
}

/** The CSV header: the mandatory columns, then the attributes in the given order. */
export function timesketchCsvHeader(columns: readonly string[]): string {
  return csvRow([...TIMESKETCH_REQUIRED, ...columns]);
}

export function timesketchCsvLine(ev: TimesketchEvent, columns: readonly string[]): string {
  const o = timesketchObject(ev);
  return csvRow([...TIMESKETCH_REQUIRED, ...columns].map((c): Cell => o[c] ?? null));
}
