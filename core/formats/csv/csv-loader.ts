import type { FormatLoader } from '../decoder';
import { decodeCsv } from './decode-csv';
import { guessMapping } from './csv-mapping';
import { detectPreset } from './csv-presets';
import { detectSeparator, splitCsvRecord } from './csv-split';

const utf8 = new TextDecoder('utf-8');

/**
 * Generic CSV flow exports with presets for `nfdump -o csv` and CICFlowMeter, or an explicit
 * column mapping. Decode options: `mapping` (CsvMapping), `preset`, `separator` (',' ';' 'tab'),
 * `hasHeader`, `timeZone`, `timeFormat`.
 */
export const csvLoader: FormatLoader = {
  id: 'csv',
  label: 'CSV flow export (nfdump -o csv, CICFlowMeter, mapped columns)',
  extensions: ['.csv', '.tsv', '.txt'],
  patterns: ['*.csv (nfdump -o csv)', '*_Flow.csv / *.pcap_ISCX.csv (CICFlowMeter)', '*.csv with a column mapping'],
  positionUnit: 'line',
  sniff: sniffCsv,
  decode: decodeCsv,
};

/**
 * Sure of the presets' headers; a low score for other delimited text whose header names
 * addresses and a time (more specific loaders, e.g. Argus CSV, should win those).
 */
export function sniffCsv(head: Uint8Array, fileName: string): number {
  const text = utf8.decode(head.subarray(0, 16384)).replace(/^\uFEFF/, '');
  const nl = text.indexOf('\n');
  const first = (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
  if (first.startsWith('#') || first.startsWith('{')) return 0;
  const sep = detectSeparator(first);
  const columns = splitCsvRecord(first, sep);
  if (!columns || columns.length < 3) return 0;
  const preset = detectPreset(columns);
  if (preset?.id === 'nfdump') return 0.95;
  if (preset) return 0.9;
  if (guessMapping(columns)) return 0.3;
  return /\.(csv|tsv)$/i.test(fileName) ? 0.05 : 0;
}
