import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { FlowMeter } from '../../../../core/formats/flow-meter/flow-meter';
import { readCapturePackets } from '../../../../core/formats/packets/packet-reader';
import { pcapLoader } from '../../../../core/formats/pcap/pcap-loader';
import { formatIp } from '../../../../core/model/ip';
import { ethernet, icmpPacket, ipPacket, pcapFile, TcpConversation, udpPacket, type CapturedPacket } from '../../../helpers/pcap-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

const T0 = 1_700_000_000_000_000;

async function meter(packets: CapturedPacket[], options: Record<string, unknown> = {}): Promise<RecordingSink> {
  const sink = new RecordingSink();
  await pcapLoader.decode({ source: byteSourceOf(pcapFile(packets, { linkType: 1 })), sink, fileName: 't.pcap', options });
  return sink;
}

const row = (s: RecordingSink): string[] =>
  s.flows.map((f) => `${formatIp(f.src)}:${f.srcPort}>${formatIp(f.dst)}:${f.dstPort} ${f.state} ${f.history ?? '-'} ${f.packets}/${f.revPackets} ${f.payloadBytes}/${f.revPayloadBytes} ${f.bytes}/${f.revBytes}`);

describe('FlowMeter (Zeek connection semantics)', () => {
  it('meters a complete TCP connection as SF ShADadFf with payload and IP bytes per side', async () => {
    const c = new TcpConversation('10.0.0.1', '10.0.0.2', 40000, 80)
      .send('c', 'S').send('s', 'SA').send('c', 'A').send('c', 'PA', 100).send('s', 'A').send('s', 'PA', 1000).send('c', 'A')
      .send('c', 'FA').send('s', 'FA').send('c', 'A');
    const s = await meter(c.packets);
    expect(row(s)).toEqual(['10.0.0.1:40000>10.0.0.2:80 SF ShADadFf 6/4 100/1000 340/1160']);
    expect(s.flows[0].tcpFlags).toBe(0x1b);
    expect(s.flows[0].pos).toBe(24);
  });

  it('a SYN answered by RST-ACK is REJ Sr; an unanswered SYN is S0', async () => {
    const rej = new TcpConversation('10.0.0.1', '10.0.0.2', 40001, 22).send('c', 'S').send('s', 'RA');
    expect(row(await meter(rej.packets))).toEqual(['10.0.0.1:40001>10.0.0.2:22 REJ Sr 1/1 0/0 40/40']);
    const s0 = new TcpConversation('10.0.0.1', '10.0.0.2', 40002, 22).send('c', 'S');
    expect(row(await meter(s0.packets))).toEqual(['10.0.0.1:40002>10.0.0.2:22 S0 S 1/0 0/0 40/0']);
  });

  it('flips a connection first seen at its SYN-ACK once productive traffic follows (^h...)', async () => {
    // 8889 is not a likely server port, so Zeek does not flip at the first packet.
    const c = new TcpConversation('10.0.0.1', '10.0.0.2', 40003, 8889).send('s', 'SA').send('c', 'A').send('c', 'PA', 10);
    expect(row(await meter(c.packets))).toEqual(['10.0.0.1:40003>10.0.0.2:8889 OTH ^hAD 2/1 10/0 90/40']);
    // 8888 (HTTP) is: the SYN-ACK's sender is the responder from the start.
    const d = new TcpConversation('10.0.0.1', '10.0.0.2', 40003, 8888).send('s', 'SA').send('c', 'A');
    expect(row(await meter(d.packets))).toEqual(['10.0.0.1:40003>10.0.0.2:8888 S1 ^hA 1/1 0/0 40/40']);
  });

  it('flips UDP whose first datagram comes from a likely server port (DNS reply first)', async () => {
    const reply = { tsUs: T0, data: ethernet(udpPacket({ src: '10.0.0.53', dst: '10.0.0.1', sport: 53, dport: 33333, payload: 50 })) };
    expect(row(await meter([reply]))).toEqual(['10.0.0.1:33333>10.0.0.53:53 SHR ^d 0/1 0/50 0/78']);
  });

  it('pairs an ICMP echo request with its reply in one flow keyed by type/counterpart', async () => {
    const s = await meter([
      { tsUs: T0, data: ethernet(icmpPacket({ src: '10.0.0.1', dst: '10.0.0.2', type: 8, payload: 56 })) },
      { tsUs: T0 + 500, data: ethernet(icmpPacket({ src: '10.0.0.2', dst: '10.0.0.1', type: 0, payload: 56 })) },
    ]);
    expect(s.flows).toHaveLength(1);
    const f = s.flows[0];
    expect([f.proto, f.icmpType, f.icmpCode, f.packets, f.revPackets, f.state, f.payloadBytes, f.attrs]).toEqual([1, 8, 0, 1, 1, 'OTH', 56, { zeekOrigP: 8, zeekRespP: 0 }]);
  });

  it('starts a new connection on the same 5-tuple after a RST and a new SYN, and after the idle timeout', async () => {
    const c = new TcpConversation('10.0.0.1', '10.0.0.2', 40004, 80).send('c', 'S').send('s', 'RA').send('c', 'S', 0, { seq: 9000, dtUs: 1_000_000 });
    expect((await meter(c.packets)).flows.map((f) => f.history)).toEqual(['Sr', 'S']);
    const u = [0, 30, 95].map((s) => ({ tsUs: T0 + s * 1e6, data: ethernet(udpPacket({ src: '10.0.0.1', dst: '10.0.0.9', sport: 7000, dport: 7001, payload: 8 })) }));
    // Zeek's UDP inactivity timeout is 60 s: the datagram at 95 s opens a new flow.
    expect((await meter(u)).flows.map((f) => f.packets)).toEqual([2, 1]);
    // idleTimeoutS overrides it.
    expect((await meter(u, { idleTimeoutS: 20 })).flows.map((f) => f.packets)).toEqual([1, 1, 1]);
  });

  it('activeTimeoutS cuts a long flow into consecutive records', async () => {
    const u = Array.from({ length: 10 }, (_, i) => ({ tsUs: T0 + i * 10e6, data: ethernet(udpPacket({ src: '10.0.0.1', dst: '10.0.0.9', sport: 7000, dport: 7001, payload: 8 })) }));
    const s = await meter(u, { activeTimeoutS: 30 });
    expect(s.flows.map((f) => f.packets)).toEqual([4, 4, 2]);
    expect((await meter(u)).flows.map((f) => f.packets)).toEqual([10]);
  });

  it('counts packets with bad TCP checksums by default (history C, bad_checksums); verifyChecksums ignores them as Zeek does', async () => {
    const c = new TcpConversation('10.0.0.1', '10.0.0.2', 40005, 80).send('c', 'S', 0, { badChecksum: true });
    const s = await meter(c.packets);
    expect(row(s)).toEqual(['10.0.0.1:40005>10.0.0.2:80 S0 CS 1/0 0/0 40/0']);
    expect(s.flows[0].badChecksums).toBe(1);
    expect(s.notes.map((n) => n.code)).toContain('bad-checksums');
    const z = await meter(c.packets, { verifyChecksums: true });
    expect(row(z)).toEqual(['10.0.0.1:40005>10.0.0.2:80 OTH C 0/0 0/0 0/0']);
    expect(z.notes.find((n) => n.code === 'bad-checksums')?.message).toMatch(/ignored as Zeek does/);
  });

  it('does not trust a sequence space never seen open: two FIN probes with unrelated sequence numbers carry no payload (#11)', async () => {
    const c = new TcpConversation('10.0.0.1', '10.0.0.2', 40007, 80)
      .send('c', 'F', 0, { seq: 100 })
      .send('c', 'F', 0, { seq: 899_080_228 });
    const s = await meter(c.packets);
    expect(s.flows).toHaveLength(1);
    expect([s.flows[0].packets, s.flows[0].bytes, s.flows[0].payloadBytes]).toEqual([2, 80, 0]);
    // With a SYN the sequence space is known, and Zeek's payload rule applies unchanged.
    const open = new TcpConversation('10.0.0.1', '10.0.0.2', 40008, 80).send('c', 'S').send('s', 'SA').send('c', 'A').send('c', 'AP', 500).send('c', 'AF');
    expect((await meter(open.packets)).flows[0].payloadBytes).toBe(500);
  });

  it('counts the later IPv4 fragments of a datagram into the first fragment\'s flow as one reassembled packet', async () => {
    const dgram = udpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 5001, payload: 1000 }).subarray(20);
    const s = await meter([
      { tsUs: T0, data: ethernet(ipPacket('10.0.0.1', '10.0.0.2', 17, dgram.subarray(0, 512), { ipId: 77, moreFragments: true })) },
      { tsUs: T0 + 10, data: ethernet(ipPacket('10.0.0.1', '10.0.0.2', 17, dgram.subarray(512), { ipId: 77, fragOffset: 512 })) },
    ]);
    // Zeek: 1 packet of 20 + 1008 IP bytes, 1000 payload bytes (from the UDP length field).
    expect(row(s)).toEqual(['10.0.0.1:5000>10.0.0.2:5001 S0 D 1/0 1000/0 1028/0']);
  });

  it('keeps memory bounded: idle flows are emitted as capture time advances', async () => {
    const sink = new RecordingSink();
    const m = new FlowMeter(sink);
    let maxOpen = 0;
    const frames: CapturedPacket[] = [];
    for (let i = 0; i < 40000; i++) {
      frames.push({ tsUs: T0 + i * 50_000, data: udpPacket({ src: '10.0.0.1', dst: '10.0.1.1', sport: 1024 + (i % 60000), dport: 9, payload: 4 }) });
    }
    const bytes = pcapFile(frames, { linkType: 101 });
    for await (const p of readCapturePackets(byteSourceOf(bytes), sink)) {
      m.add(p);
      maxOpen = Math.max(maxOpen, m.openFlows);
    }
    m.finish();
    expect(sink.flows).toHaveLength(40000);
    // 20 new flows per second, 60 s idle timeout: about 1200 live at once; the incremental
    // sweep may hold expired ones up to about one more cycle, but never all 40000.
    expect(maxOpen).toBeLessThan(4000);
  });
});
