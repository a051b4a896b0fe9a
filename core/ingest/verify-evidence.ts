import { existsSync } from 'node:fs';
import type { CaseStore } from '../store/case-store';
import { listEvidence } from '../store/evidence-rows';
import { sha256File } from './file-hash';

/** One evidence file re-hashed: still what was imported, changed, or gone. */
export interface EvidenceCheck {
  evidenceId: number;
  path: string;
  /** SHA-256 recorded at import. */
  expected: string;
  /** SHA-256 now; null when the file is missing. */
  actual: string | null;
  status: 'match' | 'changed' | 'missing';
}

/** Re-hashes every evidence file of the case at the path it was imported from, in import order. */
export async function verifyEvidence(store: CaseStore): Promise<EvidenceCheck[]> {
  const out: EvidenceCheck[] = [];
  for (const e of await listEvidence(store)) {
    const actual = existsSync(e.path) ? await sha256File(e.path) : null;
    const status = actual === null ? 'missing' : actual === e.sha256 ? 'match' : 'changed';
    out.push({ evidenceId: e.evidenceId, path: e.path, expected: e.sha256, actual, status });
  }
  return out;
}
