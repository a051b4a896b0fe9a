import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../renderer/lib/api-client';
import { PAGE_ROWS, PagedRows } from '../../../renderer/lib/paged-rows';

const rows = (page: number, n = PAGE_ROWS) => Array.from({ length: n }, (_, i) => page * PAGE_ROWS + i);

describe('PagedRows', () => {
  it('claims each page once, serves rows by index, and takes the total the method reports', () => {
    const q = new PagedRows<number>('k', 1);
    expect(q.rowCount()).toBeNull();
    expect(q.claim(0, 1)).toEqual([0]);
    expect(q.claim(0, PAGE_ROWS * 2 + 1)).toEqual([1, 2]); // page 0 is on its way already
    expect(q.claim(10, 20)).toEqual([]);
    q.accept(0, rows(0), 12_345);
    q.accept(2, rows(2));
    expect(q.row(7)).toBe(7);
    expect(q.row(PAGE_ROWS * 2 + 3)).toBe(PAGE_ROWS * 2 + 3);
    expect(q.row(PAGE_ROWS + 3)).toBeUndefined(); // page 1 has not arrived
    expect(q.rowCount()).toBe(12_345);
  });

  it('learns the end from a short page when the method reports no total, and never asks past it', () => {
    const q = new PagedRows<number>('k', 1);
    q.claim(0, PAGE_ROWS * 2);
    q.accept(0, rows(0));
    expect(q.rowCount()).toBe(PAGE_ROWS + 1); // more may come
    expect(q.rowCount(800)).toBe(800); // unless the caller knows the size (the host's flow count)
    q.accept(1, rows(1, 20));
    expect(q.rowCount(800)).toBe(PAGE_ROWS + 20);
    expect(q.claim(PAGE_ROWS * 2, PAGE_ROWS * 3)).toEqual([]);
  });

  it('reports a failed first page as no result (a bad filter), a later failure keeps the rows', () => {
    const bad = new PagedRows<number>('k', 1);
    bad.claim(0, 1);
    bad.fail(0, new ApiError('bad-filter', "unknown field 'prot'"));
    expect(bad.rowCount(10)).toBeNull();
    expect(bad.error?.code).toBe('bad-filter');
    expect(bad.claim(0, 1)).toEqual([0]); // it may be asked again
    const later = new PagedRows<number>('k', 1);
    later.claim(0, PAGE_ROWS * 2);
    later.accept(0, rows(0), 5000);
    later.fail(1, new ApiError('unreachable', 'server gone'));
    expect(later.rowCount()).toBe(5000);
  });

  it('keeps at most maxPages pages, dropping those farthest from the page that arrived', () => {
    const q = new PagedRows<number>('k', 1, 3);
    for (const p of [0, 1, 2, 9]) {
      q.claim(p * PAGE_ROWS, p * PAGE_ROWS + 1);
      q.accept(p, rows(p));
    }
    expect(q.row(0)).toBeUndefined(); // page 0 was farthest from page 9
    expect(q.row(PAGE_ROWS)).toBe(PAGE_ROWS);
    expect(q.row(9 * PAGE_ROWS)).toBe(9 * PAGE_ROWS);
    expect(q.claim(0, 1)).toEqual([0]);
  });
});
