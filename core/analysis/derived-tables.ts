import { onAfterImport } from '../ingest/import-runner';
import { updateFlowBins } from '../store/flow-bins';
import { rebuildHostIndex } from '../store/host-index';
import { rerunAfterImport } from './detect/run-detections';
import { rebuildSessions } from './sessions/rebuild-sessions';
import { detectOverlap, overlapIssue } from './evidence-overlap';
import { refreshAddressLookups } from '../enrich/address-lookups';

/**
 * Keeps the tables derived from flows current after every import run: the overlap between
 * evidence files (each conversation counted once), the host index (fast pivots), the
 * sessions (paired, merged conversations) and the flow bins (records per minute, for
 * coverage) and the address context (names, countries, assets), each incremental.
 * The service registers them once; a new derived table adds one hook here, with the name the import progress shows.
 */
let registered = false;
export function registerDerivedTables(): void {
  if (registered) return;
  registered = true;
  // Overlap first: it only reads flows, and the analyst is told on the import's own result.
  onAfterImport(async (store, evidenceIds) => {
    const found = await detectOverlap(store);
    if (!found.pairs.length) return;
    const names = new Map((await store.all<{ id: number; name: string }>(`SELECT evidence_id AS id, name FROM evidence`)).map((r) => [Number(r.id), String(r.name)]));
    return found.pairs.flatMap((p) => [p.evidenceId, p.otherId].filter((id) => evidenceIds.includes(id)).map((id) => ({ evidenceId: id, issue: overlapIssue(p, id, names) })));
  }, 'overlapping evidence');
  onAfterImport(async (store) => {
    await rebuildHostIndex(store);
  }, 'host index');
  onAfterImport(async (store, evidenceIds) => {
    await rebuildSessions(store, { evidenceIds });
  }, 'sessions');
  onAfterImport(async (store) => {
    await updateFlowBins(store);
  }, 'flow bins');
  onAfterImport(async (store) => {
    await refreshAddressLookups(store);
  }, 'address context');
  // Detections follow new evidence when the case uses them (re-run with the last run's settings).
  onAfterImport(async (store) => {
    await rerunAfterImport(store);
  }, 'detections');
}
