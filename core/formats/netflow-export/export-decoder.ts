import type { FlowSink } from '../decoder';
import { formatIp, type Ip } from '../../model/ip';
import { decodeIpfix, ipfixLength } from '../ipfix/decode-ipfix';
import { decodeNetflowV5, netflowV5Length } from '../netflow-v5/decode-netflow-v5';
import { decodeNetflowV9, netflowV9Length } from '../netflow-v9/decode-netflow-v9';
import { ExportSession } from '../template-cache/export-session';
import type { MessageSource } from '../template-cache/message-source';
import type { TemplateCacheLimits } from '../template-cache/template-cache';

/** Where a message found at an offset ends; see messageLength. */
const NEED_MORE = 0;
const NOT_A_HEADER = -1;

/**
 * Length of the NetFlow v5 / v9 / IPFIX message at o, 0 when more bytes are needed to
 * tell (only when !final), -1 when no plausible header starts here. A length beyond `end`
 * means a header whose message is cut short. `strict` also checks the first IPFIX set
 * (for sniffing and resynchronising; a message found in sequence is read leniently).
 */
export function messageLength(dv: DataView, o: number, end: number, final: boolean, strict = true): number {
  if (end - o < 4) return final ? NOT_A_HEADER : NEED_MORE;
  switch (dv.getUint16(o)) {
    case 5: return end - o < 24 && !final ? NEED_MORE : netflowV5Length(dv, o, end);
    case 9: return netflowV9Length(dv, o, end, final);
    case 10: return end - o < 20 && !final ? NEED_MORE : ipfixLength(dv, o, end, strict);
    default: return NOT_A_HEADER;
  }
}

/**
 * The shared datagram dispatch: splits a buffer into export messages (one UDP payload,
 * or a window of a file of concatenated messages), decodes each by its version, and
 * skips what is not a message with a note. One instance per input file keeps the template
 * state across messages.
 */
export class ExportDecoder {
  readonly session: ExportSession;
  private readonly exporterKeys = new Map<number | string, string>();
  /** Datagrams rejected for an impossible header. */
  badHeaders = 0;

  constructor(readonly sink: FlowSink, limits?: TemplateCacheLimits) {
    this.session = new ExportSession(sink, limits);
  }

  /** Text key of an exporter address (cached for IPv4). */
  exporterKey(ip: Ip | undefined): string {
    if (ip === undefined) return '-';
    if (typeof ip !== 'number') return formatIp(ip);
    let k = this.exporterKeys.get(ip);
    if (k === undefined) {
      k = formatIp(ip);
      if (this.exporterKeys.size < 4096) this.exporterKeys.set(ip, k);
    }
    return k;
  }

  /**
   * Decodes the messages in buf[start, end). `base` = file offset of buf[0]. Returns the
   * offset up to which the buffer was consumed: less than end only when !final and the
   * last message is incomplete. With final, everything is consumed (bad bytes noted).
   */
  decodeMessages(buf: Uint8Array, start: number, end: number, base: number, exporter: Ip | undefined, packetPos: number, final: boolean): number {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const m: MessageSource = { buf, dv, base, exporter, exporterKey: this.exporterKey(exporter), packetPos };
    const sink = this.sink;
    const at = (x: number) => (packetPos >= 0 ? packetPos : base + x);
    let o = start;
    while (o < end) {
      const len = messageLength(dv, o, end, final, false);
      if (len === NEED_MORE) return o;
      if (len > 0 && o + len <= end) {
        this.decodeOne(m, o, o + len);
        o += len;
        continue;
      }
      if (len > 0) {
        if (!final) return o;
        sink.reject({ code: 'truncated-datagram', offset: at(o), length: end - o, message: `NetFlow/IPFIX message declares ${len} bytes, ${end - o} present` });
      }
      if (packetPos >= 0) {
        // One UDP payload (from a capture): messages follow one another from its start, so a
        // broken header leaves no boundary to find again; a "header" found inside the broken
        // message's bytes would be record data read as a message. The rest of the datagram is
        // rejected, as the same datagram is when read from a .dat file (nf5-invalid).
        if (len <= 0) this.skipped(buf, dv, o, end, at(o));
        return end;
      }
      // Not a message here (or a broken one): find the next plausible message that is
      // followed by the end or another message, so that garbage is not decoded.
      const from = o;
      let next = -1;
      let q = o + 1;
      for (; q < end; q++) {
        // A header may begin in the last bytes of a window: wait for the rest of it.
        if (!final && q + 4 > end) { next = q; break; }
        const v = buf[q + 1];
        if (buf[q] !== 0 || (v !== 5 && v !== 9 && v !== 10)) continue;
        const l = messageLength(dv, q, end, final);
        if (l === NEED_MORE || (l > 0 && q + l > end && !final)) { next = q; break; }
        if (l <= 0 || q + l > end) continue;
        const after = q + l;
        const la = after === end ? 1 : messageLength(dv, after, end, final);
        if (la !== NOT_A_HEADER) { next = q; break; }
      }
      const stop = next >= 0 ? next : end;
      if (len <= 0) this.skipped(buf, dv, from, stop, at(from));
      o = stop;
      if (next >= 0 && !final) {
        const l = messageLength(dv, o, end, final);
        if (l === NEED_MORE || o + l > end) return o;
      }
    }
    return o;
  }

  /**
   * Reports bytes that are not a message: a header with an impossible length is a
   * rejected datagram ('bad-header'); zero fill after a payload and other bytes are noted.
   */
  private skipped(buf: Uint8Array, dv: DataView, from: number, stop: number, offset: number): void {
    const length = stop - from;
    const version = stop - from >= 4 ? dv.getUint16(from) : 0;
    if (version === 5 || version === 9 || version === 10) {
      this.badHeaders++;
      this.sink.reject({ code: 'bad-header', offset, length, message: `NetFlow/IPFIX version ${version} header with impossible counts or lengths; ${length} bytes skipped` });
      return;
    }
    let zeros = true;
    for (let i = from; i < stop && zeros; i++) zeros = buf[i] === 0;
    this.sink.note(zeros
      ? { code: 'zero-padding', offset, length, message: `${length} zero bytes after a message` }
      : { code: 'skipped-bytes', offset, length, message: `${length} bytes that are not a NetFlow/IPFIX message skipped` });
  }

  private decodeOne(m: MessageSource, o: number, end: number): void {
    switch (m.dv.getUint16(o)) {
      case 5: decodeNetflowV5(this.session, m, o); break;
      case 9: decodeNetflowV9(this.session, m, o, end); break;
      default: decodeIpfix(this.session, m, o, end); break;
    }
  }

  finish(): void {
    this.session.finish();
  }
}
