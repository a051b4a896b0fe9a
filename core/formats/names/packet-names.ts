import { ipToBigInt } from '../../model/ip';
import type { NameRecord } from '../../model/name-record';
import type { DecodedPacket } from '../packets/decoded-packet';
import { dnsAnswers } from './dns-answers';
import { httpRequestName, looksLikeHttpRequest } from './http-request';
import { clientHelloRecordLength, tlsServerName } from './tls-server-name';

/** ClientHellos spread over several segments being put together, at most this many at once. */
const MAX_PENDING_HELLOS = 1024;
/** A ClientHello record is at most 2^14 bytes plus header (RFC 8446 §5.1). */
const MAX_HELLO = 16384 + 5;

interface PendingHello {
  buf: Uint8Array;
  have: number;
  nextSeq: number;
  tsUs: number;
  pos: number;
  client: bigint;
  server: bigint;
}

/** DNS/TLS/HTTP address bytes (4 or 16) in the store's UHUGEINT form. */
function addressBytes(a: Uint8Array): bigint {
  if (a.length === 4) return ipToBigInt(((a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3]) >>> 0);
  let v = 0n;
  for (const b of a) v = (v << 8n) | BigInt(b);
  return v;
}

/**
 * Finds the names clients used in a capture, packet by packet, while the flow meter runs:
 * DNS answers from port 53 (UDP, and TCP messages whole within a segment), the server name
 * of TLS ClientHellos (put together across segments in order), and HTTP/1.x request Host
 * and URI. Most packets cost a port comparison and a byte test; packets with a bad
 * checksum are skipped, as the meter skips them.
 */
export class PacketNames {
  private readonly pending = new Map<string, PendingHello>();
  found = 0;

  constructor(private readonly emit: (r: NameRecord) => void) {}

  add(p: DecodedPacket): void {
    if (!p.hasTransport || p.isFragment || p.checksumOk === 0) return;
    const len = p.payloadEnd - p.payloadPos;
    if (len === 0) return;
    if (p.proto === 17) {
      if (p.srcPort === 53) this.dns(p, p.payload);
      return;
    }
    if (p.proto !== 6) return;
    if (p.srcPort === 53) {
      this.dnsOverTcp(p);
      return;
    }
    const b = p.payload;
    if (this.pending.size > 0) {
      const key = `${ipToBigInt(p.src)}|${p.srcPort}|${ipToBigInt(p.dst)}|${p.dstPort}`;
      const h = this.pending.get(key);
      if (h) {
        if (p.seq === h.nextSeq) {
          const n = Math.min(len, h.buf.length - h.have);
          h.buf.set(b.subarray(0, n), h.have);
          h.have += n;
          h.nextSeq = (h.nextSeq + len) >>> 0;
          if (h.have >= h.buf.length) {
            this.pending.delete(key);
            this.sni(h.buf, h.tsUs, h.pos, h.client, h.server);
          }
        }
        return;
      }
    }
    if (b[0] === 0x16) {
      const need = clientHelloRecordLength(b);
      if (need === 0) return;
      const client = ipToBigInt(p.src);
      const server = ipToBigInt(p.dst);
      if (len >= need || need > MAX_HELLO) {
        this.sni(b, p.tsUs, p.offset, client, server);
        return;
      }
      if (this.pending.size >= MAX_PENDING_HELLOS) this.pending.delete(this.pending.keys().next().value!);
      const buf = new Uint8Array(need);
      buf.set(b);
      this.pending.set(`${client}|${p.srcPort}|${server}|${p.dstPort}`, { buf, have: len, nextSeq: (p.seq + len) >>> 0, tsUs: p.tsUs, pos: p.offset, client, server });
      return;
    }
    if (looksLikeHttpRequest(b)) {
      const r = httpRequestName(b);
      if (r) this.push({ tsUs: p.tsUs, client: ipToBigInt(p.src), addr: ipToBigInt(p.dst), name: r.host, source: 'http', uri: r.uri, pos: p.offset });
    }
  }

  private sni(b: Uint8Array, tsUs: number, pos: number, client: bigint, server: bigint): void {
    const name = tlsServerName(b);
    if (name) this.push({ tsUs, client, addr: server, name, source: 'sni', pos });
  }

  private dns(p: DecodedPacket, m: Uint8Array): void {
    const answers = dnsAnswers(m);
    if (answers.length === 0) return;
    const client = ipToBigInt(p.dst);
    for (const a of answers) this.push({ tsUs: p.tsUs, client, addr: addressBytes(a.address), name: a.name, source: 'dns', pos: p.offset });
  }

  /** DNS over TCP (RFC 1035 §4.2.2): 2-byte length, then the message; each whole message in this segment. */
  private dnsOverTcp(p: DecodedPacket): void {
    const b = p.payload;
    let at = 0;
    while (at + 2 <= b.length) {
      const n = (b[at] << 8) | b[at + 1];
      if (n === 0 || at + 2 + n > b.length) return;
      this.dns(p, b.subarray(at + 2, at + 2 + n));
      at += 2 + n;
    }
  }

  private push(r: NameRecord): void {
    this.found++;
    this.emit(r);
  }
}
