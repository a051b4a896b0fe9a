/** One address a DNS response gave for the name the client asked. */
export interface DnsAnswer {
  /** The question's name (what the client asked for), lower case, no trailing dot. */
  name: string;
  /** 4 bytes (A) or 16 bytes (AAAA), copied out of the packet. */
  address: Uint8Array;
}

const MAX_NAME = 255;
const MAX_RECORDS = 256;

/**
 * Reads a DNS name at `pos` (RFC 1035 §4.1.4 compression allowed); returns it and the
 * position after it in the record (after the first pointer, if any). Bounded: at most
 * 128 labels/pointers, so a pointer loop cannot hang the import.
 */
function readName(m: Uint8Array, pos: number): { name: string; next: number } | null {
  let out = '';
  let next = -1;
  for (let hops = 0; hops < 128; hops++) {
    if (pos >= m.length) return null;
    const len = m[pos];
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return out.length > MAX_NAME ? null : { name: out, next };
    }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= m.length) return null;
      if (next < 0) next = pos + 2;
      pos = ((len & 0x3f) << 8) | m[pos + 1];
      continue;
    }
    if (len & 0xc0) return null;
    if (pos + 1 + len > m.length) return null;
    let label = '';
    for (let i = pos + 1; i <= pos + len; i++) {
      const c = m[i];
      // Printable ASCII only; anything else is not a host name a person would read.
      if (c <= 0x20 || c >= 0x7f) return null;
      label += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
    }
    out += (out ? '.' : '') + label;
    pos += 1 + len;
  }
  return null;
}

/**
 * The A/AAAA answers of a DNS response (RFC 1035 §4.1, RFC 3596) tied to the question's
 * name, so a CNAME chain still names what the client asked for. Queries, errors (RCODE
 * != 0), truncated or malformed messages give no answers: a name is kept only when the
 * message says it plainly.
 */
export function dnsAnswers(m: Uint8Array): DnsAnswer[] {
  if (m.length < 12) return [];
  const flags = (m[2] << 8) | m[3];
  if ((flags & 0x8000) === 0 || (flags & 0x7800) !== 0 || (flags & 0x000f) !== 0) return [];
  const qd = (m[4] << 8) | m[5];
  const an = (m[6] << 8) | m[7];
  if (qd !== 1 || an === 0 || an > MAX_RECORDS) return [];
  const q = readName(m, 12);
  if (!q || q.name.length === 0 || q.next + 4 > m.length) return [];
  let pos = q.next + 4;
  const out: DnsAnswer[] = [];
  for (let i = 0; i < an; i++) {
    const rr = readName(m, pos);
    if (!rr || rr.next + 10 > m.length) break;
    const type = (m[rr.next] << 8) | m[rr.next + 1];
    const cls = (m[rr.next + 2] << 8) | m[rr.next + 3];
    const rdlen = (m[rr.next + 8] << 8) | m[rr.next + 9];
    const rdata = rr.next + 10;
    if (rdata + rdlen > m.length) break;
    if ((cls & 0x7fff) === 1 && ((type === 1 && rdlen === 4) || (type === 28 && rdlen === 16))) {
      out.push({ name: q.name, address: m.slice(rdata, rdata + rdlen) });
    }
    pos = rdata + rdlen;
  }
  return out;
}
