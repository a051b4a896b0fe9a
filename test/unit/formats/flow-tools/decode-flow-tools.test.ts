import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { decodeFlowTools, ftltimeMs } from '../../../../core/formats/flow-tools/decode-flow-tools';
import { flowToolsLoader } from '../../../../core/formats/flow-tools/flow-tools-loader';
import { formatIp, parseIp } from '../../../../core/model/ip';
import { buildFlowTools, type FtRecord } from '../../../helpers/nfcapd-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

const ip = (s: string) => parseIp(s) as number;
const RECORDS: FtRecord[] = Array.from({ length: 50 }, (_, i) => ({
  unix_secs: 1452643200, unix_nsecs: 500_000_000, sysuptime: 3_600_250, exaddr: ip('192.0.2.9'),
  srcaddr: ip('10.1.0.0') + i, dstaddr: ip('172.16.0.1'), nexthop: ip('10.1.255.254'), input: 2, output: 3,
  dPkts: i + 1, dOctets: 64 * (i + 1), First: 3_500_100 + i, Last: 3_599_900, srcport: 40000 + i, dstport: i === 0 ? 0x0303 : 80,
  prot: i === 0 ? 1 : 6, tos: 4, tcp_flags: 0x12, flags: 1, engine_type: 1, engine_id: 2, src_mask: 16, dst_mask: 24, src_as: 64500, dst_as: 64501, router_sc: ip('10.9.9.9'),
}));

async function decode(bytes: Uint8Array) {
  const sink = new RecordingSink();
  const failure = await decodeFlowTools({ source: byteSourceOf(bytes), sink, fileName: 'ft-v05', options: {} });
  return { sink, failure };
}

describe('decodeFlowTools() on files written by the test writer', () => {
  for (const version of [1, 5, 6, 7] as const) {
    for (const littleEndian of [false, true]) {
      for (const compress of [false, true]) {
        it(`decodeFlowTools() reads v${version} ${littleEndian ? 'little' : 'big'}-endian ${compress ? 'zlib' : 'plain'} records`, async () => {
          const { sink, failure } = await decode(buildFlowTools(RECORDS, { version, littleEndian, compress }));
          expect(failure).toBeUndefined();
          expect(sink.rejects).toEqual([]);
          expect(sink.notes).toEqual([]);
          expect(sink.flows).toHaveLength(50);
          const f = sink.flows[1];
          expect([formatIp(f.src), formatIp(f.dst), formatIp(f.exporter!)]).toEqual(['10.1.0.1', '172.16.0.1', '192.0.2.9']);
          expect(f).toMatchObject({ proto: 6, srcPort: 40001, dstPort: 80, packets: 2, bytes: 128, tcpFlags: 0x12, tos: 4, inIf: 2, outIf: 3 });
          // export time 1452643200.500 minus uptime 3600.250 s plus First 3500.101 s
          expect(f.startUs).toBe((1452643200500 - 3600250 + 3500101) * 1000);
          expect(f.endUs).toBe((1452643200500 - 3600250 + 3599900) * 1000);
          expect(sink.flows[0]).toMatchObject({ proto: 1, icmpType: 3, icmpCode: 3 });
          if (version === 1) expect(f.srcAs).toBeUndefined();
          else expect(f).toMatchObject({ srcAs: 64500, dstAs: 64501 });
          if (version === 7) expect(f.attrs).toMatchObject({ router_sc: '10.9.9.9', flags: 1 });
          if (compress) expect(f.attrs).toMatchObject({ record: 1 });
          else expect(f.pos - sink.flows[0].pos).toBe({ 1: 60, 5: 64, 6: 72, 7: 68 }[version]);
        });
      }
    }
  }

  it('decodeFlowTools() keeps the records before a break in the zlib stream and reports where it broke', async () => {
    const file = buildFlowTools(RECORDS, { compress: true });
    const cut = file.subarray(0, file.length - 40);
    const { sink, failure } = await decode(cut);
    expect(failure).toBeUndefined();
    expect(sink.flows.length).toBeGreaterThan(0);
    expect(sink.flows.length).toBeLessThan(50);
    expect(sink.rejects).toHaveLength(1);
    expect(['corrupt-stream', 'truncated-record']).toContain(sink.rejects[0].code);
    expect(sink.rejects[0].offset).toBeLessThanOrEqual(cut.length);
    const flipped = file.slice();
    flipped[file.length - 60] ^= 0xff;
    const second = await decode(flipped);
    expect(second.sink.rejects.length).toBeGreaterThanOrEqual(1);
  });

  it('decodeFlowTools() rejects a partial plain record at its offset and notes the count mismatch', async () => {
    const file = buildFlowTools(RECORDS.slice(0, 3));
    const { sink } = await decode(file.subarray(0, file.length - 10));
    expect(sink.flows).toHaveLength(2);
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'truncated-record', offset: file.length - 64 })]);
    expect(sink.notes).toEqual([expect.objectContaining({ code: 'count-mismatch' })]);
  });

  it('decodeFlowTools() reads a header-only file as zero flows', async () => {
    const { sink, failure } = await decode(buildFlowTools([], { compress: false }));
    expect(failure).toBeUndefined();
    expect(sink.flows).toEqual([]);
    expect(sink.rejects).toEqual([]);
  });

  it('decodeFlowTools() returns unsupported-version for stream version 2', async () => {
    const file = buildFlowTools(RECORDS.slice(0, 1));
    file[3] = 2;
    const { failure } = await decode(file);
    expect(failure).toMatchObject({ code: 'unsupported-version', offset: 3 });
  });

  it('ftltimeMs() borrows a second when the uptime milliseconds exceed the export milliseconds', () => {
    // secs 100, nsecs 0.1 s, uptime 1.9 s, First 0.5 s -> 100.1 - 1.9 + 0.5 = 98.7 s
    expect(ftltimeMs(1900, 100, 100_000_000, 500)).toBe(98700);
  });

  it('flowToolsLoader.sniff() is certain of the 0xCF10 magic', () => {
    expect(flowToolsLoader.sniff(Uint8Array.from([0xcf, 0x10, 2, 3]), 'x')).toBe(1);
    expect(flowToolsLoader.sniff(Uint8Array.from([0x0c, 0xa5, 2, 0]), 'x')).toBe(0);
  });
});
