import { createHash } from 'node:crypto';
import { canonicalJson, type ChainStore } from './audit-chain';

/** One import_log row as the chain refers to it: its id and the hash of its content. */
export interface ImportLogRef {
  id: number;
  hash: string;
}

export interface ImportLogFields {
  path: string;
  outcome: string;
  message: string | null;
  sha256: string | null;
  format: string | null;
  evidenceId: number | null;
  records: number | null;
  rejected: number | null;
  ms: number;
}

const COLUMNS = `id, at_us, path, sha256, format, outcome, message, evidence_id, records, rejected, ms`;

/** The hash of an import_log row as read back from the case (writer and verifier read it the same way). */
export function importLogRowHash(r: Record<string, unknown>): string {
  const norm = Object.fromEntries(COLUMNS.split(', ').map((k) => [k, typeof r[k] === 'bigint' ? String(r[k]) : r[k] ?? null]));
  return createHash('sha256').update(canonicalJson(norm)).digest('hex');
}

/** Every import_log row with its hash, by id. */
export async function importLogHashes(store: ChainStore): Promise<Map<number, string>> {
  const rows = await store.all(`SELECT ${COLUMNS} FROM import_log ORDER BY id`);
  return new Map(rows.map((r) => [Number(r.id), importLogRowHash(r)]));
}

/** Writes one import_log row and returns its reference, for the audit entry that records it. */
export async function writeImportLog(store: ChainStore, f: ImportLogFields): Promise<ImportLogRef> {
  const idRow = await store.one<{ id: bigint }>(`SELECT nextval('import_log_seq') AS id`);
  const id = Number(idRow!.id);
  await store.run(
    `INSERT INTO import_log (id, at_us, path, sha256, format, outcome, message, evidence_id, records, rejected, ms)
     VALUES ($id, $at, $path, $sha, $format, $outcome, $message, $eid, $records, $rejected, $ms)`,
    {
      id: BigInt(id), at: BigInt(Date.now() * 1000), path: f.path, sha: f.sha256, format: f.format, outcome: f.outcome, message: f.message,
      eid: f.evidenceId, records: f.records === null ? null : BigInt(f.records), rejected: f.rejected === null ? null : BigInt(f.rejected), ms: f.ms,
    },
  );
  const row = await store.one(`SELECT ${COLUMNS} FROM import_log WHERE id = $id`, { id: BigInt(id) });
  return { id, hash: importLogRowHash(row!) };
}
