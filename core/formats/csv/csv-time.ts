import { decimalSecondsToMicros } from './decimal-micros';
import type { ZonedClock } from './zoned-time';

/**
 * How a CSV column writes times. `auto` reads ISO 8601, epoch numbers (seconds, milliseconds
 * or microseconds by magnitude) and slashed dates (day first unless that is impossible).
 */
export type CsvTimeFormat = 'auto' | 'iso' | 'epoch-s' | 'epoch-ms' | 'epoch-us' | 'dmy' | 'mdy';

/** Every time format, for the import dialog's choice list. */
export const CSV_TIME_FORMATS: readonly CsvTimeFormat[] = ['auto', 'iso', 'epoch-s', 'epoch-ms', 'epoch-us', 'dmy', 'mdy'];

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const SLASHED = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?)?$/;

/**
 * UTC microseconds of a time value, or null when it does not read in the format. Times
 * without a zone are wall-clock times in the clock's zone.
 */
export function parseCsvTime(text: string, format: CsvTimeFormat, clock: ZonedClock): number | null {
  const s = text.trim();
  if (s.length === 0) return null;
  switch (format) {
    case 'epoch-s': return decimalSecondsToMicros(s);
    case 'epoch-ms': { const v = decimalSecondsToMicros(s); return v === null ? null : Math.round(v / 1000); }
    case 'epoch-us': { const v = decimalSecondsToMicros(s); return v === null ? null : Math.round(v / 1e6); }
    case 'iso': return iso(s, clock);
    case 'dmy': return slashed(s, clock, true);
    case 'mdy': return slashed(s, clock, false);
    case 'auto': {
      const c = s.charCodeAt(0);
      if (/^-?\d+(\.\d+)?$/.test(s)) {
        const v = decimalSecondsToMicros(s);
        if (v === null) return null;
        const mag = Math.abs(Number(s));
        // Epoch by magnitude: seconds until year 5138, ms until 5138, else µs.
        return mag < 1e11 ? v : mag < 1e14 ? Math.round(v / 1000) : Math.round(v / 1e6);
      }
      if (c >= 48 && c <= 57 && s.length > 4 && s.charCodeAt(4) === 45) return iso(s, clock);
      return slashed(s, clock, true);
    }
  }
}

function iso(s: string, clock: ZonedClock): number | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  const us = frac ? Number((frac + '000000').slice(0, 6)) : 0;
  if (!validParts(+y, +mo, +d, +h, +mi, +sec)) return null;
  if (!zone) return clock.toUtcMicros(+y, +mo, +d, +h, +mi, +sec, us);
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec);
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  }
  return ms * 1000 + us;
}

function slashed(s: string, clock: ZonedClock, dayFirst: boolean): number | null {
  const m = SLASHED.exec(s);
  if (!m) return null;
  let [a, b] = [+m[1], +m[2]];
  const c = +m[3];
  let y: number, mo: number, d: number;
  if (m[1].length === 4) { y = a; mo = b; d = c; } else {
    y = c < 100 ? 2000 + c : c;
    // Day first unless that cannot be a date (13/.. is a day, ../13 is not a month).
    if (dayFirst ? b > 12 && a <= 12 : !(a > 12 && b <= 12)) [a, b] = [b, a];
    d = a; mo = b;
  }
  let h = m[4] ? +m[4] : 0;
  const mi = m[5] ? +m[5] : 0;
  const sec = m[6] ? +m[6] : 0;
  const us = m[7] ? Number((m[7] + '000000').slice(0, 6)) : 0;
  const ampm = m[8]?.toUpperCase();
  if (ampm) {
    if (h < 1 || h > 12) return null;
    if (ampm === 'PM' && h < 12) h += 12;
    if (ampm === 'AM' && h === 12) h = 0;
  }
  if (!validParts(y, mo, d, h, mi, sec)) return null;
  return clock.toUtcMicros(y, mo, d, h, mi, sec, us);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 ? (leap ? 29 : 28) : DAYS[mo - 1]);
}
