import { ImportError, ingestFile, type ImportProgress, type PlausibleTimes } from '../ingest/ingest-file';
import type { CaseStore } from '../store/case-store';
import type { IssueView } from '../store/evidence-rows';
import { writeImportLog } from '../store/import-log';
import { expandPaths } from './expand-paths';

/** What became of one file of an import run. */
export interface ImportFileResult {
  path: string;
  ok: boolean;
  evidenceId?: number;
  format?: string;
  sha256?: string;
  bytes?: number;
  records?: number;
  rejected?: number;
  ms?: number;
  issues?: IssueView[];
  /** Records read but not stored, by reason (`{ man: 1, llc: 2 }`). */
  skipped?: Record<string, number>;
  /** Packets with a bad TCP/UDP/ICMP checksum (captures). */
  badChecksums?: number;
  error?: { code: string; message: string; offset?: number };
}

/** Work to run on the case after a run of imports committed new evidence (indexes, sessions). */
export type AfterImportHook = (store: CaseStore, evidenceIds: number[]) => Promise<void>;
const afterImportHooks: AfterImportHook[] = [];

/** Registers work that keeps derived tables (host index, sessions) current after an import. */
export function onAfterImport(hook: AfterImportHook): () => void {
  afterImportHooks.push(hook);
  return () => {
    const i = afterImportHooks.indexOf(hook);
    if (i >= 0) afterImportHooks.splice(i, 1);
  };
}

export interface RunImportOptions {
  format?: string;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  decodeOptions?: Record<string, unknown>;
  /** Record times accepted (default: 1970 to a day after the import). */
  plausibleTimes?: PlausibleTimes;
}

/**
 * Imports files one after another. Each file is its own transaction: a failure or a
 * duplicate is reported for that file and the next one still imports; a cancel stops
 * the run and leaves every earlier file imported.
 */
export async function runImport(store: CaseStore, paths: readonly string[], opts: RunImportOptions = {}): Promise<ImportFileResult[]> {
  const files = await expandPaths(paths);
  // Imports stream whatever the file size: a small DuckDB buffer pool keeps the process
  // under ~500 MB (measured: 10 M nfcapd records peaked at 466 MB with 200 MB, 777 MB with
  // 400 MB) and was no slower. Queries get the case's own limit back afterwards.
  // With the configuration locked (every case once open, #14) the case's own limit applies:
  // open the case with a small memoryLimit for big imports (the CLI's import does).
  const previousLimit = await store.value<string>(`SELECT current_setting('memory_limit')`);
  const locked = await store.value<boolean>(`SELECT current_setting('lock_configuration')`);
  if (!locked) await store.run(`SET memory_limit = '${IMPORT_MEMORY_LIMIT}'`);
  try {
    return await importFiles(store, files, opts);
  } finally {
    if (previousLimit && !locked) await store.run(`SET memory_limit = '${previousLimit.replace(/[^0-9A-Za-z. ]/g, '')}'`).catch(() => undefined);
  }
}

/** DuckDB's buffer pool while importing. */
export const IMPORT_MEMORY_LIMIT = '200MB';

async function importFiles(store: CaseStore, files: Awaited<ReturnType<typeof expandPaths>>, opts: RunImportOptions): Promise<ImportFileResult[]> {
  const results: ImportFileResult[] = [];
  for (let i = 0; i < files.length; i++) {
    const { path, evidenceSet } = files[i];
    if (opts.signal?.aborted) {
      results.push({ path, ok: false, error: { code: 'cancelled', message: `${path}: not imported, the import was cancelled` } });
      continue;
    }
    const started = performance.now();
    try {
      const ev = await ingestFile(store, path, {
        format: opts.format, signal: opts.signal, onProgress: opts.onProgress, fileIndex: i, fileCount: files.length,
        evidenceSet, decodeOptions: opts.decodeOptions, plausibleTimes: opts.plausibleTimes,
      });
      results.push({
        path, ok: true, evidenceId: ev.evidenceId, format: ev.format, sha256: ev.sha256, bytes: ev.bytes, records: ev.records,
        rejected: ev.rejected, ms: ev.ms, issues: ev.issues.map((x) => ({ code: x.code, offset: x.offset, message: x.message })),
        skipped: ev.skipped, badChecksums: ev.counters['bad-checksum-packets'] ?? 0,
      });
    } catch (err) {
      const e = err instanceof ImportError ? err : new ImportError('unreadable', path, `${path}: ${(err as Error).message}`);
      results.push({ path, ok: false, error: { code: e.code, message: e.message, offset: e.offset } });
      await logFailure(store, path, e, performance.now() - started).catch(() => undefined);
    }
  }
  // Derived tables are brought up to date once per run, for the evidence it added. A
  // failure here does not undo the imports (they are committed, with a durable stale mark
  // that the next open heals); it is reported, logged and makes the CLI exit non-zero.
  const added = results.filter((r) => r.ok && r.evidenceId !== undefined).map((r) => r.evidenceId!);
  if (added.length) {
    const failure = await updateDerivedTables(store, added);
    if (failure) {
      const message = `imported, but updating derived tables failed (they are marked stale and rebuilt when the case is next opened): ${failure}`;
      for (const r of results) if (r.ok) (r.issues ??= []).push({ code: 'derived-tables-failed', offset: 0, message });
    }
  }
  return results;
}

/**
 * Runs every after-import hook for the given evidence, then clears their stale marks
 * (derived_state). Returns null when all succeeded, else the first failure's message (the
 * marks stay, so the next open rebuilds). Hooks replace what they derive for the evidence
 * given, so running one again after a kill is safe.
 */
export async function updateDerivedTables(store: CaseStore, evidenceIds: number[]): Promise<string | null> {
  for (const hook of afterImportHooks) {
    try {
      await hook(store, evidenceIds);
    } catch (err) {
      const message = (err as Error).message;
      await store.audit('derived-tables-failed', { evidenceIds, message }, 'flowcase').catch(() => undefined);
      return message;
    }
  }
  await store.run(`DELETE FROM derived_state WHERE list_contains(CAST($ids AS UINTEGER[]), evidence_id)`, { ids: `[${evidenceIds.join(',')}]` });
  return null;
}

/** Evidence whose derived rows are not built (an import killed or failed after its commit). */
export async function staleEvidence(store: CaseStore): Promise<number[]> {
  return (await store.all<{ evidence_id: number }>(`SELECT evidence_id FROM derived_state ORDER BY evidence_id`)).map((r) => Number(r.evidence_id));
}

/** Rebuilds what a killed or failed import left stale; called when a case is opened with write access. */
export async function healDerivedTables(store: CaseStore): Promise<{ healed: number[]; error: string | null }> {
  if (store.readOnly) return { healed: [], error: null };
  const ids = await staleEvidence(store);
  if (!ids.length) return { healed: [], error: null };
  const error = await updateDerivedTables(store, ids);
  if (!error) await store.audit('derived-tables-healed', { evidenceIds: ids }, 'flowcase');
  return { healed: error ? [] : ids, error };
}

/** A file that did not import: its import_log row and the chained entry that records it, together. */
async function logFailure(store: CaseStore, path: string, e: ImportError, ms: number): Promise<void> {
  if (store.readOnly) return;
  await store.transaction(async () => {
    const log = await writeImportLog(store, {
      path, outcome: e.code, message: e.message, sha256: null, format: null, evidenceId: null, records: null, rejected: null, ms,
    });
    await store.audit('import.failed', { path, code: e.code, message: e.message, importLog: log }, 'flowcase');
  });
}
