import { DecodedPacket } from '../packets/decoded-packet';
import { FrameKind, decodeFrame } from '../packets/decode-frame';
import { parsePcapHeader } from '../pcap/pcap-layout';
import { PCAPNG_SHB } from '../pcapng/pcapng-layout';
import { isBrokenExportPayload, isExportPayload } from '../netflow-export/is-export-payload';

/** Packets of the head looked at. */
const MAX_PACKETS = 64;

/**
 * Counts, among the first IP packets of a pcap/pcapng head, the UDP packets whose payload
 * is a NetFlow v5/v9/IPFIX message (by content, any port). Synchronous and bounded: it
 * walks pcap records or pcapng blocks inside `head` only.
 */
export function countExportPackets(head: Uint8Array): { ip: number; exports: number } {
  const out = { ip: 0, exports: 0 };
  const pkt = new DecodedPacket();
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const visit = (pos: number, capLen: number, linkType: number): boolean => {
    if (pos + capLen > head.length) return false;
    if (decodeFrame(head, dv, pos, capLen, linkType, pkt) !== FrameKind.Ip) return true;
    out.ip++;
    if (pkt.proto === 17 && pkt.hasTransport && !pkt.isFragment && (isExportPayload(pkt.payload) || isBrokenExportPayload(pkt.payload, pkt.srcPort, pkt.dstPort))) out.exports++;
    return out.ip < MAX_PACKETS;
  };
  if (head.length < 24) return out;
  const magicLe = dv.getUint32(0, true);
  if (magicLe === PCAPNG_SHB) {
    // draft-ietf-opsawg-pcapng §4: blocks {type, total length, body, total length}.
    const le = dv.getUint32(8, true) === 0x1a2b3c4d;
    const links: number[] = [];
    let p = 0;
    while (p + 12 <= head.length) {
      const type = dv.getUint32(p, le);
      const len = dv.getUint32(p + 4, le);
      if (len < 12 || len % 4 !== 0) break;
      if (type === 1 && p + 10 <= head.length) links.push(dv.getUint16(p + 8, le));
      else if (type === 6 && p + 28 <= head.length) {
        const link = links[dv.getUint32(p + 8, le)];
        if (link !== undefined && !visit(p + 28, Math.min(dv.getUint32(p + 20, le), len - 32), link)) break;
      } else if (type === 3 && links.length > 0) {
        if (!visit(p + 12, Math.min(dv.getUint32(p + 8, le), len - 16), links[0])) break;
      }
      p += len;
    }
    return out;
  }
  const hdr = parsePcapHeader(head);
  if (!hdr) return out;
  let p = 24;
  while (p + hdr.recordHeaderLen <= head.length) {
    const capLen = dv.getUint32(p + 8, hdr.littleEndian);
    if (capLen > 262144) break;
    if (!visit(p + hdr.recordHeaderLen, Math.max(0, capLen - hdr.fcsLen), hdr.linkType)) break;
    p += hdr.recordHeaderLen + capLen;
  }
  return out;
}
