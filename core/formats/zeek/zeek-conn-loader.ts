import type { FormatLoader } from '../decoder';
import { decodeZeekConn } from './decode-zeek-conn';

const latin1 = new TextDecoder('latin1');

/**
 * Zeek conn.log / open_conn.log, ASCII (TSV) or JSON lines; also zeek-cut output and btest
 * baselines.
 */
export const zeekConnLoader: FormatLoader = {
  id: 'zeek-conn',
  label: 'Zeek conn.log (TSV or JSON)',
  extensions: ['.log', '.json', '.cut', '.labeled'],
  patterns: ['conn.log', 'conn.*.log', 'open_conn.log', '*.conn.log.labeled', 'conn.log (JSON lines)'],
  positionUnit: 'line',
  options: [],
  sniff: sniffZeekConn,
  decode: decodeZeekConn,
};

/** Scores a head as a Zeek conn log: header directives, a JSON line with conn keys, or a zeek-cut header. */
export function sniffZeekConn(head: Uint8Array, fileName: string): number {
  let text = latin1.decode(head.subarray(0, 8192));
  if (text.startsWith('###')) text = text.slice(text.indexOf('\n') + 1);
  text = text.trimStart();
  const isConnName = /(^|[^a-z])conn/i.test(fileName);
  if (text.startsWith('#separator')) {
    const path = /#path[\t ]+(\S+)/.exec(text)?.[1];
    if (path === 'conn' || path === 'open_conn') return 0.98;
    if (/#fields[^\n]*\bid\.orig_h\b[^\n]*\bconn_state\b/.test(text)) return 0.95;
    return path ? 0.2 : 0.6;
  }
  if (text.startsWith('{')) {
    const first = text.slice(0, text.indexOf('\n') >>> 0);
    if (/"(id\.orig_h|orig_h)"\s*:/.test(first) && /"(uid|conn_state)"\s*:/.test(first)) {
      if (/"_path"\s*:\s*"(?!conn|open_conn)/.test(first)) return 0.2;
      return 0.9;
    }
    return 0;
  }
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  if (/(^|\t)id\.orig_h(\t|$)/.test(firstLine) || (/(^|\t)uid(\t|$)/.test(firstLine) && /(^|\t)conn_state(\t|$)/.test(firstLine))) return 0.85;
  return isConnName && text.length === 0 ? 0.1 : 0;
}
