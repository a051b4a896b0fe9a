import type { FlowInput } from '../../model/flow-batch';
import type { CsvMapping } from './csv-mapping';
import type { CsvPresetId } from './csv-presets';
import { csvRowToFlow } from './csv-row-to-flow';
import { CsvRecordAssembler, headerColumns, separatorOption, setupCsv } from './csv-setup';
import { detectSeparator, type CsvSeparator } from './csv-split';

export interface CsvPreviewRow {
  /** Line number of the record in the file (1-based). */
  readonly line: number;
  readonly fields: readonly string[];
  /** The flow the row becomes under the mapping, when it reads. */
  readonly flow?: FlowInput;
  /** Why it does not, when it does not. */
  readonly error?: string;
}

export interface CsvPreview {
  readonly separator: CsvSeparator;
  readonly columns: readonly string[];
  readonly preset: CsvPresetId | null;
  /** The mapping used: the one given, the preset's, or a guess from the column names (null: none). */
  readonly mapping: CsvMapping | null;
  readonly guessed: boolean;
  /** Why the mapping cannot be used (the dialog shows it beside the fields). */
  readonly mappingError?: string;
  readonly rows: readonly CsvPreviewRow[];
}

export interface CsvPreviewOptions {
  readonly separator?: CsvSeparator | 'tab';
  readonly hasHeader?: boolean;
  readonly timeZone?: string;
  readonly preset?: CsvPresetId | 'auto';
  /** Rows to parse (default 20). */
  readonly rows?: number;
}

/**
 * What the CSV import dialog shows: the separator, the columns, the preset the header matches,
 * and the first rows parsed under the mapping (given, preset or guessed). Pure: reads only `text`
 * (the head of the file), which may end in the middle of a line.
 */
export function previewCsv(text: string, mapping?: CsvMapping, opts: CsvPreviewOptions = {}): CsvPreview {
  const want = opts.rows ?? 20;
  const lines = text.split(/\r?\n/);
  // The last line of a head may be cut short; drop it unless the text ends with a newline.
  if (lines.length > 1 && !/\n$/.test(text)) lines.pop();
  const first = lines.findIndex((l) => l.trim() !== '');
  const options = { ...opts, ...(mapping ? { mapping } : {}) };
  const sep = separatorOption(options) ?? (first >= 0 ? detectSeparator(lines[first]) : ',');
  const asm = new CsvRecordAssembler(sep);
  const records: { no: number; fields: string[] }[] = [];
  for (let i = Math.max(first, 0); i < lines.length && records.length <= want; i++) {
    const r = asm.push(i + 1, lines[i]);
    if (r && !('unterminated' in r) && !(r.fields.length === 1 && r.fields[0].trim() === '')) records.push(r);
  }
  if (records.length === 0) return { separator: sep, columns: [], preset: null, mapping: mapping ?? null, guessed: false, rows: [] };
  const { columns, isHeader } = headerColumns(records[0].fields, options);
  const body = (isHeader ? records.slice(1) : records).slice(0, want);
  const setup = setupCsv(columns, options);
  if (typeof setup === 'string') {
    return { separator: sep, columns, preset: null, mapping: mapping ?? null, guessed: false, mappingError: setup, rows: body.map((r) => ({ line: r.no, fields: r.fields })) };
  }
  const rows = body.map((r): CsvPreviewRow => {
    const out = csvRowToFlow(r.fields, setup.mapping, r.no, setup.clock);
    return 'code' in out ? { line: r.no, fields: r.fields, error: out.message } : { line: r.no, fields: r.fields, flow: out };
  });
  return { separator: sep, columns, preset: setup.preset, mapping: setup.named, guessed: setup.guessed, rows };
}
