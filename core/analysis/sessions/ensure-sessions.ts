import type { CaseStore } from '../../store/case-store';
import { rebuildSessions } from './rebuild-sessions';

/** Evidence lists already checked, per store (cheap to ask again). */
const checked = new WeakMap<CaseStore, string>();

/**
 * Builds sessions for evidence that no session covers yet (a case imported before the
 * sessions table existed, or an import whose derived-table step failed). Runs at most
 * once per change of the evidence list; a read-only case is left as it is.
 */
export async function ensureSessions(store: CaseStore): Promise<void> {
  const sig = String(await store.value(`SELECT concat(count(*), ':', coalesce(max(evidence_id), 0), ':', coalesce(sum(records), 0)) FROM evidence`));
  if (checked.get(store) === sig) return;
  if (!store.readOnly) {
    const missing = await store.all<{ evidence_id: number }>(
      `SELECT evidence_id FROM evidence WHERE records > 0
          AND evidence_id NOT IN (SELECT DISTINCT unnest(evidence_ids) FROM sessions) ORDER BY evidence_id`,
    );
    if (missing.length) await rebuildSessions(store, { evidenceIds: missing.map((r) => Number(r.evidence_id)) });
  }
  checked.set(store, sig);
}
