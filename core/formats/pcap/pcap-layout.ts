/**
 * The classic pcap file layout (draft-ietf-opsawg-pcap, "PCAP Capture File Format"):
 * §4 the 24-byte file header, §5 the 16-byte packet record header (24 bytes in Kuznetzov's
 * patched libpcap).
 */

/** Classic pcap magic numbers as read little-endian from the first 4 bytes. */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap: 24-byte record headers. */
export const PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;

export interface PcapHeader {
  readonly littleEndian: boolean;
  readonly nano: boolean;
  readonly recordHeaderLen: 16 | 24;
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly snaplen: number;
  readonly linkType: number;
  /** FCS bytes at the end of every frame (link type field bits 28-31 when bit 26 is set). */
  readonly fcsLen: number;
}

/** Parses the 24-byte global header (draft-ietf-opsawg-pcap §4); null when the magic is not pcap. */
export function parsePcapHeader(b: Uint8Array): PcapHeader | null {
  if (b.length < 24) return null;
  const dv = new DataView(b.buffer, b.byteOffset, 24);
  const le = dv.getUint32(0, true);
  const be = dv.getUint32(0, false);
  let littleEndian: boolean;
  let magic: number;
  if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS || le === PCAP_MAGIC_KUZNETZOV) { littleEndian = true; magic = le; }
  else if (be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS || be === PCAP_MAGIC_KUZNETZOV) { littleEndian = false; magic = be; }
  else return null;
  const lt = dv.getUint32(20, littleEndian);
  return {
    littleEndian,
    nano: magic === PCAP_MAGIC_NS,
    recordHeaderLen: magic === PCAP_MAGIC_KUZNETZOV ? 24 : 16,
    versionMajor: dv.getUint16(4, littleEndian),
    versionMinor: dv.getUint16(6, littleEndian),
    snaplen: dv.getUint32(16, littleEndian),
    // §4: LinkType is the low 16 bits; bit 26 flags an FCS length in bits 28-31.
    linkType: lt & 0xffff,
    fcsLen: lt & 0x04000000 ? ((lt >>> 28) & 0xf) * 2 : 0,
  };
}
