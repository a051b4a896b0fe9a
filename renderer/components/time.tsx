import { formatDuration, formatTime, formatUtcIso, zoneAbbrev, zoneOffset, type TimePrecision } from '../lib/format';
import { useTimeZone } from '../lib/time-zone';

/**
 * A UTC-microsecond instant shown in the case's time zone with the zone's short name
 * ("2024-03-12 05:30:00.000000 EDT"), so no time on screen is read in the wrong zone; the
 * exact UTC value on hover.
 */
export function Time({ us, precision = 'us' }: { us: number | null | undefined; precision?: TimePrecision }) {
  const tz = useTimeZone();
  if (us === null || us === undefined) return <span className="null">–</span>;
  const title = tz === 'UTC' ? formatUtcIso(us) : `${formatUtcIso(us)}\n${tz} (${zoneOffset(us, tz)})`;
  return <time title={title}>{formatTime(us, tz, precision)}<span className="tzs"> {zoneAbbrev(us, tz)}</span></time>;
}

/** A first–last span, e.g. the case's or an evidence file's. */
export function TimeSpan({ first, last, precision = 's' }: { first: number | null; last: number | null; precision?: TimePrecision }) {
  if (first === null || last === null) return <span className="null">no flows</span>;
  return (
    <span className="time-span" title={`duration ${formatDuration(last - first)}`}>
      <Time us={first} precision={precision} /> <span className="muted">→</span> <Time us={last} precision={precision} />
    </span>
  );
}
