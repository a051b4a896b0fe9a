import { useEffect, useState, type ReactNode } from 'react';
import type { ApiError } from '../lib/api-client';
import { formatDuration, formatTime } from '../lib/format';
import { useTimeZone } from '../lib/time-zone';
import { ErrorMessage } from './error-message';
import './filter-box.css';

const EXAMPLES = ['host 10.0.0.5 and port 443', 'proto udp and dst port 53', 'net 192.168.0.0/16 and not port 80', 'bytes > 1000000'];

/** A time window: flows starting at or after fromUs and before toUs (UTC microseconds). */
export interface TimeRange {
  fromUs: number;
  toUs: number;
}

/**
 * The filter box: the analyst edits a draft, Enter (or Apply) applies it, Clear empties it.
 * Under it, the core's own error message (a bad filter says where it went wrong). `range`
 * shows the time window as a removable chip; `right` holds what the view counts.
 */
export function FilterBox({
  value, onApply, error, range, onClearRange, right, testId, label = 'Filter', hint = '',
}: {
  /** The applied filter; the box follows it when another view changes it. */
  value: string;
  onApply: (filter: string) => void;
  error?: ApiError | null;
  range?: TimeRange | null;
  onClearRange?: () => void;
  right?: ReactNode;
  testId: string;
  label?: string;
  /** Said in the tooltip before the examples. */
  hint?: string;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const apply = (text: string) => {
    setDraft(text);
    onApply(text.trim());
  };
  const badFilter = error?.code === 'bad-filter';
  return (
    <div className="filter-box">
      <div className="filter-toolbar">
        <form
          className="filter-form"
          onSubmit={(e) => {
            e.preventDefault();
            apply(draft);
          }}
        >
          <input
            className={`filter-input mono ${badFilter ? 'invalid' : ''}`}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="Filter, e.g. host 10.0.0.5 and port 443   (Enter to apply)"
            spellCheck={false}
            aria-label={label}
            data-testid={testId}
            title={`Filter language (nfdump style)${hint}, for example:\n${EXAMPLES.join('\n')}`}
          />
          <button type="submit" className="primary">Apply</button>
          <button type="button" disabled={!draft && !value} onClick={() => apply('')}>
            Clear
          </button>
        </form>
        {range && onClearRange ? <TimeRangeChip range={range} onClear={onClearRange} /> : null}
        {right}
      </div>
      {error ? (
        <div className="filter-error" data-testid="filter-error">
          <ErrorMessage error={error} title={badFilter ? 'Filter' : undefined} />
        </div>
      ) : null}
    </div>
  );
}

/** The time range, in the case's time zone; × widens back to the whole case. */
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
