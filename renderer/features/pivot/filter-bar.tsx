import type { ReactNode } from 'react';
import { FilterBox } from '../../components/filter-box';
import type { ApiError } from '../../lib/api-client';
import { useAnalysis } from './analysis-state';

/**
 * The filter box of the analysis views, on the state they share: Enter applies the filter
 * everywhere, and the shared time range shows as a removable chip.
 */
export function FilterBar({ error, right }: { error?: ApiError | null; right?: ReactNode }) {
  const { filter, setFilter, range, setRange } = useAnalysis();
  return (
    <FilterBox
      value={filter} onApply={setFilter} error={error} range={range} onClearRange={() => setRange(null)} right={right}
      testId="analysis-filter" hint=", shared by Flows, Overview, Pivot and Sessions"
    />
  );
}
