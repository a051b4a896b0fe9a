import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { nfcapdLoader } from '../../../../core/formats/nfcapd/nfcapd-loader';
import { formatIp, parseIp } from '../../../../core/model/ip';
import { buildNfcapd, concat, type SyntheticFlow, type WriterCompression } from '../../../helpers/nfcapd-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

const ip = (s: string) => parseIp(s)!;

const FLOWS: SyntheticFlow[] = [
  { startMs: 1700000000123, endMs: 1700000005456, proto: 6, src: ip('10.0.0.1'), dst: ip('192.168.1.2'), srcPort: 51000, dstPort: 443, packets: 12, bytes: 3400, tcpFlags: 0x1b, tos: 8, inIf: 3, outIf: 7, srcAs: 64512, dstAs: 15169, nextHop: ip('10.0.0.254') as number, exporterId: 1 },
  { startMs: 1700000001000, endMs: 1700000001000, proto: 1, src: ip('10.0.0.1'), dst: ip('10.0.0.2'), srcPort: 0, dstPort: 0x0800, packets: 1, bytes: 84, exporterId: 1 },
  { startMs: 1700000002000, endMs: 1700000003000, proto: 17, src: ip('2001:db8::1'), dst: ip('2001:db8::53'), srcPort: 5353, dstPort: 53, packets: 2, bytes: 150, outPackets: 2, outBytes: 300 },
];
const EXPORTERS = [{ sysid: 1, ip: ip('198.51.100.7') as number, version: 9, id: 42 }];

async function decode(bytes: Uint8Array, chunk = 0): Promise<{ sink: RecordingSink; failure: unknown }> {
  const sink = new RecordingSink();
  const chunks: Uint8Array[] = [];
  if (chunk > 0) for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  else chunks.push(bytes);
  const failure = await nfcapdLoader.decode({ source: byteSourceOf(...chunks), sink, fileName: 'x.nfcapd', options: {} });
  return { sink, failure };
}

