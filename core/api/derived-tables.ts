import { rebuildSessions } from '../analysis/sessions/rebuild-sessions';
import { updateFlowBins } from '../store/flow-bins';
import { rebuildHostIndex } from '../store/host-index';
import { onAfterImport } from './import-runner';

/**
 * Keeps the tables derived from flows current after every import run: the host index
 * (fast pivots), the sessions (paired, merged conversations) and the flow bins (coverage
 * per minute), each incremental.
 * Imported for its effect by every transport.
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
}
