import type { DecodeOptions } from '../decoder';
import { MAPPING_FIELDS, guessMapping, normaliseColumn, resolveMapping, type CsvMapping, type ResolvedMapping } from './csv-mapping';
import { detectPreset, presetById, type CsvPresetId } from './csv-presets';
import { splitCsvRecord, type CsvSeparator } from './csv-split';
import { ZonedClock } from './zoned-time';

/** How a CSV file will be read, decided from its header and the decode options. */
export interface CsvSetup {
  readonly mapping: ResolvedMapping;
  /** The mapping as names (what the dialog shows and the evidence facts record). */
  readonly named: CsvMapping;
  readonly preset: CsvPresetId | null;
  /** True when no preset fits and the mapping was guessed from common column names. */
  readonly guessed: boolean;
  readonly clock: ZonedClock;
}

/**
 * Picks the mapping: an explicit `mapping` option wins, then a `preset` option, then the preset
 * the header matches, then a guess from the column names. Returns an error message otherwise.
 */
export function setupCsv(columns: readonly string[], options: DecodeOptions): CsvSetup | string {
  let named: CsvMapping | null;
  let preset: CsvPresetId | null = null;
  let quirks = {};
  let guessed = false;
  if (options.mapping && typeof options.mapping === 'object') {
    named = options.mapping as CsvMapping;
  } else if (typeof options.preset === 'string' && options.preset !== 'auto') {
    const p = presetById(options.preset, columns);
    if (!p) return `preset '${options.preset}' does not fit this header (presets: nfdump, cicflowmeter)`;
    named = presentOnly(p.mapping, columns);
    quirks = p.quirks;
    preset = p.id;
  } else {
    const p = detectPreset(columns);
    if (p) {
      named = presentOnly(p.mapping, columns);
      quirks = p.quirks;
      preset = p.id;
    } else {
      named = guessMapping(columns);
      guessed = named !== null;
    }
  }
  if (!named) return `no preset fits the columns (${columns.join(', ')}) and no start time / source / destination columns are recognisable: give a 'mapping' option`;
  if (typeof options.timeFormat === 'string' && !named.timeFormat) named = { ...named, timeFormat: options.timeFormat as CsvMapping['timeFormat'] };
  const tz = named.timeZone ?? (typeof options.timeZone === 'string' ? options.timeZone : 'UTC');
  const clock = ZonedClock.of(tz);
  if (!clock) return `timeZone '${tz}' is not an IANA time zone name`;
  const resolved = resolveMapping(columns, named, quirks);
  if (typeof resolved === 'string') return resolved;
  return { mapping: resolved, named, preset, guessed, clock };
}

/**
 * A preset names every column its tool can write; versions and options (`nfdump -o csv` in 1.6
 * vs 1.7, CICFlowMeter ports) drop some. Optional ones the header lacks are left out.
 */
function presentOnly(mapping: CsvMapping, columns: readonly string[]): CsvMapping {
  const have = new Set(columns.map(normaliseColumn));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mapping)) {
    if (typeof v === 'string' && (MAPPING_FIELDS as readonly string[]).includes(k) && !REQUIRED.has(k) && !have.has(normaliseColumn(v))) continue;
    out[k] = Array.isArray(v) ? v.filter((c: string) => have.has(normaliseColumn(c))) : v;
  }
  return out as unknown as CsvMapping;
}

const REQUIRED = new Set(['startTime', 'srcAddr', 'dstAddr']);

/** Header columns of a file, or col1..colN when the options say it has no header line. */
export function headerColumns(firstRecord: readonly string[], options: DecodeOptions): { columns: string[]; isHeader: boolean } {
  if (options.hasHeader === false) return { columns: firstRecord.map((_, i) => `col${i + 1}`), isHeader: false };
  return { columns: firstRecord.map((c) => c.trim().replace(/^\uFEFF/, '')), isHeader: true };
}

/** The separator option, if valid. */
export function separatorOption(options: DecodeOptions): CsvSeparator | null {
  const s = options.separator;
  return s === ',' || s === ';' || s === '\t' ? s : s === 'tab' ? '\t' : null;
}

/**
 * Joins physical lines into CSV records: a quoted field may hold line breaks (RFC 4180 §2.6).
 * A quote left open for more than MAX_LINES lines is given up on, so that a stray quote costs
 * a bounded number of lines, not the rest of the file.
 */
export class CsvRecordAssembler {
  static readonly MAX_LINES = 64;
  private pending = '';
  private pendingStart = 0;
  private pendingLines = 0;

  constructor(private readonly sep: string) {}

  /**
   * Adds a line; returns the completed record with its first line number, null while a quoted
   * field is still open, or an `unterminated` marker when the record was abandoned.
   */
  push(no: number, text: string): { no: number; fields: string[] } | { no: number; unterminated: true } | null {
    const joined = this.pendingLines ? `${this.pending}\n${text}` : text;
    const start = this.pendingLines ? this.pendingStart : no;
    const fields = splitCsvRecord(joined, this.sep);
    if (fields) {
      this.pendingLines = 0;
      this.pending = '';
      return { no: start, fields };
    }
    if (this.pendingLines + 1 >= CsvRecordAssembler.MAX_LINES) {
      this.pendingLines = 0;
      this.pending = '';
      return { no: start, unterminated: true };
    }
    this.pending = joined;
    this.pendingStart = start;
    this.pendingLines++;
    return null;
  }

  /** The record still open at the end of the file, if any. */
  finish(): { no: number; unterminated: true } | null {
    if (!this.pendingLines) return null;
    this.pendingLines = 0;
    return { no: this.pendingStart, unterminated: true };
  }
}
