/**
 * Times as reports and exports print them: UTC microseconds shown in a named zone with the
 * offset spelled out, digits appended exactly from the integer (never rounded through a Date).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      hourCycle: 'h23', timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows the zone (an IANA name such as Europe/Berlin, or UTC). */
export function isTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface ZonedParts { date: string; time: string; offset: string; frac: string }

function zonedParts(us: number, timeZone: string): ZonedParts {
  const sec = Math.floor(us / 1e6);
  const p: Record<string, string> = {};
  for (const x of partsFormatter(timeZone).formatToParts(new Date(sec * 1000))) p[x.type] = x.value;
  // 'GMT' alone is a zero offset; otherwise 'GMT+01:00'.
  const offset = !p.timeZoneName || p.timeZoneName === 'GMT' ? '+00:00' : p.timeZoneName.replace('GMT', '');
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}`, offset, frac: String(us - sec * 1e6).padStart(6, '0') };
}

/** ISO 8601 with the zone's offset and microseconds: 2024-03-12T10:30:00.000000+01:00 (Timesketch's datetime). */
export function zonedIso(us: number, timeZone = 'UTC'): string {
  const z = zonedParts(us, timeZone);
  return `${z.date}T${z.time}.${z.frac}${z.offset}`;
}

/** For people: "2024-03-12 10:30:00 UTC+01:00", with the fraction only when there is one. */
export function zonedText(us: number, timeZone = 'UTC', withFraction = false): string {
  const z = zonedParts(us, timeZone);
  const frac = withFraction || z.frac !== '000000' ? `.${z.frac}` : '';
  return `${z.date} ${z.time}${frac} UTC${z.offset}`;
}

/** The zone's offset at an instant, "+01:00". */
export function zoneOffsetAt(us: number, timeZone = 'UTC'): string {
  return zonedParts(us, timeZone).offset;
}
