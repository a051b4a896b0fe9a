/** Display formatting for numbers, sizes, times and protocol fields (pure functions, no React). */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Human-readable size in decimal units (1.2 MB = 1 200 000 bytes), as network tools count. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  if (Math.abs(n) < 1000) return `${n} B`;
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${UNITS[u]}`;
}

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Exact count with thousands separators (12,345). */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  return INT.format(n);
}

/** Compact count for rates and dense cells (12.3k, 4.5M). */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) return '';
  const a = Math.abs(n);
  if (a < 1000) return a < 10 && !Number.isInteger(n) ? n.toFixed(1) : String(Math.round(n));
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e4 ? 1 : 0)}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e7 ? 1 : 0)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

/** A duration in microseconds: "0.000123 s", "12.345 s", "1 h 02 m 03 s". */
export function formatDuration(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '';
  if (us < 0) return `-${formatDuration(-us)}`;
  const s = us / 1e6;
  if (s < 60) return `${s.toFixed(s < 10 ? 6 : 3)} s`;
  const total = Math.floor(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const d = Math.floor(h / 24);
  if (d > 0) return `${d} d ${String(h % 24).padStart(2, '0')} h ${String(m).padStart(2, '0')} m`;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} m ${String(sec).padStart(2, '0')} s`;
  return `${m} m ${String(sec).padStart(2, '0')} s`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone, year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
      });
    } catch {
      f = formatterFor('UTC');
    }
    formatters.set(timeZone, f);
  }
  return f;
}

export type TimePrecision = 's' | 'ms' | 'us';

/**
 * UTC microseconds shown in `timeZone` as `2024-01-12 10:00:00.123456` (ISO order, 24 h, so
 * columns line up and sort by eye). Intl does the zone arithmetic; the sub-second digits are
 * appended exactly from the integer, never rounded through a Date.
 */
export function formatTime(us: number | null | undefined, timeZone = 'UTC', precision: TimePrecision = 'us'): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '';
  const ms = Math.floor(us / 1000);
  const sec = Math.floor(us / 1e6);
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const base = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  if (precision === 's') return base;
  const frac = String(us - sec * 1e6).padStart(6, '0');
  return `${base}.${precision === 'ms' ? frac.slice(0, 3) : frac}`;
}

/** The zone's offset at that instant, e.g. "UTC+01:00" (for tooltips and the header). */
export function zoneOffset(us: number, timeZone: string): string {
  try {
    const f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    const name = f.formatToParts(new Date(Math.floor(us / 1000))).find((p) => p.type === 'timeZoneName')?.value ?? '';
    return name === 'GMT' ? 'UTC+00:00' : name.replace('GMT', 'UTC');
  } catch {
    return '';
  }
}

/** The exact UTC instant, for hover text whatever zone the table shows. */
export function formatUtcIso(us: number | null | undefined): string {
  if (us === null || us === undefined) return '';
  return `${formatTime(us, 'UTC', 'us').replace(' ', 'T')}Z`;
}

/** Every IANA zone the runtime knows, UTC first. */
export function timeZoneNames(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? [];
  return ['UTC', ...all.filter((z) => z !== 'UTC')];
}

/** IANA protocol number to its usual name ("TCP"), or the number; ICMP or ICMPv6. One table with the core's. */
export { isIcmp, protoName } from '../../core/api/reference-data';

/**
 * TCP control bits as nfdump prints them (C E U A P R S F, '.' where unset): the core's rule,
 * so the app, the CLI and the exports write the same string.
 */
export { tcpFlagsText as tcpFlagLetters } from '../../core/api/reference-data';

/** `addr:port`, with IPv6 in brackets (RFC 5952 §6) so the port cannot be mistaken for a group. */
export function endpoint(addr: string, port: number | null | undefined, withPort = true): string {
  const a = addr.includes(':') ? `[${addr}]` : addr;
  return withPort && port !== null && port !== undefined ? `${a}:${port}` : a;
}

/** First and last characters of a hash: enough to tell files apart at a glance. */
export function shortHash(hex: string, head = 8, tail = 6): string {
  return hex.length <= head + tail + 1 ? hex : `${hex.slice(0, head)}…${hex.slice(-tail)}`;
}

/** Last path segment, whatever the separator (the path may come from another OS). */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/** Directory part of a path (without trailing separator). */
export function dirName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : i === 0 ? path.slice(0, 1) : '';
}

/** Joins a directory and a name with the separator the directory already uses. */
export function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}
