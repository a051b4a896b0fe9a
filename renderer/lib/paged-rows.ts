import type { ApiError } from './api-client';

/** Rows per request: large enough to scroll a while, small enough to answer at once. */
export const PAGE_ROWS = 500;
/** Pages kept in memory (100 000 rows); the ones farthest from the view are dropped first. */
export const MAX_PAGES = 200;

/**
 * The rows of one query (one filter, sort and case generation) as a sparse array of pages,
 * fetched as a grid scrolls to them. Pure bookkeeping, no React: usePagedRows drives it.
 */
export class PagedRows<T> {
  private readonly pages = new Map<number, T[]>();
  private readonly pending = new Set<number>();
  /** The result's size when the method reports it. */
  private total: number | null = null;
  /** Where the result ends, learnt from a short page (for methods that report no total). */
  private end: number | null = null;
  error: ApiError | null = null;

  constructor(readonly key: string, readonly id: number, private readonly maxPages = MAX_PAGES) {}

  /** Pages covering rows [start, end) that are neither here nor on their way; marks them on their way. */
  claim(start: number, end: number): number[] {
    if (end <= start) return [];
    const out: number[] = [];
    for (let p = Math.floor(start / PAGE_ROWS); p <= Math.floor((end - 1) / PAGE_ROWS); p++) {
      if (this.pages.has(p) || this.pending.has(p) || (this.end !== null && p * PAGE_ROWS >= this.end)) continue;
      this.pending.add(p);
      out.push(p);
    }
    return out;
  }

  /** A page arrived. A short page marks the end of the result. Pages far from it are forgotten past maxPages. */
  accept(page: number, rows: T[], total?: number): void {
    this.pending.delete(page);
    this.pages.set(page, rows);
    if (total !== undefined) this.total = total;
    if (rows.length < PAGE_ROWS) this.end = page * PAGE_ROWS + rows.length;
    this.error = null;
    if (this.pages.size > this.maxPages) {
      const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - page) - Math.abs(a - page));
      for (const p of far.slice(0, this.pages.size - this.maxPages)) this.pages.delete(p);
    }
  }

  fail(page: number, error: ApiError): void {
    this.pending.delete(page);
    this.error = error;
  }

  row(index: number): T | undefined {
    return this.pages.get(Math.floor(index / PAGE_ROWS))?.[index % PAGE_ROWS];
  }

  /**
   * Rows the grid should show: the reported total, else where a short page ended the result,
   * else `knownTotal` (e.g. the host's flow count), else what is loaded plus one while more
   * may come. null when the first page failed: the query itself is wrong (a bad filter).
   */
  rowCount(knownTotal?: number | null): number | null {
    if (this.error && !this.pages.has(0)) return null;
    if (this.total !== null) return this.total;
    if (this.end !== null) return this.end;
    if (knownTotal !== undefined && knownTotal !== null) return knownTotal;
    if (this.pages.size === 0) return null;
    const last = Math.max(...this.pages.keys());
    return last * PAGE_ROWS + (this.pages.get(last)?.length ?? 0) + 1;
  }
}
