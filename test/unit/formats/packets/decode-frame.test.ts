import { describe, expect, it } from 'vitest';
import { DecodedPacket } from '../../../../core/formats/packets/decoded-packet';
import { decodeFrame, FrameKind } from '../../../../core/formats/packets/decode-frame';
import { verifyTransportChecksum } from '../../../../core/formats/packets/transport-checksum';
import { formatIp } from '../../../../core/model/ip';
import { ethernet, icmpPacket, ipPacket, loopback, sll2, tcpPacket, udpPacket } from '../../../helpers/pcap-writer';

function decode(frame: Uint8Array, linkType: number): { kind: FrameKind; p: DecodedPacket } {
  const p = new DecodedPacket();
  const kind = decodeFrame(frame, new DataView(frame.buffer, frame.byteOffset, frame.byteLength), 0, frame.length, linkType, p);
  return { kind, p };
}

const tcp4 = tcpPacket({ src: '192.0.2.1', dst: '198.51.100.2', sport: 1234, dport: 443, flags: 'PA', seq: 4000000000, ack: 5, payload: 11, tos: 0x28, ttl: 7 });
const summary = (p: DecodedPacket): string => `${formatIp(p.src)}:${p.srcPort}>${formatIp(p.dst)}:${p.dstPort}/${p.proto} l2=${p.l2Len} ip=${p.ipTotalLen} pl=${p.payloadLen}`;

describe('decodeFrame()', () => {
  it('decodes Ethernet/IPv4/TCP: addresses, ports, seq/ack, flags, ToS, TTL, payload', () => {
    const { kind, p } = decode(ethernet(tcp4), 1);
    expect(kind).toBe(FrameKind.Ip);
    expect(summary(p)).toBe('192.0.2.1:1234>198.51.100.2:443/6 l2=14 ip=51 pl=11');
    expect([p.seq, p.ack, p.tcpFlags, p.tos, p.ttl]).toEqual([4000000000, 5, 0x18, 0x28, 7]);
    expect(p.payload).toHaveLength(11);
    expect(verifyTransportChecksum(p)).toBe(1);
  });

  it('strips 802.1Q, 802.1ad (QinQ) and 0x9100 tags', () => {
    expect(summary(decode(ethernet(tcp4, { vlans: [10] }), 1).p)).toContain('l2=18');
    expect(summary(decode(ethernet(tcp4, { vlans: [10, 20] }), 1).p)).toContain('l2=22');
    expect(summary(decode(ethernet(tcp4, { vlans: [10, 20], tagType: 0x9100 }), 1).p)).toContain('l2=22');
  });

  it('walks an MPLS label stack to the bottom of stack and guesses IPv4 by the version nibble', () => {
    const labels = Uint8Array.of(0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40);
    const frame = ethernet(new Uint8Array([...labels, ...tcp4]), { etherType: 0x8847 });
    expect(summary(decode(frame, 1).p)).toBe('192.0.2.1:1234>198.51.100.2:443/6 l2=22 ip=51 pl=11');
  });

  it('decodes a PPPoE session frame carrying PPP IPv4', () => {
    const pppoe = Uint8Array.of(0x11, 0x00, 0x00, 0x01, 0x00, tcp4.length + 2, 0x00, 0x21);
    const frame = ethernet(new Uint8Array([...pppoe, ...tcp4]), { etherType: 0x8864 });
    expect(summary(decode(frame, 1).p)).toContain('l2=22 ip=51');
  });

  it('decodes raw IP (DLT 12/14/101/228/229), Linux cooked v2, BSD NULL (either byte order) and LOOP', () => {
    const v6 = udpPacket({ src: '2001:db8::1', dst: '2001:db8::2', sport: 5353, dport: 5353, payload: 4 });
    for (const lt of [12, 14, 101, 228]) expect(decode(tcp4, lt).kind).toBe(FrameKind.Ip);
    expect(summary(decode(v6, 229).p)).toBe('2001:db8::1:5353>2001:db8::2:5353/17 l2=0 ip=52 pl=4');
    expect(summary(decode(sll2(tcp4), 276).p)).toContain('l2=20');
    expect(decode(loopback(tcp4, 2, true), 0).kind).toBe(FrameKind.Ip);
    expect(decode(loopback(tcp4, 2, false), 0).kind).toBe(FrameKind.Ip);
    expect(decode(loopback(v6, 30, true), 0).p.ipVersion).toBe(6);
    expect(decode(loopback(tcp4, 2, false), 108).kind).toBe(FrameKind.Ip);
  });

  it('walks IPv6 extension headers (hop-by-hop, destination options) to the transport header', () => {
    const inner = udpPacket({ src: '2001:db8::1', dst: 'ff02::16', sport: 1, dport: 2, payload: 6 });
    const l4 = inner.subarray(40);
    // Hop-by-hop (next: dest opts) and destination options (next: UDP), 8 bytes each.
    const ext = Uint8Array.of(60, 0, 5, 2, 0, 0, 1, 0, 17, 0, 1, 4, 0, 0, 0, 0);
    const pkt = ipPacket('2001:db8::1', 'ff02::16', 0, new Uint8Array([...ext, ...l4]));
    const { p } = decode(pkt, 229);
    expect([p.proto, p.srcPort, p.dstPort, p.ipHeaderLen, p.ipTotalLen, p.payloadLen]).toEqual([17, 1, 2, 56, 70, 6]);
  });

  it('marks IPv4 fragments: only the first carries ports, later ones carry no transport header', () => {
    const seg = tcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, flags: 'A', payload: 40 }).subarray(20);
    const first = decode(ipPacket('10.0.0.1', '10.0.0.2', 6, seg.subarray(0, 24), { ipId: 9, moreFragments: true }), 101).p;
    expect([first.isFragment, first.fragOffset, first.hasTransport, first.srcPort]).toEqual([true, 0, true, 1]);
    const later = decode(ipPacket('10.0.0.1', '10.0.0.2', 6, seg.subarray(24), { ipId: 9, fragOffset: 24 }), 101).p;
    expect([later.isFragment, later.fragOffset, later.hasTransport, later.srcPort, later.payloadLen]).toEqual([true, 24, false, 0, 36]);
  });

  it('pairs ICMP type/code and tells non-IP and cut-off frames apart', () => {
    const echo = decode(ethernet(icmpPacket({ src: '10.0.0.1', dst: '10.0.0.2', type: 8, payload: 20 })), 1).p;
    expect([echo.proto, echo.icmpType, echo.icmpCode, echo.payloadLen]).toEqual([1, 8, 0, 20]);
    expect(verifyTransportChecksum(echo)).toBe(1);
    expect(decode(ethernet(new Uint8Array(28), { etherType: 0x0806 }), 1).kind).toBe(FrameKind.Arp);
    expect(decode(ethernet(new Uint8Array(40), { etherType: 0x88cc }), 1).kind).toBe(FrameKind.NonIp);
    expect(decode(ethernet(tcp4).subarray(0, 20), 1).kind).toBe(FrameKind.Bad);
    expect(decode(tcp4, 147).kind).toBe(FrameKind.UnknownLink);
  });

  it('verifyTransportChecksum() rejects a corrupted TCP checksum and skips a truncated packet', () => {
    const bad = decode(tcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, flags: 'S', badChecksum: true }), 101).p;
    expect(verifyTransportChecksum(bad)).toBe(0);
    const cut = decode(tcp4.subarray(0, tcp4.length - 3), 101).p;
    expect(verifyTransportChecksum(cut)).toBe(-1);
  });
});
