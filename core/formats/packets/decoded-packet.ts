import type { Ip } from '../../model/ip';

/**
 * One captured packet, decoded down to the transport header.
 *
 * The capture reader REUSES one DecodedPacket object for every packet it yields: its
 * fields are valid until the reader is resumed. `payload` is a view into the reader's
 * buffer with the same lifetime. `src`/`dst` are safe to keep: IPv4 addresses are
 * numbers and every IPv6 address is a fresh Uint32Array. Copy anything else you keep.
 */
export class DecodedPacket {
  /** Capture time, UTC microseconds. */
  tsUs = 0;
  /** File offset of the packet's record (pcap record header / pcapng block). */
  offset = 0;
  /** Bytes captured and bytes on the wire (link layer included). */
  capLen = 0;
  wireLen = 0;
  /** Interface index across the whole file (pcapng IDB order; 0 for pcap). */
  interfaceId = 0;
  /** Link-layer type (LINKTYPE_*) the frame was decoded with. */
  linkType = 0;
  /** Link-layer bytes before the IP header (Ethernet 14, +4 per VLAN tag, ...). */
  l2Len = 0;
  ipVersion: 4 | 6 = 4;
  src: Ip = 0;
  dst: Ip = 0;
  /** Transport protocol (after IPv6 extension headers). */
  proto = 0;
  /** IP-layer bytes from the header: IPv4 total length, IPv6 40 + payload length. */
  ipTotalLen = 0;
  /** IP header length including IPv6 extension headers. */
  ipHeaderLen = 0;
  tos = 0;
  ttl = 0;
  /** IPv4 identification / IPv6 fragment identification. */
  ipId = 0;
  /** True for any fragment (more-fragments set or offset > 0). */
  isFragment = false;
  /** Fragment offset in bytes; non-first fragments carry no transport header. */
  fragOffset = 0;
  moreFragments = false;
  /** True when the transport header was present and decoded (ports, flags are valid). */
  hasTransport = false;
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  seq = 0;
  ack = 0;
  window = 0;
  /** Transport header length (TCP data offset * 4, UDP 8, ICMP 8). */
  l4HeaderLen = 0;
  /** Transport payload length according to the headers (not the capture). */
  payloadLen = 0;
  /** Buffer indexes of the captured transport payload (see `payload`). */
  payloadPos = 0;
  payloadEnd = 0;
  /**
   * Captured transport payload: a view, possibly shorter than payloadLen (snaplen). Made on
   * access, so that packets nobody looks into cost no allocation.
   */
  get payload(): Uint8Array {
    return this.buf.subarray(this.payloadPos, this.payloadEnd);
  }

  /** Captured payload bytes (payload.length without making the view). */
  get capturedPayloadLen(): number {
    return this.payloadEnd - this.payloadPos;
  }
  /**
   * The buffer the packet was decoded from (not a copy) with the index of the transport
   * header and of the end of the captured IP packet: for checksums, same lifetime as payload.
   */
  buf: Uint8Array = new Uint8Array(0);
  /** A DataView over `buf` (same indexes). */
  dv: DataView = new DataView(new ArrayBuffer(0));
  l4Pos = 0;
  ipEnd = 0;
  icmpType = 0;
  icmpCode = 0;
  /**
   * Transport checksum: 1 valid, 0 invalid, -1 not checked (checksums disabled, packet
   * truncated, a fragment, UDP checksum 0, or a protocol without one).
   */
  checksumOk: -1 | 0 | 1 = -1;
}
