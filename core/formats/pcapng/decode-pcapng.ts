import type { ByteSource } from '../common/byte-source';
import type { FlowSink } from '../decoder';
import { AGAIN, FRAME, SKIP, STOP, shortRecord, type Frame, type Framer } from '../packets/frame';
import { BT_EPB, BT_IDB, BT_PB, BT_SPB, BYTE_ORDER_MAGIC, MAX_BLOCK, PCAPNG_SHB } from './pcapng-layout';

interface PcapngInterface {
  readonly linkType: number;
  readonly snaplen: number;
  /** Timestamp units: 'dec' = 10^-exp s, 'bin' = 2^-exp s. */
  readonly dec: boolean;
  readonly exp: number;
  /** if_tsoffset in microseconds. */
  readonly offsetUs: number;
  readonly name?: string;
  readonly description?: string;
  readonly fcsLen: number;
}

/** Reads pcapng blocks (SHB/IDB/EPB/SPB/PB; others skipped), section by section. */
export class PcapngFramer implements Framer {
  eof = false;
  private le = true;
  private inSection = false;
  /** Interfaces of the current section; their global ids continue across sections. */
  private ifaces: PcapngInterface[] = [];
  private ifBase = 0;
  private readonly allIfaces: PcapngInterface[] = [];
  private sections = 0;
  private lastTsUs = 0;
  private readonly byteOrders = new Set<string>();

  constructor(private readonly src: ByteSource, private readonly sink: FlowSink) {}

  facts(): Record<string, unknown> {
    return {
      container: 'pcapng',
      sections: this.sections,
      byteOrder: [...this.byteOrders].join(','),
      linkTypes: [...new Set(this.allIfaces.map((i) => i.linkType))],
      interfaces: this.allIfaces.map((i, id) => ({
        id,
        linkType: i.linkType,
        snaplen: i.snaplen,
        tsResolution: `${i.dec ? '10' : '2'}^-${i.exp}`,
        ...(i.offsetUs ? { tsOffsetS: i.offsetUs / 1e6 } : {}),
        ...(i.name ? { name: i.name } : {}),
        ...(i.description ? { description: i.description } : {}),
      })),
    };
  }

