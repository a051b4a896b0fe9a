import { describe, expect, it } from 'vitest';
import { MAX_FILTER_NESTING, parseFilter } from '../../../core/query/filter-parser';

/** #14: filters built to exhaust the parser or DuckDB get a positioned error, not a crash. */
describe('filter depth limits', () => {
  it('3,000 parentheses: an error at the first one past the limit, no stack overflow', () => {
    const f = '('.repeat(3000) + 'port 22' + ')'.repeat(3000);
    const r = parseFilter(f);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe(`the filter nests parentheses and 'not's more than ${MAX_FILTER_NESTING} deep at 1:${MAX_FILTER_NESTING + 1} — simplify it`);
    expect(r.error.offset).toBe(MAX_FILTER_NESTING);
  });

  it("2,400 'not's: an error naming where, not DuckDB's internal depth error", () => {
    const r = parseFilter('not '.repeat(2400) + 'port 22');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ line: 1, column: 4 * MAX_FILTER_NESTING + 1 });
  });

  it('a thousand-term or-chain is refused at the term past the limit', () => {
    const r = parseFilter(Array.from({ length: 1000 }, (_, i) => `port ${i}`).join(' or '));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^more than 300 conditions joined by one 'and'\/'or' chain at 1:\d+/);
  });

  it('filters within the limits still parse', () => {
    expect(parseFilter('('.repeat(MAX_FILTER_NESTING) + 'port 22' + ')'.repeat(MAX_FILTER_NESTING)).ok).toBe(true);
    expect(parseFilter('not '.repeat(50) + 'port 22').ok).toBe(true);
    expect(parseFilter(Array.from({ length: 300 }, (_, i) => `port ${i}`).join(' or ')).ok).toBe(true);
  });
});
