import { readFileSync } from 'node:fs';
import { detectSeparator, splitCsvRecord } from '../formats/csv/csv-split';
import { parseCidr } from '../model/ip';
import type { CaseStore } from '../store/case-store';
import { insertRows } from './row-insert';

/** One entry of the organisation's asset list. */
export interface AssetEntry {
  block: string;
  first: bigint;
  last: bigint;
  name: string | null;
  owner: string | null;
  criticality: string | null;
  /** Line of the CSV file it came from (1-based). */
  line: number;
}

export type AssetParse = { ok: true; entries: AssetEntry[] } | { ok: false; message: string };

const COLUMNS = ['address', 'name', 'owner', 'criticality'] as const;
const HEADER_ALIASES: Readonly<Record<string, (typeof COLUMNS)[number]>> = {
  address: 'address', addr: 'address', ip: 'address', cidr: 'address', network: 'address', block: 'address',
  name: 'name', host: 'name', hostname: 'name', owner: 'owner', criticality: 'criticality', critical: 'criticality',
};

/**
 * Reads an asset list: CSV (comma, semicolon or tab) with columns address-or-CIDR, name,
 * owner, criticality, in that order or named by a header line. A bad line is an error
 * naming the file and line: a half-read list would mislabel hosts without saying so.
 */
export function parseAssetList(text: string, file: string): AssetParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const firstLine = lines.find((l) => l.trim().length > 0) ?? '';
  const sep = detectSeparator(firstLine);
  let order: readonly (typeof COLUMNS)[number][] = COLUMNS;
  const entries: AssetEntry[] = [];
  let sawFirst = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw.length === 0 || raw.startsWith('#')) continue;
    const fields = splitCsvRecord(raw, sep)?.map((f) => f.trim());
    if (!fields) return { ok: false, message: `${file}: line ${i + 1}: a quoted field is not closed` };
    if (!sawFirst) {
      sawFirst = true;
      if (!parseCidr(fields[0])) {
        const named = fields.map((f) => HEADER_ALIASES[f.toLowerCase()]);
        if (!named.includes('address')) return { ok: false, message: `${file}: line ${i + 1}: '${fields[0]}' is neither an address nor a header naming an address column` };
        order = named;
        continue;
      }
    }
    const get = (c: (typeof COLUMNS)[number]): string | null => {
      const at = order.indexOf(c);
      const v = at < 0 ? undefined : fields[at];
      return v === undefined || v === '' ? null : v;
    };
    const addr = get('address') ?? '';
    const cidr = parseCidr(addr);
    if (!cidr) return { ok: false, message: `${file}: line ${i + 1}: '${addr}' is not an address or network (write 10.0.0.5 or 10.0.0.0/24)` };
    entries.push({ block: addr, first: cidr.first, last: cidr.last, name: get('name'), owner: get('owner'), criticality: get('criticality'), line: i + 1 });
  }
  return { ok: true, entries };
}

/** What an asset-list import did. */
export interface AssetImportResult {
  file: string;
  entries: number;
}

/** Replaces the case's asset list with the file's entries (audit-logged). */
export async function importAssetList(store: CaseStore, path: string, actor = 'user'): Promise<{ ok: true; result: AssetImportResult } | { ok: false; message: string }> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, message: `${path}: cannot read the asset list (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  const parsed = parseAssetList(text, path);
  if (!parsed.ok) return parsed;
  await store.transaction(async () => {
    await store.run(`DELETE FROM assets`);
    await insertRows(store, 'assets', [
      { name: 'first_ip', type: 'UHUGEINT' }, { name: 'last_ip', type: 'UHUGEINT' }, { name: 'block', type: 'VARCHAR' }, { name: 'name', type: 'VARCHAR' },
      { name: 'owner', type: 'VARCHAR' }, { name: 'criticality', type: 'VARCHAR' }, { name: 'line', type: 'INTEGER' },
    ], parsed.entries.map((e) => [e.first, e.last, e.block, e.name, e.owner, e.criticality, e.line]));
    await store.audit('assets.import', { file: path, entries: parsed.entries.length }, actor);
  });
  return { ok: true, result: { file: path, entries: parsed.entries.length } };
}
