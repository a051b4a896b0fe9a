import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiEvent, ApiMethod, ArgsOf, EventMap, ResultOf } from '../../core/api/contract';
import { toApiError, type ApiError } from './api-client';
import { useApi } from './api-context';

export interface Query<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Calls one API method and keeps its latest result. `key` decides when to call again (pass
 * something that changes when the answer would, e.g. the case's generation); a late answer to
 * an earlier call is dropped so the view never goes back in time.
 */
export function useApiQuery<M extends ApiMethod>(method: M, args: ArgsOf<M>, key: unknown = '', enabled = true): Query<ResultOf<M>> {
  const api = useApi();
  const [data, setData] = useState<ResultOf<M>>();
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const argsKey = JSON.stringify(args);
  const seq = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    const mine = ++seq.current;
    setLoading(true);
    api.invoke(method, JSON.parse(argsKey) as ArgsOf<M>).then(
      (r) => {
        if (mine !== seq.current) return;
        setData(r);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(toApiError(e));
        setLoading(false);
      },
    );
  }, [api, method, argsKey, key, tick, enabled]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** Subscribes to a core event for the component's lifetime; the latest listener is always called. */
export function useApiEvent<E extends ApiEvent>(event: E, listener: (payload: EventMap[E]) => void): void {
  const api = useApi();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => api.on(event, (p) => ref.current(p)), [api, event]);
}

/**
 * Runs an action (a mutation) and keeps its pending state and error for display.
 * Returns undefined when the action failed (the error is in `error`).
 */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setPending(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(toApiError(e));
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);
  /** Reports a failure that happened outside `run` (a background load) the same way. */
  const fail = useCallback((e: unknown) => setError(toApiError(e)), []);
  return { run, pending, error, fail, clearError: () => setError(null) };
}
