import { readFileSync } from 'node:fs';

/** One row of a Zeek conn.log (TSV, or a `zeek-cut -m` .cut file), fields by name. */
export type ZeekRow = Record<string, string>;

/** Parses a Zeek TSV conn.log or a `.conn.log.cut` file (header line without '#'). */
export function readZeekConnLog(path: string): ZeekRow[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  let fields: string[] | null = null;
  const rows: ZeekRow[] = [];
  for (const line of lines) {
    if (line.startsWith('### ') || line === '') continue;
    if (line.startsWith('#fields\t')) { fields = line.split('\t').slice(1); continue; }
    if (line.startsWith('#')) continue;
    const cols = line.split('\t');
    if (!fields) { fields = cols; continue; } // zeek-cut -m header
    const row: ZeekRow = {};
    fields.forEach((f, i) => { row[f] = cols[i] ?? '-'; });
    rows.push(row);
  }
  return rows;
}
