import { onAfterImport } from '../ingest/import-runner';
import { updateFlowBins } from '../store/flow-bins';
import { rebuildHostIndex } from '../store/host-index';
import { rerunAfterImport } from './detect/run-detections';
import { rebuildSessions } from './sessions/rebuild-sessions';
import { refreshAddressLookups } from '../enrich/address-lookups';

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
  });
  onAfterImport(async (store, evidenceIds) => {
    await rebuildSessions(store, { evidenceIds });
  });
  onAfterImport(async (store) => {
    await updateFlowBins(store);
  });
  onAfterImport(async (store) => {
    await refreshAddressLookups(store);
  });
  // Detections follow new evidence when the case uses them (re-run with the last run's settings).
  onAfterImport(async (store) => {
    await rerunAfterImport(store);
  });
}
