import type { FormatLoader } from '../decoder';
import { KEEP_ARP_OPTION, dateOption, timeZoneOption } from '../format-options';
import { countArgusLabels, mapArgusHeader } from './argus-csv-layout';
import { decodeArgusCsv, detectSeparator } from './decode-argus-csv';

/** How sure the head of a file is ra CSV: a header line of Argus column labels. */
export function sniffArgusCsv(head: Uint8Array, fileName: string): number {
  const byName = /\.(binetflow|argus\.csv|ra\.csv)$/i.test(fileName);
  const text = new TextDecoder('latin1').decode(head.subarray(0, 4096));
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '');
  if (first === undefined) return 0;
  const sep = detectSeparator(first);
  if (sep === null) return 0;
  const labels = first.split(sep);
  if (mapArgusHeader(labels) === null) return 0;
  const known = countArgusLabels(labels);
  if (known < 4) return byName ? 0.3 : 0.1;
  return byName ? 0.95 : 0.9;
}

/**
 * Argus CSV as `ra -c ,` (or another -c separator) writes it, with any -s field selection,
 * including CTU-13 / Stratosphere `.binetflow` files (Label column kept in `label`).
 */
export const argusCsvLoader: FormatLoader = {
  id: 'argus-csv',
  label: 'Argus CSV (ra -c) / CTU-13 binetflow',
  extensions: ['.binetflow', '.csv'],
  patterns: ['*.binetflow', '*.argus.csv', 'ra -c , output'],
  positionUnit: 'line',
  options: [
    timeZoneOption('utc-offset', 'Zone of the wall-clock times in the file: UTC or an offset such as +01:00.'),
    dateOption('The day of time-of-day stamps (ra\'s default %T.%f prints no date).', 'none: needed only for times of day'),
    KEEP_ARP_OPTION,
  ],
  sniff: sniffArgusCsv,
  decode: decodeArgusCsv,
};
