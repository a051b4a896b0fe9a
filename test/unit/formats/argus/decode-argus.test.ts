import { describe, expect, it } from 'vitest';
import { argusLoader, sniffArgus } from '../../../../core/formats/argus/argus-loader';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { formatIp } from '../../../../core/model/ip';
import { argusArp, argusEther, argusFile, argusFlow, argusMan } from '../../../helpers/argus-writer';
import { RecordingSink } from '../../../helpers/recording-sink';
import { ARP_PROTO } from '../../../../core/model/protocols';

const T0 = 1_300_475_167_096_535; // 2011-03-18 19:06:07.096535 UTC, in microseconds

async function decode(bytes: Uint8Array, options: Record<string, unknown> = {}, chunk = 0) {
  const sink = new RecordingSink();
  const chunks: Uint8Array[] = [];
  if (chunk > 0) for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  else chunks.push(bytes);
  const failure = await argusLoader.decode({ source: byteSourceOf(...chunks), sink, fileName: 'x.argus', options });
  return { sink, failure };
}

const man = argusMan({ startUs: T0 - 5_000_000 });
const stop = argusMan({ cause: 0x30, startUs: T0 - 5_000_000, nowUs: T0 + 60_000_000, pktsRcvd: 42, dropped: 0 });
const tcp = argusFlow({
  src: '10.0.0.1', dst: '10.0.0.2', proto: 6, sport: 40000, dport: 22, startUs: T0, endUs: T0 + 1_500_000,
  sPkts: 10, sBytes: 1200, dPkts: 8, dBytes: 3400, sTos: 16, dTos: 0, sTtl: 64, dTtl: 63,
  tcp: { status: 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20, sFlags: 0x1b, dFlags: 0x1b },
});

