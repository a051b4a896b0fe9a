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
 * or epoch seconds; a time without a zone is UTC. Returns null when unreadable.
 */
export function parseTimeToMicros(text: string): number | null {
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
  }
  const micros = frac ? Math.round(Number(`0.${frac}`) * 1e6) : 0;
  return ms * 1000 + micros;
}
