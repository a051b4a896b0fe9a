import { describe, expect, it } from 'vitest';
import { compileUserFilter } from '../../../core/query/user-filter';
import { combinedFilter, windowArgs } from '../../../renderer/features/pivot/analysis-state';

describe('combinedFilter() and windowArgs()', () => {
  it('adds the time range to the filter as a between clause the core parses', () => {
    const range = { fromUs: 1_700_000_000_000_001, toUs: 1_700_000_060_500_000 };
    expect(combinedFilter(' host 10.0.0.5 ', null)).toBe('host 10.0.0.5');
    expect(combinedFilter('', range)).toBe('between 2023-11-14T22:13:20.000001Z and 2023-11-14T22:14:20.500000Z');
    const both = combinedFilter('host 10.0.0.5 or port 53', range);
    expect(both).toBe('(host 10.0.0.5 or port 53) and between 2023-11-14T22:13:20.000001Z and 2023-11-14T22:14:20.500000Z');
    expect(compileUserFilter(both).sql).toContain('start_us');
    expect(windowArgs(range)).toEqual(range);
    expect(windowArgs(null)).toEqual({});
  });
});
