import type { FormatLoader } from '../decoder';
import { timeZoneOption } from '../format-options';
import { CSV_TIME_FORMATS } from './csv-time';
import { decodeCsv } from './decode-csv';
import { guessMapping } from './csv-mapping';
import { detectPreset } from './csv-presets';
import { detectSeparator, splitCsvRecord } from './csv-split';

const utf8 = new TextDecoder('utf-8');

/** Generic CSV flow exports with presets for `nfdump -o csv` and CICFlowMeter, or an explicit column mapping. */
export const csvLoader: FormatLoader = {
  id: 'csv',
  label: 'CSV flow export (nfdump -o csv, CICFlowMeter, mapped columns)',
  extensions: ['.csv', '.tsv', '.txt'],
  patterns: ['*.csv (nfdump -o csv)', '*_Flow.csv / *.pcap_ISCX.csv (CICFlowMeter)', '*.csv with a column mapping'],
  positionUnit: 'line',
  options: [
    {
      key: 'mapping', flag: null, kind: 'csv-mapping', label: 'Columns', defaultText: 'a preset, else a guess from the header',
      help: 'Which column is which flow field, with the time format and zone (the app\'s Map columns dialog).',
    },
    // The rest are set by the mapping in the app; the command line has them as flags.
    {
      key: 'preset', flag: 'preset', kind: 'choice', choices: ['auto', 'nfdump', 'cicflowmeter'], label: 'Preset', defaultText: 'auto', inPanel: false,
      help: 'Read the columns as nfdump -o csv or CICFlowMeter write them; auto recognises them from the header.',
    },
    {
      key: 'separator', flag: 'separator', kind: 'choice', choices: [',', ';', 'tab'], label: 'Separator', defaultText: 'from the header line', inPanel: false,
      help: 'The field separator.',
    },
    {
      key: 'hasHeader', flag: 'has-header', kind: 'boolean', label: 'Header line', defaultText: 'true', inPanel: false,
      help: 'false: the first line is data; columns are then named col1, col2...',
    },
    {
      key: 'timeFormat', flag: 'time-format', kind: 'choice', choices: CSV_TIME_FORMATS, label: 'Time format', defaultText: 'auto', inPanel: false,
      help: 'How times are written: ISO 8601, epoch seconds/ms/µs, or day-first / month-first dates.',
    },
    timeZoneOption('time-zone', 'Zone of times written without an offset (IANA name).', false),
  ],
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
