import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, CaseInfo } from '../../../core/api/contract';
import type { ApiError } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { useAction, useApiEvent } from '../../lib/hooks';

export interface CaseSession {
  app: AppInfo | null;
  /** undefined while asking the core, null when no case is open. */
  info: CaseInfo | null | undefined;
  /** Changes whenever the case's content changes (another case, an import): a key for refetching. */
  generation: string;
  busy: boolean;
  error: ApiError | null;
  clearError: () => void;
  /** Path of the last case the user tried to open (to offer a read-only retry). */
  lastPath: string | null;
  open: (path: string, create: boolean, readOnly?: boolean) => Promise<boolean>;
  close: () => Promise<void>;
  setTimeZone: (tz: string) => Promise<void>;
  refresh: () => Promise<void>;
}

/** The open case as the core sees it, kept current through `case.changed` and `import.done`. */
export function useCaseSession(): CaseSession {
  const api = useApi();
  const [app, setApp] = useState<AppInfo | null>(null);
  const [info, setInfo] = useState<CaseInfo | null | undefined>(undefined);
  const { run: guarded, pending: busy, error, fail, clearError } = useAction();
  const [lastPath, setLastPath] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setInfo(await api.invoke('case.info', {}));
    } catch (e) {
      fail(e);
      setInfo((i) => (i === undefined ? null : i));
    }
  }, [api, fail]);

  useEffect(() => {
    api.invoke('app.info', {}).then(setApp, fail);
    void refresh();
  }, [api, refresh, fail]);

  // The core sends case.changed after opening, closing, a time-zone change and every import.
  useApiEvent('case.changed', (c) => setInfo(c));

  // Every import adds evidence (duplicates are refused), so these three identify the content.
  const generation = info ? `${info.path}|${info.evidenceCount}|${info.flows}` : '';

  return {
    app,
    info,
    generation,
    busy,
    error,
    clearError,
    refresh,
    lastPath,
    open: async (path, create, readOnly) => {
      setLastPath(path);
      const c = await guarded(() => api.invoke('case.open', readOnly ? { path, create: false, readOnly: true } : { path, create }));
      if (!c) return false;
      setInfo(c);
      return true;
    },
    close: async () => {
      const r = await guarded(() => api.invoke('case.close', {}));
      if (r) setInfo(null);
    },
    setTimeZone: async (timeZone) => {
      const c = await guarded(() => api.invoke('case.setTimeZone', { timeZone }));
      if (c) setInfo(c);
    },
  };
}
