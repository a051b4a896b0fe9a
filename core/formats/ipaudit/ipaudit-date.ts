import type { DecodeFailure, DecodeOptions } from '../decoder';
import { ZonedClock } from '../csv/zoned-time';

/** The calendar day (and interval start) that IPAudit's time-of-day columns belong to. */
export interface IpauditDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Minutes after midnight at which the file's interval starts (from the name), else null. */
  readonly startMinute: number | null;
  readonly source: 'file-name' | 'option';
  readonly clock: ZonedClock;
}

/**
 * IPAudit names its saved files after the interval start, `2006-03-27-08:00.txt(.gz)`; copies
 * made on Windows replace the colon, so `08_00`, `08-00` and `0800` are accepted too.
 */
const NAME_DATE = /(\d{4})-(\d{2})-(\d{2})(?:[-_T](\d{2})[:_\-.]?(\d{2}))?/;

/**
 * Works out the day from the `date` option (YYYY-MM-DD, wins when given) or the file name, and
 * the zone from `timeZone` (IANA name, default UTC). Without either date source the import
 * cannot place a single record in time, so it fails asking for the date.
 */
export function ipauditDay(fileName: string, options: DecodeOptions): IpauditDay | DecodeFailure {
  const tzName = typeof options.timeZone === 'string' && options.timeZone.trim() ? options.timeZone.trim() : 'UTC';
  const clock = ZonedClock.of(tzName);
  if (!clock) return { code: 'bad-option', offset: 0, message: `timeZone '${tzName}' is not an IANA time zone name (e.g. 'UTC', 'America/New_York')` };
  const fromName = NAME_DATE.exec(fileName);
  const nameStart = fromName?.[4] !== undefined ? Number(fromName[4]) * 60 + Number(fromName[5]) : null;
  if (options.date !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(options.date).trim());
    if (!m || !validDay(+m[1], +m[2], +m[3])) return { code: 'bad-option', offset: 0, message: `date '${String(options.date)}' is not a YYYY-MM-DD date` };
    const sameDay = fromName && fromName[1] === m[1] && fromName[2] === m[2] && fromName[3] === m[3];
    return { year: +m[1], month: +m[2], day: +m[3], startMinute: sameDay ? nameStart : null, source: 'option', clock };
  }
  if (fromName && validDay(+fromName[1], +fromName[2], +fromName[3])) {
    return { year: +fromName[1], month: +fromName[2], day: +fromName[3], startMinute: nameStart, source: 'file-name', clock };
  }
  return {
    code: 'date-required', offset: 0,
    message: "IPAudit times carry no date and the file name has none (IPAudit names files like 2006-03-27-08:00.txt): give the decode option 'date' (YYYY-MM-DD) and, unless the times are UTC, 'timeZone' (IANA name)",
  };
}

function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
