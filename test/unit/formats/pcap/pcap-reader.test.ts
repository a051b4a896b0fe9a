import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { isCaptureMagic, readCapturePackets } from '../../../../core/formats/packets/packet-reader';
import { pcapLoader } from '../../../../core/formats/pcap/pcap-loader';
import { formatIp } from '../../../../core/model/ip';
import { ethernet, pcapFile, sll, tcpPacket, udpPacket, type CapturedPacket } from '../../../helpers/pcap-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

const T0 = 1_700_000_000_123_456;

function sample(): CapturedPacket[] {
  return [
    { tsUs: T0, data: ethernet(tcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80, flags: 'S', seq: 7 })) },
    { tsUs: T0 + 1500, data: ethernet(udpPacket({ src: '10.0.0.1', dst: '10.0.0.53', sport: 5000, dport: 53, payload: 30 })) },
    // ARP: not IP, counted only.
    { tsUs: T0 + 2000, data: ethernet(new Uint8Array(28), { etherType: 0x0806 }) },
  ];
}

async function read(bytes: Uint8Array, chunk = 0): Promise<{ pkts: string[]; sink: RecordingSink; offsets: number[] }> {
  const sink = new RecordingSink();
  const chunks: Uint8Array[] = [];
  if (chunk > 0) for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  else chunks.push(bytes);
  const pkts: string[] = [];
  const offsets: number[] = [];
  for await (const p of readCapturePackets(byteSourceOf(...chunks), sink)) {
    pkts.push(`${p.tsUs} ${formatIp(p.src)}:${p.srcPort}>${formatIp(p.dst)}:${p.dstPort}/${p.proto} ip${p.ipTotalLen} pl${p.payloadLen}`);
    offsets.push(p.offset);
  }
  return { pkts, sink, offsets };
}

describe('readCapturePackets() on classic pcap', () => {
  it('reads little- and big-endian files alike, in any chunking', async () => {
    const le = await read(pcapFile(sample(), { linkType: 1, littleEndian: true }));
    const be = await read(pcapFile(sample(), { linkType: 1, littleEndian: false }), 7);
    expect(le.pkts).toEqual([
      `${T0} 10.0.0.1:40000>10.0.0.2:80/6 ip40 pl0`,
      `${T0 + 1500} 10.0.0.1:5000>10.0.0.53:53/17 ip58 pl30`,
    ]);
    expect(be.pkts).toEqual(le.pkts);
    expect(le.offsets).toEqual([24, 24 + 16 + 54]);
    expect(le.sink.counts).toEqual({ 'arp-frames': 1, 'non-ip-frames': 1 });
  });

  it('reads nanosecond-magic files (a1b23c4d) with Linux cooked headers, truncating to microseconds', async () => {
    const pkts = [{ tsUs: T0, data: sll(tcpPacket({ src: '131.155.215.69', dst: '137.116.81.94', sport: 46656, dport: 80, flags: 'S' })) }];
    const { pkts: out } = await read(pcapFile(pkts, { linkType: 113, nano: true }));
    expect(out).toEqual([`${T0} 131.155.215.69:46656>137.116.81.94:80/6 ip40 pl0`]);
  });

  it('reports a truncated final record as truncated-record at its offset and keeps the packets before it', async () => {
    const bytes = pcapFile(sample(), { linkType: 1 });
    const cut = bytes.subarray(0, bytes.length - 10);
    const { pkts, sink } = await read(cut, 16);
    expect(pkts).toHaveLength(2);
    const lastRecord = 24 + (16 + 54) + (16 + 72);
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'truncated-record', offset: lastRecord })]);
  });

  it('skips a record with an impossible header to the next plausible record and reports the skipped bytes', async () => {
    const bytes = pcapFile(sample(), { linkType: 1 });
    const broken = bytes.slice();
    // Captured length of the first record -> 0x7fffffff.
    new DataView(broken.buffer).setUint32(24 + 8, 0x7fffffff, true);
    const { pkts, sink } = await read(broken);
    expect(pkts).toEqual([`${T0 + 1500} 10.0.0.1:5000>10.0.0.53:53/17 ip58 pl30`]);
    expect(sink.rejects[0]).toEqual(expect.objectContaining({ code: 'corrupt-record', offset: 24, length: 16 + 54 }));
  });

  it('isCaptureMagic() accepts pcap (both orders, µs/ns) and pcapng, nothing else', () => {
    expect(isCaptureMagic(Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1))).toBe(true);
    expect(isCaptureMagic(Uint8Array.of(0xa1, 0xb2, 0xc3, 0xd4))).toBe(true);
    expect(isCaptureMagic(Uint8Array.of(0x4d, 0x3c, 0xb2, 0xa1))).toBe(true);
    expect(isCaptureMagic(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a))).toBe(true);
    expect(isCaptureMagic(Uint8Array.of(0x1f, 0x8b, 0x08, 0x00))).toBe(false);
  });

  it('pcapLoader.decode() returns not-a-capture for other bytes and sniffs pcap magic', async () => {
    const sink = new RecordingSink();
    const r = await pcapLoader.decode({ source: byteSourceOf(new TextEncoder().encode('ts,src,dst\n1,2,3\n')), sink, fileName: 'x.csv', options: {} });
    expect(r).toEqual(expect.objectContaining({ code: 'not-a-capture', offset: 0 }));
    expect(pcapLoader.sniff(pcapFile([], { linkType: 1 }), 'a.bin')).toBeGreaterThan(0.4);
    expect(pcapLoader.sniff(new Uint8Array(24), 'a.bin')).toBe(0);
  });

  it('pcapLoader.decode() reports facts: link types, packet count and time range', async () => {
    const sink = new RecordingSink();
    await pcapLoader.decode({ source: byteSourceOf(pcapFile(sample(), { linkType: 1, littleEndian: false })), sink, fileName: 'a.pcap', options: {} });
    expect(sink.facts.linkTypes).toEqual(['1 ETHERNET']);
    expect(sink.facts.packets).toBe(3);
    expect(sink.facts.ipPackets).toBe(2);
    expect(sink.facts.firstPacketUs).toBe(T0);
    expect(sink.facts.lastPacketUs).toBe(T0 + 1500);
    expect((sink.facts.capture as { byteOrder: string }).byteOrder).toBe('big-endian');
    expect(sink.counts.packets).toBe(3);
    expect(sink.flows.map((f) => f.pos)).toEqual([24, 24 + 16 + 54]);
  });
});
