import { onAfterImport } from '../ingest/import-runner';
import { updateFlowBins } from '../store/flow-bins';
import { rebuildHostIndex } from '../store/host-index';
import { rerunAfterImport } from './detect/run-detections';
import { rebuildSessions } from './sessions/rebuild-sessions';

/**
 * Keeps the tables derived from flows current after every import run: the host index
 * (fast pivots), the sessions (paired, merged conversations) and the flow bins (records
 * per minute, for coverage), each incremental.
 * The service registers them once; a new derived table (detections, names) adds one hook here.
 */
let registered = false;
export function registerDerivedTables(): void {
  if (registered) return;
  registered = true;
  onAfterImport(async (store) => {
    await rebuildHostIndex(store);
  }, 'host index');
  onAfterImport(async (store, evidenceIds) => {
    await rebuildSessions(store, { evidenceIds });
  }, 'sessions');
  onAfterImport(async (store) => {
    await updateFlowBins(store);
  }, 'flow bins');
  // Detections follow new evidence when the case uses them (re-run with the last run's settings).
  onAfterImport(async (store) => {
    await rerunAfterImport(store);
  }, 'detections');
}
