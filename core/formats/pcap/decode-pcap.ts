import type { ByteSource } from '../common/byte-source';
import type { FlowSink } from '../decoder';
import { AGAIN, FRAME, NEED, STOP, shortRecord, type Frame, type Framer } from '../packets/frame';
import type { PcapHeader } from './pcap-layout';

/** No real capture has a record above this (libpcap's MAXIMUM_SNAPLEN is 262144). */
const MAX_RECORD = 1 << 20;
/** How far a resync after a corrupt record header looks for the next plausible header. */
const RESYNC_WINDOW = 1 << 20;

/** Reads classic pcap records; the 24-byte file header must already be consumed. */
export class PcapFramer implements Framer {
  /** Set by the cursor once the stream has ended. */
  eof = false;
  private lastSec = -1;
  private readonly maxCap: number;

  constructor(private readonly src: ByteSource, private readonly sink: FlowSink, private readonly hdr: PcapHeader) {
    this.maxCap = Math.max(hdr.snaplen > 0 && hdr.snaplen <= MAX_RECORD ? hdr.snaplen : 262144, 262144);
  }

  facts(): Record<string, unknown> {
    const h = this.hdr;
    return {
      container: 'pcap',
      byteOrder: h.littleEndian ? 'little-endian' : 'big-endian',
      timestampResolution: h.nano ? 'ns' : 'us',
      version: `${h.versionMajor}.${h.versionMinor}`,
      snaplen: h.snaplen,
      linkTypes: [h.linkType],
    };
  }

  next(f: Frame): number {
    const src = this.src;
    const hl = this.hdr.recordHeaderLen;
    if (src.available < hl) return this.short(f, hl);
    const p = src.pos;
    const dv = src.dv;
    const le = this.hdr.littleEndian;
    // §5 packet record: ts sec, ts usec|nsec, captured length, original length (16 bytes).
    const sec = dv.getUint32(p, le);
    const frac = dv.getUint32(p + 4, le);
    const cap = dv.getUint32(p + 8, le);
    const wire = dv.getUint32(p + 12, le);
    if (cap > this.maxCap || frac >= (this.hdr.nano ? 1e9 : 1e6)) return this.resync(f);
    if (src.available < hl + cap) return this.short(f, hl + cap);
    f.offset = src.offset;
    f.tsUs = sec * 1e6 + (this.hdr.nano ? Math.floor(frac / 1000) : frac);
    f.capLen = cap > this.hdr.fcsLen ? cap - this.hdr.fcsLen : cap;
    f.wireLen = wire > this.hdr.fcsLen ? wire - this.hdr.fcsLen : wire;
    f.dataPos = p + hl;
    f.linkType = this.hdr.linkType;
    f.interfaceId = 0;
    this.lastSec = sec;
    src.pos = p + hl + cap;
    return FRAME;
  }

  /** Not enough bytes: ask for more, or at the end report a truncated final record. */
  private short(f: Frame, need: number): number {
    return shortRecord(f, need, this.eof, this.src, this.sink, 'last packet record');
  }

  /**
   * A record header that cannot be right (length above any snaplen, fraction out of range):
   * look ahead for the next plausible header and report the skipped bytes.
   */
  private resync(f: Frame): number {
    const src = this.src;
    if (!this.eof && src.available < RESYNC_WINDOW) {
      f.need = RESYNC_WINDOW;
      return NEED;
    }
    const start = src.pos;
    const startOffset = src.offset;
    const limit = Math.min(src.end, start + RESYNC_WINDOW) - this.hdr.recordHeaderLen;
    for (let q = start + 1; q <= limit; q++) {
      if (this.plausibleAt(q)) {
        this.sink.reject({ code: 'corrupt-record', offset: startOffset, length: q - start, message: `unreadable packet record header; skipped ${q - start} bytes to the next plausible record` });
        src.pos = q;
        return AGAIN;
      }
    }
    this.sink.reject({ code: 'corrupt-record', offset: startOffset, length: src.end - start, message: 'unreadable packet record header and no plausible record follows; reading stopped' });
    src.pos = src.end;
    return STOP;
  }

  private plausibleAt(q: number): boolean {
    const dv = this.src.dv;
    const le = this.hdr.littleEndian;
    const sec = dv.getUint32(q, le);
    const frac = dv.getUint32(q + 4, le);
    const cap = dv.getUint32(q + 8, le);
    const wire = dv.getUint32(q + 12, le);
    if (frac >= (this.hdr.nano ? 1e9 : 1e6) || cap === 0 || cap > this.maxCap || wire < cap || wire > MAX_RECORD) return false;
    if (this.lastSec >= 0 && Math.abs(sec - this.lastSec) > 86400) return false;
    // The record after it, when buffered, must look like a header too.
    const nextQ = q + this.hdr.recordHeaderLen + cap;
    if (nextQ + 16 <= this.src.end) {
      const cap2 = dv.getUint32(nextQ + 8, le);
      const wire2 = dv.getUint32(nextQ + 12, le);
      if (cap2 > this.maxCap || wire2 < cap2) return false;
    }
    return true;
  }
}
