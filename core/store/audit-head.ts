import { chainHead } from './audit-chain';
import type { CaseStore } from './case-store';

/** The head of the audit chain: what a report or export names as the state of the case it came from. */
export interface AuditHead {
  /** audit_log id of the newest chained entry. */
  id: number;
  /** Its chain hash (store/audit-chain.ts); null only for a log that was never chained. */
  hash: string | null;
}

/**
 * The head of the hash-chained audit log (#14), printed as the "custody" line of every
 * report and carried as the `custody` field of JSON exports: a later edit of the case
 * changes the head, so it no longer matches what a printed report shows. Null for a case
 * whose log is empty.
 */
export async function auditHead(store: CaseStore): Promise<AuditHead | null> {
  const head = await chainHead(store);
  if (head) return { id: head.seq, hash: head.hash };
  const row = await store.one<{ id: bigint }>(`SELECT id FROM audit_log ORDER BY id DESC LIMIT 1`);
  return row ? { id: Number(row.id), hash: null } : null;
}

/** The custody line as reports print it. */
export function custodyText(head: AuditHead | null): string {
  if (!head) return 'audit log empty';
  return head.hash
    ? `audit chain head: entry #${head.id}, SHA-256 ${head.hash} (check with flowcase verify)`
    : `audit log entry #${head.id} (not hash-chained)`;
}
