import { appendChained, type ChainStore } from './audit-chain';
import { importLogHashes, type ImportLogRef } from './import-log';
import { rowsDigests } from './rows-digest';

/**
 * What the audit chain records about one evidence file when it enters the case: its
 * identity (path, name, SHA-256, size, format), its counts, the digest of the flow rows
 * stored for it, and the import_log row written with it. `verify` compares the evidence
 * table, the import log and the flows against this record.
 */
export interface EvidenceSeal {
  evidenceId: number;
  path: string;
  name: string;
  sha256: string;
  size: number;
  format: string;
  records: number;
  rejected: number;
  rows: number;
  rowsDigest: string;
  importLog: ImportLogRef | null;
}

/** The evidence columns a seal covers, read the same way by the writer and by verify. */
export const SEALED_EVIDENCE_SQL = `SELECT evidence_id, path, name, sha256, size, format, records, rejected, rows_digest FROM evidence`;

export function sealFromRow(r: Record<string, unknown>, rows: number, rowsDigest: string, importLog: ImportLogRef | null): EvidenceSeal {
  return {
    evidenceId: Number(r.evidence_id), path: String(r.path), name: String(r.name), sha256: String(r.sha256), size: Number(r.size),
    format: String(r.format), records: Number(r.records), rejected: Number(r.rejected), rows, rowsDigest, importLog,
  };
}

/** The fields of a seal that the evidence table must still show (the digest is checked against the flows). */
export const SEALED_FIELDS = ['path', 'name', 'sha256', 'size', 'format', 'records', 'rejected'] as const;

/**
 * Evidence imported before row digests existed (schema < 9): its rows are digested now and
 * sealed by a `custody.evidence-sealed` entry, which proves the rows from the upgrade on.
 */
export async function sealLegacyEvidence(store: ChainStore): Promise<number> {
  const legacy = await store.all(`${SEALED_EVIDENCE_SQL} WHERE rows_digest IS NULL ORDER BY evidence_id`);
  const logs = await importLogHashes(store);
  if (logs.size) {
    // The import log as found at the upgrade: each row's hash, so a later edit or deletion shows.
    await appendChained(store, 'custody.import-log-sealed', { importLogs: [...logs].map(([id, hash]) => ({ id, hash })) }, 'flowcase');
  }
  if (!legacy.length) return 0;
  const digests = await rowsDigests(store, legacy.map((r) => Number(r.evidence_id)));
  for (const r of legacy) {
    const id = Number(r.evidence_id);
    const d = digests.get(id)!;
    await store.run(`UPDATE evidence SET rows_digest = $d WHERE evidence_id = $id`, { d: d.digest, id });
    await appendChained(store, 'custody.evidence-sealed', sealFromRow(r, d.rows, d.digest, null), 'flowcase');
  }
  return legacy.length;
}
