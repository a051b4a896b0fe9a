import { rebuildSessions } from '../analysis/sessions/rebuild-sessions';
import { rebuildHostIndex } from '../store/host-index';
import { onAfterImport } from './import-runner';

/**
 * Keeps the tables derived from flows current after every import run: the host index
 * (fast pivots) and the sessions (paired, merged conversations), each incremental.
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
}
