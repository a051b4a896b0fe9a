import { useCallback, useEffect, useRef, useState } from 'react';
import type { FlowSortColumn, FlowView } from '../../../core/api/contract';
import { toApiError, type ApiError } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';

export interface FlowQuery {
  filter: string;
  sort: { column: FlowSortColumn; desc: boolean } | null;
}

export interface FlowPages {
  /** Rows matching the query; null until the first page answered (or when it failed). */
  total: number | null;
  error: ApiError | null;
  /** Changes whenever a page arrives (the grid re-reads rows then). */
  version: string;
  getRow: (index: number) => FlowView | undefined;
  /** Fetches the pages covering [start, end) that are not cached yet. */
  ensureRange: (start: number, end: number) => void;
}

/** Rows per request: large enough to scroll a while, small enough to answer at once. */
export const PAGE_SIZE = 500;
/** Pages kept in memory (100 000 rows); the ones farthest from the view are dropped first. */
const MAX_PAGES = 200;

/**
 * The flows of the case as a sparse, paged array: pages are fetched from `flows.page` as the
 * grid scrolls to them and cached by index. A new filter, sort or case generation starts a new
 * epoch; answers from an older epoch are dropped.
 */
export function useFlowPages(query: FlowQuery, generation: string): FlowPages {
  const api = useApi();
  const key = JSON.stringify([query.filter.trim(), query.sort, generation]);
  // One epoch per query, replaced synchronously when the query changes so that no request of the
  // new query is ever tagged with the old one (and late answers of the old one are dropped).
  const epoch = useRef<Epoch>(newEpoch('', 0));
  if (epoch.current.key !== key) epoch.current = newEpoch(key, epoch.current.id + 1);
  const [version, setVersion] = useState(0);

  const fetchPage = useCallback(
    (page: number) => {
      const e = epoch.current;
      if (e.cache.has(page) || e.pending.has(page)) return;
      e.pending.add(page);
      const [filter, sort] = JSON.parse(e.key) as [string, FlowQuery['sort']];
      api
        .invoke('flows.page', {
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
          ...(sort ? { sort } : {}),
          ...(filter ? { filter } : {}),
        })
        .then(
          (r) => {
            e.pending.delete(page);
            if (e !== epoch.current) return;
            e.cache.set(page, r.rows);
            e.total = r.total;
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
    },
    [api],
  );

  useEffect(() => {
    fetchPage(0);
  }, [key, fetchPage]);

  const ensureRange = useCallback(
    (start: number, end: number) => {
      if (end <= start) return;
      const first = Math.floor(start / PAGE_SIZE);
      const last = Math.floor((end - 1) / PAGE_SIZE);
      for (let p = first; p <= last; p++) fetchPage(p);
      // Bound memory: forget the pages farthest from what is on screen.
      const c = epoch.current.cache;
      if (c.size > MAX_PAGES) {
        const far = [...c.keys()].sort((a, b) => Math.abs(b - first) - Math.abs(a - first));
        for (const p of far.slice(0, c.size - MAX_PAGES)) c.delete(p);
      }
    },
    [fetchPage],
  );

  const getRow = useCallback((i: number) => epoch.current.cache.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE], []);
  const e = epoch.current;
  // An error on the first page means the query itself failed (e.g. a filter the core rejects).
  const failed = e.error !== null && !e.cache.has(0);
  return { total: failed ? null : e.total, error: e.error, version: `${e.id}:${version}`, getRow, ensureRange };
}

interface Epoch {
  key: string;
  id: number;
  cache: Map<number, FlowView[]>;
  pending: Set<number>;
  total: number | null;
  error: ApiError | null;
}

function newEpoch(key: string, id: number): Epoch {
  return { key, id, cache: new Map(), pending: new Set(), total: null, error: null };
}