describe('decodeArgus()', () => {
  it('maps a TCP flow record to one row with both directions, flags, ToS and ra\'s state and arrow', async () => {
    const { sink, failure } = await decode(argusFile(man, tcp, stop));
    expect(failure).toBeUndefined();
    expect(sink.flows).toHaveLength(1);
    const f = sink.flows[0];
    expect(formatIp(f.src)).toBe('10.0.0.1');
    expect(formatIp(f.dst)).toBe('10.0.0.2');
    expect(f).toMatchObject({
      pos: 128, startUs: T0, endUs: T0 + 1_500_000, proto: 6, srcPort: 40000, dstPort: 22,
      packets: 10, bytes: 1200, revPackets: 8, revBytes: 3400, tcpFlags: 0x1b, revTcpFlags: 0x1b, tos: 16, state: 'FIN',
    });
    expect(f.attrs).toEqual({ dir: '->', cause: 'start', dTos: 0, sTtl: 64, dTtl: 63 });
    expect(sink.counts['man-records']).toBe(2);
    expect(sink.facts['argus-packets-received']).toBe(42);
    expect(sink.rejects).toEqual([]);
  });

  it('swaps a key stored with ARGUS_REVERSE back (addresses and ports), keeping the metrics', async () => {
    const rec = argusFlow({ src: 'fe80::1', dst: 'ff02::fb', proto: 17, sport: 5353, dport: 5354, reverse: true, startUs: T0, sPkts: 1, sBytes: 213, dPkts: 0, dBytes: 0 });
    const { sink } = await decode(argusFile(man, rec));
    const f = sink.flows[0];
    expect([formatIp(f.src), f.srcPort, formatIp(f.dst), f.dstPort, f.packets, f.revPackets, f.state]).toEqual(['fe80::1', 5353, 'ff02::fb', 5354, 1, 0, 'INT']);
  });

  it('turns a TCP flow round when argus saw the SYN-ACK but not the SYN (ra\'s ArgusPerformCorrection)', async () => {
    const rec = argusFlow({
      src: '10.0.0.2', dst: '10.0.0.1', proto: 6, sport: 22, dport: 40000, startUs: T0, endUs: T0 + 10,
      sPkts: 3, sBytes: 300, dPkts: 2, dBytes: 120, tcp: { status: 0x2 | 0x4, sFlags: 0x12, dFlags: 0x10 },
    });
    const { sink } = await decode(argusFile(man, rec));
    const f = sink.flows[0];
    expect([formatIp(f.src), f.srcPort, f.dstPort, f.packets, f.bytes, f.revPackets, f.revBytes, f.tcpFlags, f.revTcpFlags, f.state]).toEqual(['10.0.0.1', 40000, 22, 2, 120, 3, 300, 0x10, 0x12, 'CON']);
  });

  it('puts the sender first when ra\'s arrow points back ("<?": only the destination sent, no handshake seen)', async () => {
    const rec = argusFlow({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, sport: 1000, dport: 2000, startUs: T0, sPkts: 0, sBytes: 0, dPkts: 2, dBytes: 120, tcp: { status: 0x4, sFlags: 0, dFlags: 0x18 } });
    const { sink } = await decode(argusFile(man, rec));
    const f = sink.flows[0];
    expect([formatIp(f.src), f.srcPort, formatIp(f.dst), f.dstPort, f.packets, f.bytes, f.revPackets, f.tcpFlags, f.revTcpFlags]).toEqual(['10.0.0.2', 2000, '10.0.0.1', 1000, 2, 120, 0, 0x18, 0]);
    expect(f.attrs).toMatchObject({ dir: '<?', flipped: true });
  });

  it('gives ICMP its type and code (NetFlow-style destination port) and keeps the echo id in attrs', async () => {
    const rec = argusFlow({ src: '192.168.1.109', dst: '192.168.1.1', proto: 1, icmpType: 8, icmpCode: 0, icmpId: 0xf095, startUs: T0, endUs: T0 + 3027, sPkts: 1, sBytes: 42, dPkts: 1, dBytes: 42 });
    const { sink } = await decode(argusFile(man, rec));
    expect(sink.flows[0]).toMatchObject({ proto: 1, srcPort: 0, dstPort: 0x0800, icmpType: 8, icmpCode: 0, state: 'ECO', attrs: { dir: '<->', icmpId: 0xf095 } });
  });

  it('reads 64-bit counters and application bytes', async () => {
    const rec = argusFlow({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, startUs: T0, endUs: T0 + 1, sPkts: 5_000_000, sBytes: 6_000_000_000, dPkts: 7, dBytes: 8, sApp: 5_900_000_000, dApp: 1 });
    const { sink } = await decode(argusFile(man, rec));
    expect(sink.flows[0]).toMatchObject({ packets: 5_000_000, bytes: 6_000_000_000, revPackets: 7, revBytes: 8, payloadBytes: 5_900_000_000, revPayloadBytes: 1 });
  });

  it('stores ARP records as rows (protocol ARP, sender/target addresses, reply) and skips llc records by reason; keepArp false skips ARP too', async () => {
    const arp = argusArp({ spa: '192.168.2.16', tpa: '192.168.2.1', startUs: T0, endUs: T0 + 97, sPkts: 1, sBytes: 60, dPkts: 1, dBytes: 42 });
    const llc = argusEther({ srcMac: '00:13:7f:4f:8e:f2', dstMac: '01:80:c2:00:00:00', ssap: 0x42, dsap: 0x42, startUs: T0, sPkts: 3, sBytes: 180 });
    const file = argusFile(man, arp, llc);
    const counted = await decode(file, { keepArp: false });
    expect(counted.sink.flows).toEqual([]);
    expect(counted.sink.skipped).toEqual({ arp: 1, llc: 1, man: 1 });
    const kept = await decode(file);
    expect(kept.sink.flows).toHaveLength(1);
    expect(kept.sink.skipped).toEqual({ llc: 1, man: 1 });
    const f = kept.sink.flows[0];
    expect([formatIp(f.src), formatIp(f.dst), f.proto, f.packets, f.revBytes, f.state, f.attrs?.argusState, f.attrs?.dir, f.attrs?.l2]).toEqual(['192.168.2.16', '192.168.2.1', ARP_PROTO, 1, 42, 'reply', 'CON', 'who', 'arp']);
  });

  it('reads the same rows whatever the chunking of the stream', async () => {
    const file = argusFile(man, tcp, tcp, stop);
    const whole = await decode(file);
    const bytewise = await decode(file, {}, 7);
    expect(bytewise.sink.flows).toEqual(whole.sink.flows);
    expect(whole.sink.flows.map((f) => f.pos)).toEqual([128, 128 + tcp.length]);
  });

  it('rejects a record whose DSR lengths overrun it, at its offset, and decodes the next one', async () => {
    const bad = tcp.slice();
    bad[4 + 12 + 3] = 0x40; // the flow DSR claims 64 words
    const { sink } = await decode(argusFile(man, bad, tcp));
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'bad-dsr-length', offset: 128, length: tcp.length })]);
    expect(sink.flows.map((f) => f.pos)).toEqual([128 + tcp.length]);
  });

  it('skips garbage between records to the next plausible header and reports how much', async () => {
    const junk = new Uint8Array(12).fill(0xee);
    const { sink } = await decode(argusFile(man, tcp, junk, tcp));
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'bad-record-header', offset: 128 + tcp.length, length: 12 })]);
    expect(sink.flows).toHaveLength(2);
  });

  it('reports a truncated last record with the bytes it had', async () => {
    const file = argusFile(man, tcp, tcp).subarray(0, 128 + tcp.length + 10);
    const { sink } = await decode(file);
    expect(sink.flows).toHaveLength(1);
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'truncated-record', offset: 128 + tcp.length, length: 10 })]);
  });

  it('counts DSR types it does not know and still decodes the record', async () => {
    const rec = argusFlow({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, startUs: T0, sPkts: 1, sBytes: 60, dPkts: 0, dBytes: 0, extraDsrs: [Uint8Array.of(0x7e, 0, 0, 2, 1, 2, 3, 4)] });
    const { sink } = await decode(argusFile(man, rec));
    expect(sink.flows).toHaveLength(1);
    expect(sink.counts['argus-unknown-dsrs']).toBe(1);
  });

  it('keeps the merge count of an aggregated (racluster -w) record in attrs.trans', async () => {
    const agr = Uint8Array.of(0x60, 0x00, 0x01, 2, 0, 0, 0, 3); // ArgusAgrStruct header + count 3
    const rec = argusFlow({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, startUs: T0, sPkts: 1, sBytes: 60, dPkts: 0, dBytes: 0, extraDsrs: [agr] });
    const { sink } = await decode(argusFile(man, rec));
    expect(sink.flows[0].attrs?.trans).toBe(3);
  });

  it('refuses a file that is not Argus, and an Argus 2 stream, with an error value', async () => {
    expect((await decode(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]))).failure).toMatchObject({ code: 'not-argus', offset: 0 });
    const v2 = man.slice();
    v2.set([0xe5, 0x61, 0x7a, 0xcb], 8);
    expect((await decode(v2)).failure).toMatchObject({ code: 'unsupported-version' });
    expect((await decode(new Uint8Array(0))).failure).toMatchObject({ code: 'empty-file' });
  });
});

describe('sniffArgus()', () => {
  it('is certain of a version 3 management record with the Argus cookie and rejects other bytes', () => {
    expect(sniffArgus(argusFile(man, tcp), 'capture.argus')).toBe(1);
    expect(sniffArgus(argusFile(man, tcp), 'whatever.bin')).toBe(1);
    expect(sniffArgus(new TextEncoder().encode('StartTime,Dur,Proto,SrcAddr\n'), 'x.argus')).toBe(0);
  });
});
