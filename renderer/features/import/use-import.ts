import { useCallback, useRef, useState } from 'react';
import type { FormatInfo, ImportDoneEvent, ImportFileResult, ImportProgressEvent, SniffView } from '../../../core/api/contract';
import { toApiError, type ApiError } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { useApiEvent } from '../../lib/hooks';
import { groupImports, stageFromSniff, type DecodeOptions, type StagedFile } from './import-plan';

export interface UploadState {
  name: string;
  sent: number;
  total: number;
}

/** One `import.start` job: a group of files read with one format and one set of options. */
export interface JobState {
  /** null until `import.start` answered. */
  jobId: string | null;
  /** The format forced for the group (undefined: sniffed per file). */
  format: string | undefined;
  options: DecodeOptions | undefined;
  paths: string[];
  /** Last progress of each file, in the order they started. */
  files: ImportProgressEvent[];
  /** After the files: the derived table being built (the run is not finished until import.done). */
  deriving: ImportProgressEvent | null;
  results: ImportFileResult[] | null;
  cancelled: boolean;
  running: boolean;
}

export interface ImportState {
  /** The "Ready to import" list (null: nothing picked). */
  staged: StagedFile[] | null;
  sniffing: boolean;
  jobs: JobState[];
  uploading: UploadState | null;
  error: ApiError | null;
}

export interface Importer extends ImportState {
  /** Any job still running. */
  running: boolean;
  /** Progress of every file of every job (the header's mini progress shows the last). */
  files: ImportProgressEvent[];
  /** Results of all jobs once every one has finished, else null. */
  results: ImportFileResult[] | null;
  cancelled: boolean;
  /** Sniffs picked paths and adds them to the "Ready to import" list. */
  stage: (paths: string[]) => Promise<void>;
  /** Dropped files: uploaded first in web mode, then staged. */
  stageDrop: (files: File[]) => Promise<void>;
  updateStaged: (path: string, patch: Partial<StagedFile>) => void;
  removeStaged: (path: string) => void;
  clearStaged: () => void;
  /** Starts one job per (format, options) group of the list. */
  importStaged: (formats: readonly FormatInfo[]) => Promise<void>;
  cancel: (jobId?: string) => Promise<void>;
  dismiss: () => void;
}

const IDLE: ImportState = { staged: null, sniffing: false, jobs: [], uploading: null, error: null };
const SNIFF_CHUNK = 1000; // the contract's limit per import.sniff call

export type JobEvent = { kind: 'progress'; e: ImportProgressEvent } | { kind: 'done'; e: ImportDoneEvent };

function applyProgress(j: JobState, e: ImportProgressEvent): JobState {
  if (e.phase === 'deriving') return { ...j, deriving: e };
  const files = j.files.slice();
  const i = files.findIndex((f) => f.fileIndex === e.fileIndex && f.path === e.path);
  if (i >= 0) files[i] = e;
  else files.push(e);
  return { ...j, files };
}

/** A job after one of its events: a file's progress, the derived-tables phase, or done. */
export function applyEvent(j: JobState, ev: JobEvent): JobState {
  return ev.kind === 'progress' ? applyProgress(j, ev.e) : { ...j, running: false, deriving: null, results: ev.e.results, cancelled: ev.e.cancelled };
}

export function foreignJob(jobId: string): JobState {
  return { jobId, format: undefined, options: undefined, paths: [], files: [], deriving: null, results: null, cancelled: false, running: true };
}

/**
 * The import flow: picked or dropped files are sniffed into a "Ready to import" list where the
 * analyst chooses each file's format and options; "Import" starts one job per group and follows
 * `import.progress` / `import.done` per job. Jobs of another window (or from before a reload)
 * are adopted when nothing of ours runs, so progress never disappears.
 */
