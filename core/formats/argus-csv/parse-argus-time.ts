/**
 * Time stamps as ra prints them: epoch seconds (`-u`, e.g. 1300475167.096535), a date and
 * time per RA_TIME_FORMAT (`2011/08/10 09:46:53.047277`, `2011-08-10 09:46:53`), or ra's
 * default `%T.%f` time of day, which needs the date from the user.
 */
export type ArgusTimeKind = 'epoch' | 'datetime' | 'time-of-day';

const EPOCH = /^(\d{1,12})(?:\.(\d{1,9}))?$/;
const DATETIME = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})[ T.](\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** Fraction digits as whole microseconds (extra digits are cut, as ra -p 6 would round them away). */
export function fractionMicros(digits: string | undefined): number {
  if (!digits) return 0;
  return Number((digits + '00000').slice(0, 6));
}

/** Which of the three forms a time text has, or null. */
export function argusTimeKind(text: string): ArgusTimeKind | null {
  const s = text.trim();
  if (EPOCH.test(s)) return 'epoch';
  if (DATETIME.test(s)) return 'datetime';
  if (TIME_OF_DAY.test(s)) return 'time-of-day';
  return null;
}

/**
 * UTC microseconds of a time text. Wall-clock forms are read in the zone `offsetUs` east of
 * UTC (0 = UTC); a time of day is placed on `dayUs` (UTC midnight of the day, in the same
 * zone). Returns null when the text is none of the forms or not a valid date.
 */
export function parseArgusTime(text: string, offsetUs: number, dayUs: number | null): number | null {
  const s = text.trim();
  const fast = fastEpoch(s) ?? fastDateTime(s, offsetUs);
  if (fast !== undefined) return fast;
  let m = EPOCH.exec(s);
  if (m) return Number(m[1]) * 1e6 + fractionMicros(m[2]);
  m = DATETIME.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, sec, frac] = m;
    const day = utcDayMs(+y, +mo, +d);
    if (day === null || +h > 23 || +mi > 59 || +sec > 60) return null;
    return (day + ((+h * 60 + +mi) * 60 + +sec) * 1000) * 1000 + fractionMicros(frac) - offsetUs;
  }
  m = TIME_OF_DAY.exec(s);
  if (m && dayUs !== null) {
    const [, h, mi, sec, frac] = m;
    if (+h > 23 || +mi > 59 || +sec > 60) return null;
    return dayUs + ((+h * 60 + +mi) * 60 + +sec) * 1e6 + fractionMicros(frac) - offsetUs;
  }
  return null;
}

let cachedDayKey = -1;
let cachedDayMs: number | null = null;

/** UTC midnight of a calendar date in ms, null for a date that does not exist (2011/02/30). */
function utcDayMs(y: number, mo: number, d: number): number | null {
  const key = y * 10000 + mo * 100 + d;
  if (key === cachedDayKey) return cachedDayMs;
  let ms: number | null = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (mo < 1 || mo > 12 || back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) ms = null;
  cachedDayKey = key;
  cachedDayMs = ms;
  return ms;
}

/** Digits of s[from, to) as a number, or -1 when one is not a digit. */
function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Microseconds of the fraction digits after a '.' at `dot` (up to 9 digits, cut to 6); -1 if malformed. */
function fractionAt(s: string, dot: number): number {
  if (dot >= s.length) return 0;
  if (s.charCodeAt(dot) !== 46) return -1;
  const n = s.length - dot - 1;
  if (n < 1 || n > 9) return -1;
  const v = digits(s, dot + 1, s.length);
  if (v < 0) return -1;
  return n >= 6 ? Math.floor(v / 10 ** (n - 6)) : v * 10 ** (6 - n);
}

/** The common `1300475167.096535` form without a regular expression; undefined when s has another shape. */
function fastEpoch(s: string): number | undefined {
  const dot = s.indexOf('.');
  const intEnd = dot < 0 ? s.length : dot;
  if (intEnd < 1 || intEnd > 12) return undefined;
  const sec = digits(s, 0, intEnd);
  if (sec < 0) return undefined;
  const frac = fractionAt(s, intEnd);
  return frac < 0 ? undefined : sec * 1e6 + frac;
}

/** The common `2011/08/10 09:46:53.047277` form without a regular expression; undefined when s has another shape. */
function fastDateTime(s: string, offsetUs: number): number | null | undefined {
  if (s.length < 19) return undefined;
  const sep = s.charCodeAt(4);
  if ((sep !== 47 && sep !== 45) || s.charCodeAt(7) !== sep) return undefined;
  const mid = s.charCodeAt(10);
  if ((mid !== 32 && mid !== 84) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  const h = digits(s, 11, 13);
  const mi = digits(s, 14, 16);
  const sec = digits(s, 17, 19);
  const frac = fractionAt(s, 19);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || frac < 0) return undefined;
  const day = utcDayMs(y, mo, d);
  if (day === null || h > 23 || mi > 59 || sec > 60) return null;
  return (day + ((h * 60 + mi) * 60 + sec) * 1000) * 1000 + frac - offsetUs;
}

/** Seconds with a decimal fraction (ra's Dur) as whole microseconds, exactly; null if not a number. */
export function parseSecondsMicros(text: string): number | null {
  const s = text.trim();
  const v = fastEpoch(s);
  return v === undefined ? null : v;
}

/** A zone option ("UTC", "Z", "+01:00", "-0500") as microseconds east of UTC; null if unreadable. */
export function parseZoneOffset(text: string): number | null {
  const s = text.trim();
  if (/^(utc|gmt|z)$/i.test(s)) return 0;
  const m = /^(?:utc|gmt)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(s);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return (m[1] === '-' ? -1 : 1) * minutes * 60 * 1e6;
}
