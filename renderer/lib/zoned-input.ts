import { formatTime } from './format';

/**
 * Reads a time the analyst typed: ISO 8601 with a zone (`Z`, `+01:00`) is taken as written;
 * without one (`2024-03-12 10:30`, `2024-03-12T10:30:15.5`) it means the zone the app shows.
 * Returns UTC microseconds, or null when the text is no time.
 */
export function parseZonedInput(text: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  if (Number.isNaN(wall)) return null;
  const micros = frac ? Number(frac.padEnd(6, '0')) : 0;
  if (zone) {
    if (zone.toUpperCase() === 'Z') return wall * 1000 + micros;
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    return (wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000) * 1000 + micros;
  }
  // The zone's offset at that wall time: guess, then correct once (DST edges settle in two steps).
  let utc = wall;
  for (let i = 0; i < 2; i++) {
    const shown = formatTime(utc * 1000, timeZone, 's');
    const sm = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(shown);
    if (!sm) break;
    const shownWall = Date.UTC(+sm[1], +sm[2] - 1, +sm[3], +sm[4], +sm[5], +sm[6]);
    utc += wall - shownWall;
  }
  return utc * 1000 + micros;
}
