/** Times in the store are UTC microseconds since the Unix epoch, as plain numbers (exact below 2^53). */
export type EpochMicros = number;

export function microsToIso(us: number): string {
  const ms = Math.floor(us / 1000);
  const frac = us - ms * 1000;
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return frac === 0 ? iso : `${iso.slice(0, -1)}${String(Math.round(frac)).padStart(3, '0')}Z`;
}

/** ISO-8601 UTC with second precision, as the CLI's JSON contract prints first/last. */
export function microsToIsoSeconds(us: number): string {
  return new Date(Math.floor(us / 1e6) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Parses an ISO-8601 time (`2024-01-12T10:00Z`, `2024-01-12 10:00:00.123456`, a date alone)
 * or epoch seconds. A time written without a zone is a wall-clock time in `timeZone` (an
 * IANA name, default UTC): what the analyst sees on screen is what they type. Returns null
 * when unreadable (or the zone is unknown).
 */
export function parseTimeToMicros(text: string, timeZone = 'UTC'): number | null {
  const s = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1e6);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec);
  if (Number.isNaN(ms)) return null;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  } else if (!zone && timeZone !== 'UTC') {
    const utc = wallToUtcMs(ms, timeZone);
    if (utc === null) return null;
    ms = utc;
  }
  const micros = frac ? Math.round(Number(`0.${frac}`) * 1e6) : 0;
  return ms * 1000 + micros;
}

/** Whether the runtime knows this IANA zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  return zoneFormatter(timeZone) !== null;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      f = null;
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading (as if UTC, in ms) of a UTC instant in a zone. */
function wallOf(utcMs: number, f: Intl.DateTimeFormat): number {
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + (utcMs % 1000 + 1000) % 1000;
}

/**
 * The UTC instant of a wall-clock time (given as if it were UTC, in ms) in a zone: guess
 * with the offset at the wall time, correct once (DST edges settle in two steps). A wall
 * time skipped by a DST jump maps forward, a repeated one to its first occurrence.
 */
export function wallToUtcMs(wallMs: number, timeZone: string): number | null {
  const f = zoneFormatter(timeZone);
  if (!f) return null;
  let utc = wallMs - (wallOf(wallMs, f) - wallMs);
  utc += wallMs - wallOf(utc, f);
  return utc;
}
