import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError, type ApiError } from '../../lib/api-client';

export interface PagedRows<T> {
  /** Rows in the whole result, when the fetcher reports it (else: loaded rows, +1 while more may come). */
  total: number | null;
  error: ApiError | null;
  version: string;
  getRow: (index: number) => T | undefined;
  ensureRange: (start: number, end: number) => void;
}

/** Rows per request. */
export const PAGE_ROWS = 500;

/**
 * A sparse, paged array over any paged method (sessions.page, pivot.flows): pages are
 * fetched as the grid scrolls to them; a new key starts over and drops late answers.
 * `fetchPage` answers rows and, when it knows it, the total.
 */
export function usePagedRows<T>(key: string, fetchPage: (offset: number, limit: number) => Promise<{ rows: T[]; total?: number }>, knownTotal?: number | null): PagedRows<T> {
  const epoch = useRef({ key: '', id: 0, cache: new Map<number, T[]>(), pending: new Set<number>(), total: null as number | null, end: null as number | null, error: null as ApiError | null });
  if (epoch.current.key !== key) {
    epoch.current = { key, id: epoch.current.id + 1, cache: new Map(), pending: new Set(), total: null, end: null, error: null };
  }
  const [version, setVersion] = useState(0);
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;

  const load = useCallback((page: number) => {
    const e = epoch.current;
    if (e.cache.has(page) || e.pending.has(page) || (e.end !== null && page * PAGE_ROWS >= e.end)) return;
    e.pending.add(page);
    fetcher.current(page * PAGE_ROWS, PAGE_ROWS).then(
      (r) => {
        e.pending.delete(page);
        if (e !== epoch.current) return;
        e.cache.set(page, r.rows);
        if (r.total !== undefined) e.total = r.total;
        // A short page marks the end of a result whose size the method does not report.
        if (r.rows.length < PAGE_ROWS) e.end = page * PAGE_ROWS + r.rows.length;
        e.error = null;
        setVersion((v) => v + 1);
      },
      (err: unknown) => {
        e.pending.delete(page);
        if (e !== epoch.current) return;
        e.error = toApiError(err);
        setVersion((v) => v + 1);
      },
    );
  }, []);

  useEffect(() => load(0), [key, load]);

  const ensureRange = useCallback((start: number, end: number) => {
    if (end <= start) return;
    for (let p = Math.floor(start / PAGE_ROWS); p <= Math.floor((end - 1) / PAGE_ROWS); p++) load(p);
  }, [load]);
  const getRow = useCallback((i: number) => epoch.current.cache.get(Math.floor(i / PAGE_ROWS))?.[i % PAGE_ROWS], []);
  const e = epoch.current;
  let total: number | null = e.total ?? (e.end !== null ? e.end : knownTotal ?? null);
  if (total === null && e.cache.size) total = Math.max(...e.cache.keys()) * PAGE_ROWS + (e.cache.get(Math.max(...e.cache.keys()))?.length ?? 0) + 1;
  if (e.error && !e.cache.has(0)) total = null;
  return { total, error: e.error, version: `${e.id}:${version}`, getRow, ensureRange };
}
