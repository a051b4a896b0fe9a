import { ImportError, ingestFile, type ImportProgress } from '../ingest/ingest-file';
import type { CaseStore } from '../store/case-store';
import type { IssueView } from '../store/evidence-rows';
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
  error?: { code: string; message: string; offset?: number };
}

/** Work to run on the case after a run of imports committed new evidence (indexes, sessions). */
export type AfterImportHook = (store: CaseStore, evidenceIds: number[]) => Promise<void>;
const afterImportHooks: { hook: AfterImportHook; name: string }[] = [];

/**
 * Registers work that keeps derived tables (host index, sessions) current after an import;
 * `name` is what the import progress shows while it runs ("building sessions").
 */
export function onAfterImport(hook: AfterImportHook, name = 'derived tables'): void {
  afterImportHooks.push({ hook, name });
}

export interface RunImportOptions {
  format?: string;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  decodeOptions?: Record<string, unknown>;
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
  const previousLimit = await store.value<string>(`SELECT current_setting('memory_limit')`);
  await store.run(`SET memory_limit = '${IMPORT_MEMORY_LIMIT}'`);
  try {
    return await importFiles(store, files, opts);
  } finally {
    if (previousLimit) await store.run(`SET memory_limit = '${previousLimit.replace(/[^0-9A-Za-z. ]/g, '')}'`).catch(() => undefined);
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
        evidenceSet, decodeOptions: opts.decodeOptions,
      });
      results.push({
        path, ok: true, evidenceId: ev.evidenceId, format: ev.format, sha256: ev.sha256, bytes: ev.bytes, records: ev.records,
        rejected: ev.rejected, ms: ev.ms, issues: ev.issues.map((x) => ({ code: x.code, offset: x.offset, message: x.message })),
      });
      await logImport(store, path, 'imported', null, ev.sha256, ev.format, ev.evidenceId, ev.records, ev.rejected, ev.ms);
    } catch (err) {
      const e = err instanceof ImportError ? err : new ImportError('unreadable', path, `${path}: ${(err as Error).message}`);
      results.push({ path, ok: false, error: { code: e.code, message: e.message, offset: e.offset } });
      await logImport(store, path, e.code, e.message, null, null, null, null, null, performance.now() - started).catch(() => undefined);
    }
  }
  // Derived tables are brought up to date once per run, for the evidence it added. A
  // failure here does not undo the imports (they are committed); it is reported and logged.
  const added = results.filter((r) => r.ok && r.evidenceId !== undefined).map((r) => r.evidenceId!);
  if (added.length) {
    const started = performance.now();
    const records = results.reduce((n, r) => n + (r.records ?? 0), 0);
    const rejected = results.reduce((n, r) => n + (r.rejected ?? 0), 0);
    for (const [stepIndex, { hook, name }] of afterImportHooks.entries()) {
      // The files are stored, the run is not finished: say what is being built.
      opts.onProgress?.({
        path: '', fileIndex: files.length, fileCount: files.length, bytesRead: 0, totalBytes: 0, records, rejected,
        elapsedMs: performance.now() - started, recordsPerSecond: 0, phase: 'deriving', step: name, stepIndex, stepCount: afterImportHooks.length,
      });
      try {
        await hook(store, added);
      } catch (err) {
        const message = `imported, but updating derived tables failed: ${(err as Error).message}`;
        for (const r of results) if (r.ok) (r.issues ??= []).push({ code: 'derived-tables-failed', offset: 0, message });
        await store.audit('derived-tables-failed', { message }, 'flowcase').catch(() => undefined);
      }
    }
  }
  return results;
}

async function logImport(
  store: CaseStore, path: string, outcome: string, message: string | null, sha256: string | null, format: string | null,
  evidenceId: number | null, records: number | null, rejected: number | null, ms: number,
): Promise<void> {
  if (store.readOnly) return;
  await store.run(
    `INSERT INTO import_log (at_us, path, sha256, format, outcome, message, evidence_id, records, rejected, ms)
     VALUES ($at, $path, $sha, $format, $outcome, $message, $eid, $records, $rejected, $ms)`,
    {
      at: BigInt(Date.now() * 1000), path, sha: sha256, format, outcome, message, eid: evidenceId,
      records: records === null ? null : BigInt(records), rejected: rejected === null ? null : BigInt(rejected), ms,
    },
  );
}
