import { useCallback, useRef, useState } from 'react';
import type { ImportFileResult, ImportProgressEvent } from '../../../core/api/contract';
import { toApiError, type ApiError } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { useApiEvent } from '../../lib/hooks';

export interface UploadState {
  name: string;
  sent: number;
  total: number;
}

export interface ImportState {
  jobId: string | null;
  /** Last progress of each file of the running (or last) job, in the order they started. */
  files: ImportProgressEvent[];
  results: ImportFileResult[] | null;
  cancelled: boolean;
  running: boolean;
  uploading: UploadState | null;
  error: ApiError | null;
}

export interface Importer extends ImportState {
  start: (paths: string[]) => Promise<void>;
  startDrop: (files: File[]) => Promise<void>;
  cancel: () => Promise<void>;
  dismiss: () => void;
}

const IDLE: ImportState = { jobId: null, files: [], results: null, cancelled: false, running: false, uploading: null, error: null };

/**
 * One import job at a time: start it, follow `import.progress` per file, collect the results
 * from `import.done`. Events of a job this window did not start (another window, a reload) are
 * adopted when nothing else runs, so progress never disappears.
 */
export function useImport(): Importer {
  const api = useApi();
  const [state, setState] = useState<ImportState>(IDLE);
  const job = useRef<string | null>(null);
  const starting = useRef(false);
  const early = useRef<ImportProgressEvent[]>([]);

  const apply = (s: ImportState, e: ImportProgressEvent): ImportState => {
    const files = s.files.slice();
    const i = files.findIndex((f) => f.fileIndex === e.fileIndex && f.path === e.path);
    if (i >= 0) files[i] = e;
    else files.push(e);
    return { ...s, files };
  };

  useApiEvent('import.progress', (e) => {
    if (job.current === null) {
      if (starting.current) {
        early.current.push(e); // arrived before import.start answered
        return;
      }
      job.current = e.jobId;
      setState({ ...IDLE, jobId: e.jobId, running: true });
    }
    if (e.jobId !== job.current) return;
    setState((s) => apply(s, e));
  });

  useApiEvent('import.done', (e) => {
    if (job.current !== null && e.jobId !== job.current) return;
    job.current = null;
    setState((s) => ({ ...s, jobId: e.jobId, running: false, results: e.results, cancelled: e.cancelled }));
  });

  const start = useCallback(
    async (paths: string[]) => {
      if (paths.length === 0) return;
      starting.current = true;
      early.current = [];
      setState((s) => ({ ...IDLE, running: true, uploading: s.uploading }));
      try {
        const { jobId } = await api.invoke('import.start', { paths });
        job.current = jobId;
        const mine = early.current.filter((e) => e.jobId === jobId);
        setState((s) => mine.reduce(apply, { ...s, jobId, uploading: null }));
      } catch (e) {
        setState({ ...IDLE, error: toApiError(e) });
      } finally {
        starting.current = false;
        early.current = [];
      }
    },
    [api],
  );

  const startDrop = useCallback(
    async (files: File[]) => {
      if (files.length === 0) return;
      setState({ ...IDLE, running: true, uploading: api.transport === 'web' ? { name: files[0].name, sent: 0, total: files[0].size } : null });
      let paths: string[];
      try {
        paths = await api.dropPaths(files, (name, sent, total) => setState((s) => ({ ...s, uploading: { name, sent, total } })));
      } catch (e) {
        setState({ ...IDLE, error: toApiError(e) });
        return;
      }
      if (paths.length === 0) {
        setState({ ...IDLE, error: toApiError({ code: 'no-paths', message: 'The dropped items have no file path (drop files from the file manager).' }) });
        return;
      }
      await start(paths);
    },
    [api, start],
  );

  const cancel = useCallback(async () => {
    const id = job.current;
    if (!id) return;
    try {
      await api.invoke('import.cancel', { jobId: id });
    } catch (e) {
      setState((s) => ({ ...s, error: toApiError(e) }));
    }
  }, [api]);

  const dismiss = useCallback(() => setState((s) => (s.running ? s : IDLE)), []);

  return { ...state, start, startDrop, cancel, dismiss };
}
