import type { ByteSource } from '../common/byte-source';
import type { DecodeFailure, FlowSink } from '../decoder';
import { PcapFramer } from '../pcap/decode-pcap';
import { parsePcapHeader } from '../pcap/pcap-layout';
import { PcapngFramer } from '../pcapng/decode-pcapng';
import { PCAPNG_SHB } from '../pcapng/pcapng-layout';
import { DecodedPacket } from './decoded-packet';
import { FrameKind, decodeFrame, frameProblem, frameProblemCode } from './decode-frame';
import { AGAIN, FRAME, Frame, NEED, SKIP, STOP } from './frame';

export type { DecodedPacket } from './decoded-packet';

/** True when `head` starts with a classic pcap (either byte order, µs/ns) or pcapng magic. */
export function isCaptureMagic(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const le = (head[0] | (head[1] << 8) | (head[2] << 16) | (head[3] << 24)) >>> 0;
  const be = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  for (const m of [0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34]) if (le === m || be === m) return true;
  return le === PCAPNG_SHB;
}

/** Which container a capture is. */
export type CaptureContainer = 'pcap' | 'pcapng';

/**
 * Packet-by-packet access to a capture. `next()` is synchronous and decodes the next IP
 * packet into `pkt` (one object, reused); when it returns false call `await refill()`,
 * which returns false at the end of the capture.
 */
export class CaptureCursor {
  readonly pkt = new DecodedPacket();
  /** Frames read (IP or not). */
  frames = 0;
  /** IP packets decoded. */
  packets = 0;
  firstTsUs = Number.NaN;
  lastTsUs = Number.NaN;
  private readonly frame = new Frame();
  private state = NEED;
  private done = false;
  private readonly unknownLinks = new Set<number>();

  constructor(
    private readonly source: ByteSource,
    private readonly sink: FlowSink,
    private readonly framer: PcapFramer | PcapngFramer,
    readonly container: CaptureContainer,
  ) {}

  /** Decodes the next IP packet into pkt; false when bytes must be fetched (or the end came). */
  next(): boolean {
    if (this.done) return false;
    const f = this.frame;
    const framer = this.framer;
    const pkt = this.pkt;
    for (;;) {
      const st = framer.next(f);
      if (st === FRAME) {
        this.frames++;
        const src = this.source;
        const kind = decodeFrame(src.buf, src.dv, f.dataPos, f.capLen, f.linkType, pkt);
        if (kind === FrameKind.Ip) {
          pkt.tsUs = f.tsUs;
          pkt.offset = f.offset;
          pkt.capLen = f.capLen;
          pkt.wireLen = f.wireLen;
          pkt.interfaceId = f.interfaceId;
          pkt.linkType = f.linkType;
          this.packets++;
          if (!(f.tsUs >= this.firstTsUs)) this.firstTsUs = f.tsUs;
          if (!(f.tsUs <= this.lastTsUs)) this.lastTsUs = f.tsUs;
          return true;
        }
        this.other(kind, f);
        continue;
      }
      if (st === AGAIN) continue;
      this.state = st;
      if (st === STOP) this.done = true;
      return false;
    }
  }

  /** Fetches what the last next() needed; false once the capture is exhausted. */
  async refill(): Promise<boolean> {
    if (this.done) return false;
    const f = this.frame;
    if (this.state === SKIP) {
      const want = f.need;
      const got = await this.source.skipAsync(want);
      if (got < want) {
        this.sink.reject({ code: 'truncated-record', offset: this.source.offset - got, length: got, message: `last block is cut off: ${got} of ${want} bytes present` });
        this.done = true;
        return false;
      }
      return true;
    }
    if (!(await this.source.ensure(f.need))) this.framer.eof = true;
    return true;
  }

  /** Facts for the evidence row. */
  facts(): Record<string, unknown> {
    return {
      ...this.framer.facts(),
      frames: this.frames,
      ipPackets: this.packets,
      ...(this.unknownLinks.size ? { unsupportedLinkTypes: [...this.unknownLinks] } : {}),
    };
  }

  private other(kind: FrameKind, f: Frame): void {
    const sink = this.sink;
    switch (kind) {
      case FrameKind.Arp:
        sink.count('arp-frames');
        sink.count('non-ip-frames');
        break;
      case FrameKind.NonIp:
        sink.count('non-ip-frames');
        break;
      case FrameKind.UnknownLink:
        sink.count('non-ip-frames');
        if (!this.unknownLinks.has(f.linkType)) {
          this.unknownLinks.add(f.linkType);
          sink.note({ code: 'unsupported-link-type', offset: f.offset, message: `link type ${f.linkType} is not decoded; its frames are counted as non-IP` });
        }
        break;
      default:
        sink.count('bad-packets');
        sink.note({ code: frameProblemCode, offset: f.offset, length: f.capLen, message: frameProblem });
    }
  }
}

/**
 * Reads the file header and returns a cursor over the packets, or a DecodeFailure when
 * the bytes are neither pcap nor pcapng.
 */
export async function openCapture(source: ByteSource, sink: FlowSink): Promise<CaptureCursor | DecodeFailure> {
  await source.ensure(24);
  const head = source.peek(Math.min(24, source.available));
  if (head.length >= 4 && ((head[0] | (head[1] << 8) | (head[2] << 16) | (head[3] << 24)) >>> 0) === PCAPNG_SHB) {
    return new CaptureCursor(source, sink, new PcapngFramer(source, sink), 'pcapng');
  }
  const hdr = parsePcapHeader(head);
  if (!hdr) {
    if (isCaptureMagic(head)) return { code: 'truncated-header', offset: 0, message: 'pcap file header is cut off' };
    return { code: 'not-a-capture', offset: 0, message: 'not a pcap or pcapng capture (unknown magic number)' };
  }
  source.skip(24);
  return new CaptureCursor(source, sink, new PcapFramer(source, sink, hdr), 'pcap');
}

/**
 * Yields every IP packet of a pcap or pcapng capture (chosen by magic). The yielded object
 * is reused: read it before resuming the generator (see DecodedPacket). Non-IP frames are
 * counted (`non-ip-frames`, `arp-frames`); broken records are reported to the sink with
 * their offsets and skipped. A file that is not a capture is rejected once at offset 0.
 */
export async function* readCapturePackets(source: ByteSource, sink: FlowSink): AsyncGenerator<DecodedPacket> {
  const cur = await openCapture(source, sink);
  if (!(cur instanceof CaptureCursor)) {
    sink.reject({ code: cur.code, offset: cur.offset, message: cur.message });
    return;
  }
  for (;;) {
    while (cur.next()) yield cur.pkt;
    if (!(await cur.refill())) return;
  }
}
