import { readFileSync } from 'node:fs';

/** One data record of libfixbuf's `ipfixDump` output: template id and "name -> value". */
export interface IpfixDumpRecord {
  tid: number;
  fields: Record<string, string>;
}

/** Parses the data records of an `ipfixDump` text file, in file order. */
export function readIpfixDump(path: string): { records: IpfixDumpRecord[]; stats: string } {
  const records: IpfixDumpRecord[] = [];
  let cur: IpfixDumpRecord | null = null;
  let stats = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('--- data record')) { cur = { tid: -1, fields: {} }; records.push(cur); continue; }
    if (line.startsWith('---') || line.startsWith('***')) {
      cur = null;
      if (line.startsWith('*** File Stats')) stats = line;
      continue;
    }
    if (!cur) continue;
    const t = /tid:\s+(\d+)/.exec(line);
    if (t) { cur.tid = Number(t[1]); continue; }
    const f = /^\s+\(\d+\)\s+(\S+) : (.*)$/.exec(line);
    if (f) cur.fields[f[1]] = f[2];
  }
  return { records, stats };
}
