import { hostText } from './tls-server-name';

/** The Host and target of an HTTP/1.x request. */
export interface HttpRequestName {
  host: string;
  uri: string;
}

const METHODS = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'];
const MAX_HEAD = 8192;
const MAX_URI = 2048;

/** True when the payload starts like an HTTP request line ("GET " ...): the cheap test per packet. */
export function looksLikeHttpRequest(b: Uint8Array): boolean {
  if (b.length < 16) return false;
  const c = b[0];
  if (c < 65 || c > 84) return false; // 'A'..'T': the first letters of the methods
  for (const m of METHODS) {
    if (b[m.length] !== 0x20) continue;
    let ok = true;
    for (let i = 0; i < m.length && ok; i++) ok = b[i] === m.charCodeAt(i);
    if (ok) return true;
  }
  return false;
}

/**
 * Reads the request line and the Host header of an HTTP/1.x request (RFC 9112 §3, §3.2)
 * from the first bytes of a client's payload. The port is dropped from Host; an absolute
 * URI's authority stands in when Host is missing. Null when there is no readable Host.
 */
export function httpRequestName(b: Uint8Array): HttpRequestName | null {
  if (!looksLikeHttpRequest(b)) return null;
  const head = new TextDecoder('latin1').decode(b.subarray(0, Math.min(b.length, MAX_HEAD)));
  const eol = head.indexOf('\r\n');
  if (eol < 0) return null;
  const parts = head.slice(0, eol).split(' ');
  if (parts.length !== 3 || !parts[2].startsWith('HTTP/')) return null;
  let uri = parts[1].slice(0, MAX_URI);
  let host: string | null = null;
  const m = /\r\nhost:[ \t]*([^\r\n]*)/i.exec(head);
  if (m) host = m[1].trim();
  const abs = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(.*)$/i.exec(uri);
  if (abs) {
    host ??= abs[1];
    uri = abs[2] || '/';
  }
  if (!host) return null;
  const bare = host.startsWith('[') ? host.slice(1, host.indexOf(']') >>> 0) : host.replace(/:\d+$/, '');
  const bytes = new TextEncoder().encode(bare);
  const name = hostText(bytes, 0, bytes.length);
  return name ? { host: name, uri } : null;
}
