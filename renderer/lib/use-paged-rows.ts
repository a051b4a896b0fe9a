import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError, type ApiError } from './api-client';
import { PAGE_ROWS, PagedRows } from './paged-rows';

export { PAGE_ROWS };

/** What a virtual grid needs from a paged query. */
export interface PagedRowsView<T> {
  /** Rows to show (see PagedRows.rowCount); null until known, or when the query failed. */
  total: number | null;
  error: ApiError | null;
  /** Changes whenever a page arrives (the grid re-reads rows then). */
  version: string;
  getRow: (index: number) => T | undefined;
  /** Fetches the pages covering [start, end) that are not here yet. */
  ensureRange: (start: number, end: number) => void;
}

/**
 * Any paged method (flows.page, sessions.page, pivot.flows) as a sparse array for a virtual
 * grid. `key` names the query: a new key starts over synchronously, so no request of the new
 * query is tagged with the old one, and late answers of the old one are dropped. `fetchPage`
 * may be a new function each render (the latest one is called); it answers rows and, when the
 * method knows it, the total.
 */
export function usePagedRows<T>(
  key: string, fetchPage: (offset: number, limit: number) => Promise<{ rows: T[]; total?: number }>, knownTotal?: number | null,
): PagedRowsView<T> {
  const query = useRef(new PagedRows<T>('', 0));
  if (query.current.key !== key) query.current = new PagedRows<T>(key, query.current.id + 1);
  const [version, setVersion] = useState(0);
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;

  const ensureRange = useCallback((start: number, end: number) => {
    const q = query.current;
    for (const page of q.claim(start, end)) {
      fetcher.current(page * PAGE_ROWS, PAGE_ROWS).then(
        (r) => {
          if (q !== query.current) return;
          q.accept(page, r.rows, r.total);
          setVersion((v) => v + 1);
        },
        (err: unknown) => {
          if (q !== query.current) return;
          q.fail(page, toApiError(err));
          setVersion((v) => v + 1);
        },
      );
    }
  }, []);

  useEffect(() => ensureRange(0, 1), [key, ensureRange]);
  const getRow = useCallback((i: number) => query.current.row(i), []);
  const q = query.current;
  return { total: q.rowCount(knownTotal), error: q.error, version: `${q.id}:${version}`, getRow, ensureRange };
}
