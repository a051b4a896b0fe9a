import { formatDuration, formatTime, formatUtcIso, zoneAbbrev, zoneOffset, type TimePrecision } from '../lib/format';
import { useTimeZone } from '../lib/time-zone';

/**
 * A UTC-microsecond instant shown in the case's time zone with the zone's short name
 * ("2024-03-12 05:30:00.000000 EDT"), so no time on screen is read in the wrong zone; the
 * exact UTC value on hover.
 */
export function Time({ us, precision = 'us', zone = true }: {
  us: number | null | undefined;
  precision?: TimePrecision;
  /** false in a grid column whose header names the zone (ZoneHeader), where 30 characters a cell do not fit. */
  zone?: boolean;
}) {
  const tz = useTimeZone();
  if (us === null || us === undefined) return <span className="null">–</span>;
  const title = tz === 'UTC' ? formatUtcIso(us) : `${formatUtcIso(us)}\n${tz} (${zoneOffset(us, tz)})`;
  return <time title={title}>{formatTime(us, tz, precision)}{zone ? <span className="tzs"> {zoneAbbrev(us, tz)}</span> : null}</time>;
}

/** A grid column header that names the zone its times are shown in: "Start · America/New_York". */
export function ZoneHeader({ label }: { label: string }) {
  const tz = useTimeZone();
  return <span>{label} <span className="tzs" data-testid="zone-header">· {tz}</span></span>;
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