export function useImport(): Importer {
  const api = useApi();
  const [state, setState] = useState<ImportState>(IDLE);
  /** Job ids this window follows (a ref: event handlers must not wait for a render). */
  const known = useRef(new Set<string>());
  const starting = useRef(false);
  /** Events of jobs whose import.start has not answered yet. */
  const early = useRef<JobEvent[]>([]);
  const runningRef = useRef(false);
  runningRef.current = state.jobs.some((j) => j.running);
  const stateRef = useRef(state);
  stateRef.current = state;

  const onJobEvent = (ev: JobEvent) => {
    const id = ev.e.jobId;
    if (known.current.has(id)) {
      setState((s) => ({ ...s, jobs: s.jobs.map((j) => (j.jobId === id ? applyEvent(j, ev) : j)) }));
      return;
    }
    if (starting.current) {
      early.current.push(ev);
      return;
    }
    if (runningRef.current) return; // another window's job while ours run: not ours to show
    known.current = new Set([id]);
    setState((s) => ({ ...s, jobs: [applyEvent(foreignJob(id), ev)] }));
  };
  useApiEvent('import.progress', (e) => onJobEvent({ kind: 'progress', e }));
  useApiEvent('import.done', (e) => onJobEvent({ kind: 'done', e }));
  // A closed case takes its list and results with it (uploads and paths belong to that case).
  useApiEvent('case.changed', (info) => {
    if (info === null) {
      known.current = new Set();
      setState(IDLE);
    }
  });

  /** Asks how a CSV's header is recognised, so the list can say whether it needs a mapping. */
  const detectCsv = useCallback(
    async (path: string) => {
      let csv: StagedFile['csv'];
      try {
        const p = await api.invoke('import.preview', { path });
        csv = { preset: p.preset, guessed: p.guessed, error: p.mappingError };
      } catch (e) {
        csv = { preset: null, guessed: false, error: toApiError(e).message };
      }
      setState((s) => ({ ...s, staged: s.staged?.map((f) => (f.path === path ? { ...f, csv } : f)) ?? null }));
    },
    [api],
  );

  const stage = useCallback(
    async (paths: string[]) => {
      if (paths.length === 0) return;
      setState((s) => ({ ...s, sniffing: true, uploading: null, error: null }));
      const views: SniffView[] = [];
      try {
        for (let i = 0; i < paths.length; i += SNIFF_CHUNK) views.push(...(await api.invoke('import.sniff', { paths: paths.slice(i, i + SNIFF_CHUNK) })));
      } catch (e) {
        setState((s) => ({ ...s, sniffing: false, uploading: null, error: toApiError(e) }));
        return;
      }
      const have = new Set((stateRef.current.staged ?? []).map((f) => f.path));
      const added = views.filter((v) => !have.has(v.path)).map(stageFromSniff);
      setState((s) => {
        const now = new Set((s.staged ?? []).map((f) => f.path));
        return { ...s, sniffing: false, uploading: null, staged: [...(s.staged ?? []), ...added.filter((f) => !now.has(f.path))] };
      });
      for (const f of added) if (f.format === 'csv') await detectCsv(f.path);
    },
    [api, detectCsv],
  );

  const stageDrop = useCallback(
    async (files: File[]) => {
      if (files.length === 0) return;
      setState((s) => ({ ...s, error: null, uploading: api.transport === 'web' ? { name: files[0].name, sent: 0, total: files[0].size } : null }));
      let paths: string[];
      try {
        paths = await api.dropPaths(files, (name, sent, total) => setState((s) => ({ ...s, uploading: { name, sent, total } })));
      } catch (e) {
        setState((s) => ({ ...s, uploading: null, error: toApiError(e) }));
        return;
      }
      if (paths.length === 0) {
        setState((s) => ({ ...s, uploading: null, error: toApiError({ code: 'no-paths', message: 'The dropped items have no file path (drop files from the file manager).' }) }));
        return;
      }
      await stage(paths);
    },
    [api, stage],
  );

  const updateStaged = useCallback(
    (path: string, patch: Partial<StagedFile>) => {
      const before = stateRef.current.staged?.find((f) => f.path === path);
      setState((s) => ({ ...s, staged: s.staged?.map((f) => (f.path === path ? { ...f, ...patch } : f)) ?? null }));
      if (patch.format === 'csv' && before && !before.csv) void detectCsv(path);
    },
    [detectCsv],
  );

  const removeStaged = useCallback((path: string) => {
    setState((s) => {
      const staged = s.staged?.filter((f) => f.path !== path) ?? null;
      return { ...s, staged: staged && staged.length ? staged : null };
    });
  }, []);

  const clearStaged = useCallback(() => setState((s) => ({ ...s, staged: null })), []);

  const importStaged = useCallback(async (formats: readonly FormatInfo[]) => {
    const groups = groupImports(state.staged ?? [], formats);
    if (groups.length === 0) return;
    const jobs: JobState[] = groups.map((g) => ({
      jobId: null, format: g.format, options: g.options, paths: g.paths, files: [], deriving: null, results: null, cancelled: false, running: true,
    }));
    starting.current = true;
    early.current = [];
    known.current = new Set();
    setState((s) => ({ ...s, staged: null, jobs, error: null }));
    try {
      for (let i = 0; i < groups.length; i++) {
        const g = groups[i];
        try {
          const { jobId } = await api.invoke('import.start', {
            paths: g.paths, ...(g.format ? { format: g.format } : {}), ...(g.options ? { options: g.options } : {}),
          });
          known.current.add(jobId);
          const mine = early.current.filter((ev) => ev.e.jobId === jobId);
          early.current = early.current.filter((ev) => ev.e.jobId !== jobId);
          setState((s) => ({ ...s, jobs: s.jobs.map((j, k) => (k === i ? mine.reduce(applyEvent, { ...j, jobId }) : j)) }));
        } catch (e) {
          // The job was refused as a whole (e.g. bad options): its files are reported failed, the other jobs go on.
          const err = toApiError(e);
          setState((s) => ({
            ...s,
            jobs: s.jobs.map((j, k) => (k === i ? { ...j, running: false, results: g.paths.map((path) => ({ path, ok: false, error: { code: err.code, message: err.message } })) } : j)),
          }));
        }
      }
    } finally {
      starting.current = false;
      early.current = [];
    }
  }, [api, state.staged]);

  const cancel = useCallback(
    async (jobId?: string) => {
      const ids = jobId ? [jobId] : state.jobs.filter((j) => j.running && j.jobId).map((j) => j.jobId!);
      for (const id of ids) {
        try {
          await api.invoke('import.cancel', { jobId: id });
        } catch (e) {
          setState((s) => ({ ...s, error: toApiError(e) }));
        }
      }
    },
    [api, state.jobs],
  );

  const dismiss = useCallback(
    () => setState((s) => (s.jobs.some((j) => j.running) ? { ...s, error: null } : { ...s, jobs: [], error: null })),
    [],
  );

  const running = state.jobs.some((j) => j.running);
  const done = state.jobs.length > 0 && !running;
  return {
    ...state,
    running,
    files: state.jobs.flatMap((j) => j.files),
    results: done ? state.jobs.flatMap((j) => j.results ?? []) : null,
    cancelled: state.jobs.some((j) => j.cancelled),
    stage, stageDrop, updateStaged, removeStaged, clearStaged, importStaged, cancel, dismiss,
  };
}
