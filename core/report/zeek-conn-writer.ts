import type { SessionView } from '../analysis/sessions/session-view';

/** Where the log goes: a Node stream, a string collector, anything with write(). */
export interface TextOut {
  write(chunk: string): unknown;
}

export interface ZeekConnLogOptions {
  /** `#open` / `#close` stamps, UTC microseconds (default: now). */
  readonly openedUs?: number;
  readonly closedUs?: number;
}

/**
 * conn.log columns in Zeek's order (Zeek 7 with ip_proto). local_orig/local_resp and
 * tunnel_parents are unknown to Flowcase and written unset.
 */
export const ZEEK_CONN_FIELDS = [
  'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes',
  'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes',
  'resp_pkts', 'resp_ip_bytes', 'tunnel_parents', 'ip_proto',
] as const;

export const ZEEK_CONN_TYPES = [
  'time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'interval', 'count', 'count', 'string', 'bool',
  'bool', 'count', 'string', 'count', 'count', 'count', 'count', 'set[string]', 'count',
] as const;

const UNSET = '-';
const EMPTY = '(empty)';

/**
 * Writes sessions as a Zeek ASCII conn.log (TSV) with Zeek's header lines, so zeek-cut,
 * RITA, Zui/Brim and other Zeek-log readers accept it. Unknown values are '-', times are
 * epoch seconds with 6 decimals like Zeek's. Returns the number of rows written.
 */
export async function writeZeekConnLog(
  rows: Iterable<SessionView> | AsyncIterable<SessionView>,
  out: TextOut,
  opts: ZeekConnLogOptions = {},
): Promise<number> {
  const opened = opts.openedUs ?? Date.now() * 1000;
  out.write(
    [
      '#separator \\x09',
      '#set_separator\t,',
      `#empty_field\t${EMPTY}`,
      `#unset_field\t${UNSET}`,
      '#path\tconn',
      `#open\t${zeekStamp(opened)}`,
      `#fields\t${ZEEK_CONN_FIELDS.join('\t')}`,
      `#types\t${ZEEK_CONN_TYPES.join('\t')}`,
    ].join('\n') + '\n',
  );
  let count = 0;
  for await (const s of rows) {
    out.write(zeekConnLine(s) + '\n');
    count++;
  }
  out.write(`#close\t${zeekStamp(opts.closedUs ?? Date.now() * 1000)}\n`);
  return count;
}

/** One conn.log line (no newline) for a session. */
export function zeekConnLine(s: SessionView): string {
  return [
    zeekTime(s.ts), str(s.uid), s.origH, String(s.origP), s.respH, String(s.respP), s.proto, str(s.service),
    zeekInterval(s.duration), num(s.origBytes), num(s.respBytes), str(s.connState), UNSET, UNSET, num(s.missedBytes),
    str(s.history), String(s.origPkts), String(s.origIpBytes), String(s.respPkts), String(s.respIpBytes), UNSET,
    String(s.ipProto),
  ].join('\t');
}

/** Epoch seconds with 6 decimals from integer microseconds, without float rounding. */
export function zeekTime(us: number): string {
  const neg = us < 0;
  const abs = BigInt(Math.abs(Math.round(us)));
  const text = `${abs / 1000000n}.${(abs % 1000000n).toString().padStart(6, '0')}`;
  return neg ? `-${text}` : text;
}

function zeekInterval(seconds: number): string {
  return seconds.toFixed(6);
}

function num(v: number | null): string {
  return v === null || v === undefined ? UNSET : String(v);
}

/**
 * Zeek's ASCII writer escapes the separator, non-printable bytes and backslash as \xNN;
 * an empty string is written as (empty), an unset one as '-' (and a literal '-' escaped).
 */
function str(v: string | null): string {
  if (v === null || v === undefined) return UNSET;
  if (v === '') return EMPTY;
  if (v === UNSET) return '\\x2d';
  // eslint-disable-next-line no-control-regex -- Zeek writes control characters as \xNN: finding them is the point
  return v.replace(/[\x00-\x1f\x7f\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Zeek's #open/#close format: %Y-%m-%d-%H-%M-%S in UTC. */
function zeekStamp(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}`;
}
