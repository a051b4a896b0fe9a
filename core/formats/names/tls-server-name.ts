/**
 * How many bytes of a TLS record starting with a ClientHello are needed to read it: the
 * record length + 5, or 0 when `b` does not start a ClientHello record (RFC 8446 §5.1, §4.1.2).
 */
export function clientHelloRecordLength(b: Uint8Array): number {
  if (b.length < 6 || b[0] !== 0x16 || b[1] !== 0x03 || b[5] !== 0x01) return 0;
  return 5 + ((b[3] << 8) | b[4]);
}

/**
 * The server_name (RFC 6066 §3) of a ClientHello record, lower case; null when the record
 * has none or is cut short. Reads only within the record's stated lengths.
 */
export function tlsServerName(b: Uint8Array): string | null {
  const recEnd = Math.min(b.length, clientHelloRecordLength(b));
  if (recEnd === 0) return null;
  // Handshake header (type 1 + 3-byte length), then version 2 + random 32.
  let p = 5 + 4 + 2 + 32;
  if (p + 1 > recEnd) return null;
  p += 1 + b[p]; // session id
  if (p + 2 > recEnd) return null;
  p += 2 + ((b[p] << 8) | b[p + 1]); // cipher suites
  if (p + 1 > recEnd) return null;
  p += 1 + b[p]; // compression methods
  if (p + 2 > recEnd) return null;
  const extEnd = Math.min(recEnd, p + 2 + ((b[p] << 8) | b[p + 1]));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = (b[p] << 8) | b[p + 1];
    const len = (b[p + 2] << 8) | b[p + 3];
    const body = p + 4;
    if (body + len > extEnd) return null;
    if (type === 0) {
      let q = body + 2;
      const listEnd = Math.min(body + len, q + ((b[body] << 8) | b[body + 1]));
      while (q + 3 <= listEnd) {
        const nameType = b[q];
        const nameLen = (b[q + 1] << 8) | b[q + 2];
        if (q + 3 + nameLen > listEnd) return null;
        if (nameType === 0) return hostText(b, q + 3, q + 3 + nameLen);
        q += 3 + nameLen;
      }
      return null;
    }
    p = body + len;
  }
  return null;
}

/** ASCII host name bytes as lower-case text; null for anything that is not one. */
export function hostText(b: Uint8Array, from: number, to: number): string | null {
  if (to <= from || to - from > 253) return null;
  let s = '';
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (c <= 0x20 || c >= 0x7f) return null;
    s += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
  }
  return s.endsWith('.') ? s.slice(0, -1) : s;
}
