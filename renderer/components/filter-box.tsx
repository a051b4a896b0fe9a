import { useEffect, useState, type ReactNode } from 'react';
import type { ApiError } from '../lib/api-client';
import { formatDuration, formatTime, zoneAbbrev } from '../lib/format';
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
  const tz = useTimeZone();
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
            title={`Filter language (nfdump style)${hint}, for example:\n${EXAMPLES.join('\n')}\nbefore "2024-03-12 06:00" (times without a zone are read in ${tz})`}
          />
          <button type="submit" className="primary">Apply</button>
          <button type="button" disabled={!draft && !value} onClick={() => apply('')}>
            Clear
          </button>
        </form>
        {right}
      </div>
      {value || (range && onClearRange) ? (
        <div className="active-chips" data-testid="active-chips" aria-label="Applied to this view">
          <span className="muted chips-label">Applied here</span>
          {value ? <FilterChip filter={value} onClear={() => apply('')} /> : null}
          {range && onClearRange ? <TimeRangeChip range={range} onClear={onClearRange} /> : null}
        </div>
      ) : null}
      {error ? (
        <div className="filter-error" data-testid="filter-error">
          <ErrorMessage error={error} title={badFilter ? 'Filter' : undefined} />
        </div>
      ) : hasZonelessTime(draft) && draft !== value ? (
        <div className="filter-hint muted" data-testid="filter-zone-hint">Times without a zone are read in {tz}; add Z or ±HH:MM for another zone.</div>
      ) : null}
    </div>
  );
}

/** Times in a filter, with the zone written after them if any ("2024-03-12 06:00", 2024-03-12T06:00Z). */
const FILTER_TIME = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(\s*(?:Z|[+-]\d{2}:?\d{2}))?/gi;

/** Whether a filter has a time without a zone (which the core reads in the display zone). */
export function hasZonelessTime(filter: string): boolean {
  return [...filter.matchAll(FILTER_TIME)].some((m) => !m[1]);
}

/** The applied filter as a chip, so no view is filtered silently; × clears it everywhere. */
export function FilterChip({ filter, onClear }: { filter: string; onClear: () => void }) {
  const tz = useTimeZone();
  const zoned = hasZonelessTime(filter);
  return (
    <span className="range-chip filter-chip" data-testid="filter-chip" title={`Only flows matching this filter${zoned ? `; times without a zone are read in ${tz}` : ''}`}>
      <span className="range-chip-label">Filter</span>
      <span className="mono filter-chip-text">{filter}</span>
      {zoned ? <span className="muted" data-testid="filter-zone">times in {tz}</span> : null}
      <button type="button" className="icon-button" onClick={onClear} aria-label="Clear filter" data-testid="clear-filter">
        ×
      </button>
    </span>
  );
}

/** "filtered" beside a count, when a filter or a time range narrows it. */
export function FilteredTag({ on }: { on: boolean }) {
  if (!on) return null;
  return <span className="filtered-tag" data-testid="filtered-tag" title="A filter or time range narrows what is counted here">filtered</span>;
}

/** The time range, in the case's time zone; × widens back to the whole case. */
export function TimeRangeChip({ range, onClear }: { range: TimeRange; onClear: () => void }) {
  const tz = useTimeZone();
  return (
    <span className="range-chip" data-testid="time-range" data-from={range.fromUs} data-to={range.toUs} title={`Only flows starting in this window (${tz}); brushing any chart sets it`}>
      <span className="range-chip-label">Time</span>
      <span className="mono">
        {formatTime(range.fromUs, tz, 's')} → {formatTime(range.toUs, tz, 's')} {zoneAbbrev(range.fromUs, tz)}
      </span>
      <span className="muted">({formatDuration(range.toUs - range.fromUs)})</span>
      <button type="button" className="icon-button" onClick={onClear} aria-label="Clear time range" data-testid="clear-time-range">
        ×
      </button>
    </span>
  );
}
