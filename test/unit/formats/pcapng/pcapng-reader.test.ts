import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { readCapturePackets } from '../../../../core/formats/packets/packet-reader';
import { pcapngLoader } from '../../../../core/formats/pcapng/pcapng-loader';
import { formatIp } from '../../../../core/model/ip';
import { ethernet, pcapngFile, sll2, udpPacket, type PcapngSection } from '../../../helpers/pcap-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

const T0 = 1_700_000_000_000_000;
const udp = (src: string, sport: number): Uint8Array => udpPacket({ src, dst: '192.0.2.9', sport, dport: 53, payload: 12 });

async function read(bytes: Uint8Array): Promise<{ rows: string[]; sink: RecordingSink }> {
  const sink = new RecordingSink();
  const rows: string[] = [];
  for await (const p of readCapturePackets(byteSourceOf(bytes), sink)) rows.push(`if${p.interfaceId} lt${p.linkType} ${p.tsUs} ${formatIp(p.src)}:${p.srcPort}`);
  return { rows, sink };
}

describe('readCapturePackets() on pcapng', () => {
  it('reads several interfaces, each with its own link type, if_tsresol and if_tsoffset', async () => {
    const section: PcapngSection = {
      interfaces: [
        { linkType: 1, name: 'eth0' },
        { linkType: 101, tsresol: 9 }, // raw IP, nanoseconds
        { linkType: 276, tsresol: 3, tsoffset: 100 }, // SLL2, milliseconds, +100 s
        { linkType: 228, tsresol: 0x80 | 20 }, // IPv4, 2^-20 s
      ],
      packets: [
        { iface: 0, tsUs: T0 + 1, data: ethernet(udp('10.0.0.1', 1001)) },
        { iface: 1, tsUs: T0 + 2, data: udp('10.0.0.2', 1002) },
        { iface: 2, tsUs: T0 + 3000, data: sll2(udp('10.0.0.3', 1003)) },
        { iface: 3, tsUs: T0, data: udp('10.0.0.4', 1004) },
      ],
    };
    const { rows, sink } = await read(pcapngFile([section]));
    expect(rows).toEqual([
      `if0 lt1 ${T0 + 1} 10.0.0.1:1001`,
      `if1 lt101 ${T0 + 2} 10.0.0.2:1002`,
      `if2 lt276 ${T0 + 3000} 10.0.0.3:1003`,
      `if3 lt228 ${T0} 10.0.0.4:1004`,
    ]);
    expect(sink.rejects).toEqual([]);
  });

  it('reads sections of different byte orders, numbering interfaces across sections', async () => {
    const a: PcapngSection = { littleEndian: true, interfaces: [{ linkType: 1 }], packets: [{ tsUs: T0, data: ethernet(udp('10.0.0.1', 1)) }] };
    const b: PcapngSection = { littleEndian: false, interfaces: [{ linkType: 101 }], packets: [{ tsUs: T0 + 5, data: udp('10.0.0.2', 2) }] };
    const { rows } = await read(pcapngFile([a, b]));
    expect(rows).toEqual([`if0 lt1 ${T0} 10.0.0.1:1`, `if1 lt101 ${T0 + 5} 10.0.0.2:2`]);
  });

  it('reads Simple Packet Blocks and obsolete Packet Blocks and skips unknown blocks', async () => {
    const s: PcapngSection = {
      interfaces: [{ linkType: 101 }],
      extraBlocks: [{ type: 0x00000bad, body: new Uint8Array(13) }, { type: 5, body: new Uint8Array(20) }],
      packets: [
        { tsUs: T0 + 10, data: udp('10.0.0.1', 1), block: 'pb' },
        { tsUs: 0, data: udp('10.0.0.2', 2), block: 'spb' },
      ],
    };
    const { rows, sink } = await read(pcapngFile([s]));
    // An SPB has no timestamp: it takes the previous packet's.
    expect(rows).toEqual([`if0 lt101 ${T0 + 10} 10.0.0.1:1`, `if0 lt101 ${T0 + 10} 10.0.0.2:2`]);
    expect(sink.rejects).toEqual([]);
  });

  it('reports a cut-off last block as truncated-record and keeps earlier packets', async () => {
    const s: PcapngSection = { interfaces: [{ linkType: 101 }], packets: [{ tsUs: T0, data: udp('10.0.0.1', 1) }, { tsUs: T0 + 1, data: udp('10.0.0.2', 2) }] };
    const bytes = pcapngFile([s]);
    const { rows, sink } = await read(bytes.subarray(0, bytes.length - 8));
    expect(rows).toHaveLength(1);
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'truncated-record' })]);
  });

  it('reports a packet on an undeclared interface and continues', async () => {
    const s: PcapngSection = { interfaces: [{ linkType: 101 }], packets: [{ tsUs: T0, data: udp('10.0.0.1', 1), iface: 0 }, { tsUs: T0, data: udp('10.0.0.2', 2), iface: 0 }] };
    const bytes = pcapngFile([s]).slice();
    // The first EPB's interface id -> 7. SHB (28 bytes) + IDB (20 bytes) precede it.
    new DataView(bytes.buffer).setUint32(28 + 20 + 8, 7, true);
    const { rows, sink } = await read(bytes);
    expect(rows).toEqual([`if0 lt101 ${T0} 10.0.0.2:2`]);
    expect(sink.rejects[0]).toEqual(expect.objectContaining({ code: 'corrupt-record', offset: 48 }));
  });

  it('pcapngLoader facts list every interface; sniff() knows the section header', async () => {
    const s: PcapngSection = { interfaces: [{ linkType: 1, name: 'eth0' }, { linkType: 101, tsresol: 9 }], packets: [{ tsUs: T0, data: ethernet(udp('10.0.0.1', 1)) }] };
    const bytes = pcapngFile([s]);
    expect(pcapngLoader.sniff(bytes, 'x')).toBeGreaterThan(0.4);
    const sink = new RecordingSink();
    await pcapngLoader.decode({ source: byteSourceOf(bytes), sink, fileName: 'x.pcapng', options: {} });
    const cap = sink.facts.capture as { interfaces: { id: number; linkType: number; name?: string; tsResolution: string }[] };
    expect(cap.interfaces).toEqual([
      { id: 0, linkType: 1, snaplen: 262144, tsResolution: '10^-6', name: 'eth0' },
      { id: 1, linkType: 101, snaplen: 262144, tsResolution: '10^-9' },
    ]);
    expect(sink.flows).toHaveLength(1);
  });
});
