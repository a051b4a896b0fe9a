import type { CaseStore } from './case-store';

/** The newest audit-log entry: what a report or export names as the state of the case it came from. */
export interface AuditHead {
  /** audit_log id of the newest entry. */
  id: number;
  /** Its chain hash once the log is hash-chained (#14); null until then. */
  hash: string | null;
}

/**
 * The head of the audit log, printed as the "custody" line of every report and carried as
 * the `custody` field of JSON exports. Null for a case whose log is empty. The custody
 * work (#14) replaces this with the chain head; callers need not change.
 */
export async function auditHead(store: CaseStore): Promise<AuditHead | null> {
  const hasHash = Number(await store.value(
    `SELECT count(*) FROM information_schema.columns WHERE table_name = 'audit_log' AND column_name = 'hash'`,
  )) > 0;
  const row = await store.one<{ id: bigint; hash: string | null }>(
    `SELECT id, ${hasHash ? 'hash::VARCHAR' : 'NULL::VARCHAR'} AS hash FROM audit_log ORDER BY id DESC LIMIT 1`,
  );
  return row ? { id: Number(row.id), hash: row.hash ?? null } : null;
}

/** The custody line as reports print it. */
export function custodyText(head: AuditHead | null): string {
  if (!head) return 'audit log empty';
  return `audit log entry #${head.id}${head.hash ? `, chain hash ${head.hash}` : ' (audit chain not yet hashed)'}`;
}