  next(f: Frame): number {
    const src = this.src;
    if (src.available < 12) return this.short(f, 12);
    const p = src.pos;
    const dv = src.dv;
    let type = dv.getUint32(p, this.le);
    if (type === PCAPNG_SHB || !this.inSection) {
      if (type !== PCAPNG_SHB) {
        this.sink.reject({ code: 'corrupt-block', offset: src.offset, message: `expected a Section Header Block, found block type 0x${type.toString(16)}; reading stopped` });
        return STOP;
      }
      // §4.1: the byte-order magic decides how this section is read.
      const bom = dv.getUint32(p + 8, true);
      if (bom === BYTE_ORDER_MAGIC) this.le = true;
      else if (bom === 0x4d3c2b1a) this.le = false;
      else {
        this.sink.reject({ code: 'corrupt-block', offset: src.offset, message: 'Section Header Block with an unknown byte-order magic; reading stopped' });
        return STOP;
      }
      type = PCAPNG_SHB;
    }
    const len = dv.getUint32(p + 4, this.le);
    if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
      this.sink.reject({ code: 'corrupt-block', offset: src.offset, length: src.available, message: `block length ${len} is impossible; reading stopped` });
      return STOP;
    }
    const known = type === PCAPNG_SHB || type === BT_IDB || type === BT_EPB || type === BT_SPB || type === BT_PB;
    if (!known) {
      // Unknown or uninteresting block (ISB, NRB, DSB, custom): skip without buffering it.
      f.need = len;
      return SKIP;
    }
    if (src.available < len) return this.short(f, len);
    const trailer = dv.getUint32(p + len - 4, this.le);
    if (trailer !== len) {
      this.sink.reject({ code: 'corrupt-block', offset: src.offset, length: len, message: `block length ${len} does not match its trailing copy ${trailer}; reading stopped` });
      return STOP;
    }
    const offset = src.offset;
    switch (type) {
      case PCAPNG_SHB:
        this.sections++;
        this.inSection = true;
        this.byteOrders.add(this.le ? 'little-endian' : 'big-endian');
        this.ifBase = this.allIfaces.length;
        this.ifaces = [];
        src.pos = p + len;
        return AGAIN;
      case BT_IDB:
        this.readIdb(p, len);
        src.pos = p + len;
        return AGAIN;
      case BT_EPB: {
        // §4.3 EPB: interface id, timestamp high, timestamp low, captured len, original len.
        const ifId = dv.getUint32(p + 8, this.le);
        const cap = dv.getUint32(p + 20, this.le);
        const wire = dv.getUint32(p + 24, this.le);
        if (28 + cap + 4 > len) return this.badPacket(offset, len, `captured length ${cap} exceeds its block`);
        return this.packet(f, offset, ifId, dv.getUint32(p + 12, this.le), dv.getUint32(p + 16, this.le), p + 28, cap, wire, len);
      }
      case BT_PB: {
        // Appendix A obsolete Packet Block: 16-bit interface id and drops count.
        const ifId = dv.getUint16(p + 8, this.le);
        const cap = dv.getUint32(p + 20, this.le);
        const wire = dv.getUint32(p + 24, this.le);
        if (28 + cap + 4 > len) return this.badPacket(offset, len, `captured length ${cap} exceeds its block`);
        return this.packet(f, offset, ifId, dv.getUint32(p + 12, this.le), dv.getUint32(p + 16, this.le), p + 28, cap, wire, len);
      }
      default: {
        // §4.4 SPB: original length only; interface 0; no timestamp (we keep the last one).
        const wire = dv.getUint32(p + 8, this.le);
        const iface = this.ifaces[0];
        let cap = Math.min(wire, len - 16);
        if (iface && iface.snaplen > 0) cap = Math.min(cap, iface.snaplen);
        if (!iface) return this.badPacket(offset, len, 'Simple Packet Block before any Interface Description Block');
        f.offset = offset;
        f.tsUs = this.lastTsUs;
        f.capLen = cap;
        f.wireLen = wire;
        f.dataPos = p + 12;
        f.linkType = iface.linkType;
        f.interfaceId = this.ifBase;
        src.pos = p + len;
        return FRAME;
      }
    }
  }

  private packet(f: Frame, offset: number, ifId: number, hi: number, lo: number, dataPos: number, cap: number, wire: number, len: number): number {
    const iface = this.ifaces[ifId];
    if (!iface) return this.badPacket(offset, len, `packet on undeclared interface ${ifId}`);
    f.offset = offset;
    f.tsUs = tsToMicros(iface, hi, lo);
    this.lastTsUs = f.tsUs;
    f.capLen = cap > iface.fcsLen ? cap - iface.fcsLen : cap;
    f.wireLen = wire > iface.fcsLen ? wire - iface.fcsLen : wire;
    f.dataPos = dataPos;
    f.linkType = iface.linkType;
    f.interfaceId = this.ifBase + ifId;
    this.src.pos = this.src.pos + len;
    return FRAME;
  }

  private badPacket(offset: number, len: number, why: string): number {
    this.sink.reject({ code: 'corrupt-record', offset, length: len, message: why });
    this.src.pos += len;
    return AGAIN;
  }

  private readIdb(p: number, len: number): void {
    const dv = this.src.dv;
    const le = this.le;
    // §4.2 IDB: link type (2), reserved (2), snaplen (4), options.
    const linkType = dv.getUint16(p + 8, le);
    const snaplen = dv.getUint32(p + 12, le);
    let dec = true;
    let exp = 6;
    let offsetUs = 0;
    let fcsLen = 0;
    let name: string | undefined;
    let description: string | undefined;
    let o = p + 16;
    const end = p + len - 4;
    while (o + 4 <= end) {
      const code = dv.getUint16(o, le);
      const olen = dv.getUint16(o + 2, le);
      const v = o + 4;
      if (code === 0 || v + olen > end) break; // opt_endofopt, or a bad option ends the list
      if (code === 9 && olen >= 1) {
        // if_tsresol: MSB 0 -> 10^-n, MSB 1 -> 2^-n.
        const r = this.src.buf[v];
        dec = (r & 0x80) === 0;
        exp = r & 0x7f;
      } else if (code === 14 && olen >= 8) {
        // if_tsoffset: signed seconds added to every timestamp.
        const hi = dv.getInt32(le ? v + 4 : v, le);
        const lo = dv.getUint32(le ? v : v + 4, le);
        offsetUs = (hi * 4294967296 + lo) * 1e6;
      } else if (code === 13 && olen >= 1) {
        fcsLen = this.src.buf[v]; // if_fcslen, in bytes
      } else if (code === 2) {
        name = utf8(this.src.buf.subarray(v, v + olen));
      } else if (code === 3) {
        description = utf8(this.src.buf.subarray(v, v + olen));
      }
      o = v + ((olen + 3) & ~3);
    }
    const iface: PcapngInterface = { linkType, snaplen, dec, exp, offsetUs, name, description, fcsLen };
    this.ifaces.push(iface);
    this.allIfaces.push(iface);
  }

  /** Not enough bytes: ask for more, or at the end report a truncated final block. */
  private short(f: Frame, need: number): number {
    return shortRecord(f, need, this.eof, this.src, this.sink, 'last block');
  }
}

const TWO32 = 4294967296;

/** Converts a 64-bit pcapng timestamp to UTC microseconds without losing precision at ns scale. */
export function tsToMicros(i: { dec: boolean; exp: number; offsetUs: number }, hi: number, lo: number): number {
  if (i.dec) {
    if (i.exp === 6) return hi * TWO32 + lo + i.offsetUs;
    if (i.exp > 6 && i.exp <= 12) {
      // Divide hi*2^32+lo by D in two exact steps (the remainder term stays below 2^53).
      const d = 10 ** (i.exp - 6);
      const hq = Math.floor(hi / d);
      const hr = hi - hq * d;
      return hq * TWO32 + Math.floor((hr * TWO32 + lo) / d) + i.offsetUs;
    }
    if (i.exp < 6) return (hi * TWO32 + lo) * 10 ** (6 - i.exp) + i.offsetUs;
    return Math.floor(((hi * TWO32 + lo) / 10 ** i.exp) * 1e6) + i.offsetUs;
  }
  return Math.floor(((hi * TWO32 + lo) / 2 ** i.exp) * 1e6) + i.offsetUs;
}

function utf8(b: Uint8Array): string {
  return new TextDecoder().decode(b).replace(/\0+$/, '');
}
