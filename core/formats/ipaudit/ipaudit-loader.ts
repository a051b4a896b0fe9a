import type { FormatLoader } from '../decoder';
import { dateOption, timeZoneOption } from '../format-options';
import { decodeIpaudit } from './decode-ipaudit';

const latin1 = new TextDecoder('latin1');
const PADDED = /^\d{3}\.\d{3}\.\d{3}\.\d{3} \d{3}\.\d{3}\.\d{3}\.\d{3} \d{1,3} \d{1,5} \d{1,5} \d+ \d+ \d+ \d+( |$)/;
const PLAIN = /^\d{1,3}(\.\d{1,3}){3} \d{1,3}(\.\d{1,3}){3} \d{1,3} \d{1,5} \d{1,5} \d+ \d+ \d+ \d+( \d{1,2}:\d{2}:\d{2}\.\d+ \d{1,2}:\d{2}:\d{2}\.\d+ [12] [12])?\s*$/;

/** IPAudit text output (`ipaudit -t`), e.g. IPAudit-Web's `2006-03-27-08:00.txt.gz`. */
export const ipauditLoader: FormatLoader = {
  id: 'ipaudit',
  label: 'IPAudit text output',
  extensions: ['.txt'],
  patterns: ['YYYY-MM-DD-HH:MM.txt(.gz)'],
  positionUnit: 'line',
  options: [
    dateOption('The day IPAudit\'s times belong to: they carry no date. Needed when the file name has none.', 'from the file name (2006-03-27-08:00.txt)', true),
    timeZoneOption('time-zone', 'Zone of the times in the file (IANA name, e.g. Europe/Berlin).'),
  ],
  sniff: sniffIpaudit,
  decode: decodeIpaudit,
};

/** Zero-padded dotted quads followed by seven counts are IPAudit's signature. */
export function sniffIpaudit(head: Uint8Array, fileName: string): number {
  const text = latin1.decode(head.subarray(0, 4096));
  const first = text.slice(0, text.indexOf('\n') >>> 0).trim();
  if (PADDED.test(first)) return 0.95;
  if (PLAIN.test(first)) return /^\d{4}-\d{2}-\d{2}-\d{2}.?\d{2}\.txt/.test(fileName) ? 0.9 : 0.5;
  return 0;
}
