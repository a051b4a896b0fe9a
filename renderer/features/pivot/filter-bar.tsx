import { useEffect, useState, type ReactNode } from 'react';
import type { ApiError } from '../../lib/api-client';
import { ErrorMessage } from '../../components/error-message';
import { formatDuration, formatTime } from '../../lib/format';
import { useTimeZone } from '../../lib/time-zone';
import { useAnalysis, type TimeRange } from './analysis-state';

const EXAMPLES = ['host 10.0.0.5 and port 443', 'proto udp and dst port 53', 'net 192.168.0.0/16 and not port 80', 'bytes > 1000000'];

/**
 * The one filter box of the analysis views: edits the shared filter (Enter applies it
 * everywhere), shows the shared time range as a removable chip, and the core's own error
 * message (with its position) under the box.
 */
export function FilterBar({ error, right, testId = 'analysis-filter' }: { error?: ApiError | null; right?: ReactNode; testId?: string }) {
  const { filter, setFilter, range, setRange } = useAnalysis();
  const [draft, setDraft] = useState(filter);
  // Another view (or a "same port elsewhere" link) may change the filter.
  useEffect(() => setDraft(filter), [filter]);
  const apply = (text: string) => {
    setDraft(text);
    setFilter(text.trim());
  };
  const isFilterError = !!error && error.code === 'bad-filter';
  return (
    <div className="analysis-filter">
      <div className="flows-toolbar">
        <form
          className="filter-form"
          onSubmit={(e) => {
            e.preventDefault();
            apply(draft);
          }}
        >
          <input
            className={`filter-input mono ${isFilterError ? 'invalid' : ''}`}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="Filter, e.g. host 10.0.0.5 and port 443   (Enter to apply)"
            spellCheck={false}
            aria-label="Filter"
            data-testid={testId}
            title={`Filter language (nfdump style), shared by Flows, Overview, Pivot and Sessions, for example:\n${EXAMPLES.join('\n')}`}
          />
          <button type="submit" className="primary">Apply</button>
          <button type="button" disabled={!draft && !filter} onClick={() => apply('')}>
            Clear
          </button>
        </form>
        {range ? <TimeRangeChip range={range} onClear={() => setRange(null)} /> : null}
        {right}
      </div>
      {error ? (
        <div className="filter-error" data-testid="filter-error">
          <ErrorMessage error={error} title={isFilterError ? 'Filter' : undefined} />
        </div>
      ) : null}
    </div>
  );
}

/** The shared time range, in the case's time zone; × widens back to the whole case. */
export function TimeRangeChip({ range, onClear }: { range: TimeRange; onClear: () => void }) {
  const tz = useTimeZone();
  return (
    <span className="range-chip" data-testid="time-range" data-from={range.fromUs} data-to={range.toUs} title={`Only flows starting in this window (${tz}); brushing any chart sets it`}>
      <span className="range-chip-label">Time</span>
      <span className="mono">
        {formatTime(range.fromUs, tz, 's')} → {formatTime(range.toUs, tz, 's')}
      </span>
      <span className="muted">({formatDuration(range.toUs - range.fromUs)})</span>
      <button type="button" className="icon-button" onClick={onClear} aria-label="Clear time range" data-testid="clear-time-range">
        ×
      </button>
    </span>
  );
}