describe('decodeNfcapd() on files written by the test writer', () => {
  it('decodeNfcapd() maps V3 elements of an uncompressed v2 file to flows', async () => {
    const file = buildNfcapd(FLOWS, { exporters: EXPORTERS });
    const { sink, failure } = await decode(file);
    expect(failure).toBeUndefined();
    expect(sink.rejects).toEqual([]);
    expect(sink.notes).toEqual([]);
    expect(sink.flows).toHaveLength(3);
    const [tcp, icmp, udp6] = sink.flows;
    expect(tcp).toMatchObject({
      startUs: 1700000000123000, endUs: 1700000005456000, proto: 6, srcPort: 51000, dstPort: 443,
      packets: 12, bytes: 3400, tcpFlags: 0x1b, tos: 8, inIf: 3, outIf: 7, srcAs: 64512, dstAs: 15169,
      attrs: { next_hop: '10.0.0.254' },
    });
    expect([formatIp(tcp.src), formatIp(tcp.dst), formatIp(tcp.exporter!)]).toEqual(['10.0.0.1', '192.168.1.2', '198.51.100.7']);
    // file header 40 + exporter block (12 + 32) + first data block header 12
    expect(tcp.pos).toBe(40 + 44 + 12);
    expect(icmp).toMatchObject({ proto: 1, dstPort: 2048, icmpType: 8, icmpCode: 0 });
    expect(icmp.pos).toBe(tcp.pos + 12 + 52 + 12 + 20 + 12 + 8);
    expect([formatIp(udp6.src), formatIp(udp6.dst)]).toEqual(['2001:db8::1', '2001:db8::53']);
    expect(udp6).toMatchObject({ revPackets: 2, revBytes: 300, exporter: undefined });
    expect(sink.facts).toMatchObject({ 'nfcapd.layout': 2, 'nfcapd.compression': 'none', 'nfcapd.ident': 'flowcase-test', 'nfcapd.stat': { flows: 3, packets: 17, bytes: 3934 } });
    expect(sink.facts.exporters).toEqual([{ address: '198.51.100.7', sourceId: 42, versions: [9], sysid: 1 }]);
  });

  it('decodeNfcapd() gives the same flows when the source arrives in 7-byte chunks', async () => {
    const file = buildNfcapd(FLOWS, { exporters: EXPORTERS, recordsPerBlock: 2 });
    const whole = await decode(file);
    const chunked = await decode(file, 7);
    expect(chunked.sink.flows).toEqual(whole.sink.flows);
  });

  for (const c of ['lz4', 'zstd', 'lzo'] as WriterCompression[]) {
    it(`decodeNfcapd() expands ${c} blocks and reports block offset plus record index`, async () => {
      const plain = await decode(buildNfcapd(FLOWS, { exporters: EXPORTERS }));
      const { sink, failure } = await decode(buildNfcapd(FLOWS, { exporters: EXPORTERS, compression: c }));
      expect(failure).toBeUndefined();
      expect(sink.rejects).toEqual([]);
      expect(sink.notes).toEqual([]);
      expect(sink.facts['nfcapd.compression']).toBe(c);
      const strip = (f: (typeof sink.flows)[number]) => { const { pos: _p, attrs, ...rest } = f; const { block_record: _b, ...a } = attrs ?? {}; return { ...rest, attrs: Object.keys(a).length ? a : undefined }; };
      expect(sink.flows.map(strip)).toEqual(plain.sink.flows.map(strip));
      expect(sink.flows.map((f) => f.attrs?.block_record)).toEqual([0, 1, 2]);
      expect(new Set(sink.flows.map((f) => f.pos)).size).toBe(1);
    });
  }

  it('decodeNfcapd() notes a stat record that disagrees with the decoded totals, with both numbers', async () => {
    const { sink } = await decode(buildNfcapd(FLOWS, { stat: { flows: 4, packets: 17, bytes: 3934 } }));
    expect(sink.flows).toHaveLength(3);
    expect(sink.notes).toEqual([expect.objectContaining({ code: 'stat-mismatch', message: expect.stringContaining('flows 4 vs 3 decoded') })]);
  });

  it('decodeNfcapd() rejects a truncated last block at its offset and keeps the earlier blocks', async () => {
    const file = buildNfcapd(FLOWS, { recordsPerBlock: 1, appendix: false });
    const { sink, failure } = await decode(file.subarray(0, file.length - 10));
    expect(failure).toBeUndefined();
    expect(sink.flows).toHaveLength(2);
    const lastBlock = 40 + (12 + 12 + 52 + 12 + 20 + 12 + 8) + (12 + 12 + 52 + 12);
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'truncated-block', offset: lastBlock })]);
  });

  it('decodeNfcapd() rejects a block that does not decompress and goes on with the next block', async () => {
    const file = buildNfcapd(FLOWS, { recordsPerBlock: 1, compression: 'lz4', appendix: false });
    // corrupt the LZ4 payload of the first block: a match offset pointing before the output
    const bad = file.slice();
    bad[40 + 12] = 0x0f; // token: 0 literals, match -> offset read from the next bytes
    bad[40 + 13] = 0xff;
    bad[40 + 14] = 0xff;
    const { sink } = await decode(bad);
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'corrupt-block', offset: 40 })]);
    expect(sink.rejects[0].message).toMatch(/LZ4/);
    expect(sink.flows).toHaveLength(2);
  });

  it('decodeNfcapd() refuses an LZ4 block that would expand beyond nfdump\'s 5 MB block limit', async () => {
    // one literal, then a match of 5 MiB + 1 against offset 1: a decompression bomb
    const ext = Math.ceil((5 * 1048576 + 1) / 255);
    const bomb = concat([Uint8Array.from([0x1f, 0x41, 0x01, 0x00]), new Uint8Array(ext).fill(255), Uint8Array.from([0])]);
    const block = new Uint8Array(12 + bomb.length);
    const dv = new DataView(block.buffer);
    dv.setUint32(0, 1, true);
    dv.setUint32(4, bomb.length, true);
    dv.setUint16(8, 3, true);
    block.set(bomb, 12);
    const head = buildNfcapd([], { compression: 'lz4', appendix: false });
    const { sink } = await decode(concat([head, block]));
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'corrupt-block', message: expect.stringMatching(/output overrun/) })]);
  });

  it('decodeNfcapd() stops at a block header with an impossible size instead of allocating it', async () => {
    const file = buildNfcapd(FLOWS, { recordsPerBlock: 3, appendix: false });
    const bad = concat([file, Uint8Array.from([1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 3, 0, 0, 0])]);
    const { sink } = await decode(bad);
    expect(sink.flows).toHaveLength(3);
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'corrupt-block', offset: file.length })]);
  });

  it('decodeNfcapd() returns bad-magic for a file that is not nfdump', async () => {
    const { failure } = await decode(new TextEncoder().encode('ts,te,td,sa,da\n'));
    expect(failure).toMatchObject({ code: 'bad-magic', offset: 0 });
  });

  it('decodeNfcapd() reads a layout-1 file with an extension map and a type-10 common record', async () => {
    // nffile.h fileHeaderV1_t (140) + stat_recordV1_t (136) + one type-2 block
    const header = new Uint8Array(140 + 136);
    const hdv = new DataView(header.buffer);
    hdv.setUint16(0, 0xa50c, true);
    hdv.setUint16(2, 1, true);
    hdv.setUint32(8, 1, true);
    header.set(new TextEncoder().encode('router1'), 12);
    hdv.setUint32(140, 1, true); // numflows
    hdv.setUint32(148, 1000, true); // numbytes
    hdv.setUint32(156, 10, true); // numpackets
    // extension map 0: [EX_AS_2 (6), EX_NEXT_HOP_v4 (9)], size 8 + 2*2 + terminator 2 + pad 2
    const map = new Uint8Array(16);
    const mdv = new DataView(map.buffer);
    mdv.setUint16(0, 2, true); mdv.setUint16(2, 16, true); mdv.setUint16(4, 0, true); mdv.setUint16(6, 8, true);
    mdv.setUint16(8, 6, true); mdv.setUint16(10, 9, true);
    // common record: 32 fixed + v4 addresses 8 + packets 4 + bytes 4 + AS 4 + next hop 4
    const rec = new Uint8Array(56);
    const r = new DataView(rec.buffer);
    r.setUint16(0, 10, true); r.setUint16(2, 56, true); r.setUint16(4, 0, true); r.setUint16(6, 0, true);
    r.setUint16(8, 250, true); r.setUint16(10, 750, true); r.setUint32(12, 1515771450, true); r.setUint32(16, 1515771452, true);
    rec[21] = 0x12; rec[22] = 6; r.setUint16(24, 40000, true); r.setUint16(26, 22, true);
    r.setUint32(32, ip('147.32.80.119') as number, true); r.setUint32(36, ip('147.32.82.62') as number, true);
    r.setUint32(40, 10, true); r.setUint32(44, 1000, true); r.setUint16(48, 2852, true); r.setUint16(50, 2853, true);
    r.setUint32(52, ip('147.32.82.1') as number, true);
    const payload = concat([map, rec]);
    const block = new Uint8Array(12 + payload.length);
    const bdv = new DataView(block.buffer);
    bdv.setUint32(0, 2, true); bdv.setUint32(4, payload.length, true); bdv.setUint16(8, 2, true);
    block.set(payload, 12);
    const { sink, failure } = await decode(concat([header, block]));
    expect(failure).toBeUndefined();
    expect(sink.rejects).toEqual([]);
    expect(sink.notes).toEqual([]);
    expect(sink.facts).toMatchObject({ 'nfcapd.layout': 1, 'nfcapd.ident': 'router1' });
    expect(sink.flows).toHaveLength(1);
    const f = sink.flows[0];
    expect(f).toMatchObject({ pos: 276 + 12 + 16, startUs: 1515771450250000, endUs: 1515771452750000, proto: 6, srcPort: 40000, dstPort: 22, packets: 10, bytes: 1000, tcpFlags: 0x12, srcAs: 2852, dstAs: 2853, attrs: { next_hop: '147.32.82.1' } });
    expect([formatIp(f.src), formatIp(f.dst)]).toEqual(['147.32.80.119', '147.32.82.62']);
  });

  it('nfcapdLoader.sniff() is certain of both layouts and ignores other magic numbers', () => {
    expect(nfcapdLoader.sniff(Uint8Array.from([0x0c, 0xa5, 2, 0]), 'a')).toBe(1);
    expect(nfcapdLoader.sniff(Uint8Array.from([0x0c, 0xa5, 1, 0]), 'a')).toBe(1);
    expect(nfcapdLoader.sniff(Uint8Array.from([0xcf, 0x10, 1, 3]), 'a')).toBe(0);
    expect(nfcapdLoader.sniff(new Uint8Array(0), 'nfcapd.202401011200')).toBeGreaterThan(0);
  });
});
