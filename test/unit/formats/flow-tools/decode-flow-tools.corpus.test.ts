import { describe, expect, it } from 'vitest';
import { decodeFlowTools, type FlowToolsRecord } from '../../../../core/formats/flow-tools/decode-flow-tools';
import { flowToolsLoader } from '../../../../core/formats/flow-tools/flow-tools-loader';
import { formatIp } from '../../../../core/model/ip';
import { HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { fileSource } from '../../../helpers/file-source';
import { RecordingSink } from '../../../helpers/recording-sink';

// Column orders of flow-tools/EXPECTED.md (spark-netflow's test-suite oracle).
const V5 = 'unix_secs unix_nsecs sysuptime exaddr srcip dstip nexthop input output packets octets first_flow last_flow srcport dstport protocol tos tcp_flags engine_type engine_id src_mask dst_mask src_as dst_as'.split(' ');
const V7 = 'unix_secs unix_nsecs sysuptime exaddr srcip dstip nexthop input output packets octets first_flow last_flow srcport dstport protocol tos tcp_flags flags engine_type engine_id src_mask dst_mask src_as dst_as router_sc'.split(' ');
const V5_FIRST = '0,0,0,0, 0,4294901760,0, 0,65280, 1,1, 0,4294901760, 0,65280, 17,0,0, 0,0, 0,0, 0,65280';
const V5_LAST = '0,0,0,0, 999,4294902759,0, 999,743, 1000,1000, 999,4294902759, 999,743, 17,231,0, 0,0, 0,0, 999,743';
const V7_FIRST = '0,0,0,0, 0,4294901760,0, 0,65280, 1,1, 0,4294901760, 0,65280, 17,0,0,0, 0,0, 0,0, 0,65280,0';
const V7_LAST = '0,0,0,0, 999,4294902759,0, 999,743, 1000,1000, 999,4294902759, 999,743, 17,0,0,0, 0,0, 0,0, 999,743,999';

const row = (r: FlowToolsRecord, cols: string[]) => cols.map((c) => (r as unknown as Record<string, number>)[c]).join(',');
const expected = (s: string) => s.replace(/\s+/g, '');

async function decode(rel: string) {
  const sink = new RecordingSink();
  const raws: FlowToolsRecord[] = [];
  const failure = await decodeFlowTools({ source: fileSource(corpus(`flow-tools/${rel}`)), sink, fileName: rel, options: {} }, (r) => raws.push(r));
  return { sink, raws, failure, header: sink.facts['flow-tools.header'] as Record<string, unknown> | undefined };
}

describe.skipIf(!HAVE_CORPUS)('decodeFlowTools() against flow-tools/EXPECTED.md', () => {
  const table: [string, number, 'big' | 'little', boolean, number][] = [
    ['correct/ftv5.2016-01-13.nocompress.bigend.sample', 5, 'big', false, 1000],
    ['correct/ftv5.2016-01-13.compress.9.sample', 5, 'little', true, 1000],
    ['correct/ftv7.2016-02-14.nocompress.bigend.sample', 7, 'big', false, 1000],
    ['correct/ftv7.2016-02-14.compress.9.bigend.sample', 7, 'big', true, 1000],
    ['correct/ftv7.2016-02-14.compress.9.litend.sample', 7, 'little', true, 1000],
    ['anomaly/ftv5.2016-03-15.nocompress.bigend.empty', 5, 'big', false, 0],
    ['anomaly/ftv5.2016-03-15.compress9.bigend.records1', 5, 'big', true, 1],
    ['anomaly/ftv5.2016-04-09.compress9.large-byte-start', 5, 'little', true, 1000],
  ];
  for (const [rel, version, order, compressed, count] of table) {
    it(`decodeFlowTools() reads ${rel}: v${version}, ${order} endian, ${compressed ? 'zlib' : 'plain'}, ${count} records`, async () => {
      const { sink, raws, failure, header } = await decode(rel);
      expect(failure).toBeUndefined();
      expect(header).toMatchObject({ streamVersion: 3, flowVersion: version, byteOrder: order, compressed });
      expect(sink.flows.length).toBe(count);
      expect(raws.length).toBe(count);
      expect(sink.rejects).toEqual([]);
      if (rel.startsWith('correct/') || rel.endsWith('records1')) {
        expect(header!.comments).toBe('flow-gen');
        const cols = version === 5 ? V5 : V7;
        expect(row(raws[0], cols)).toBe(expected(version === 5 ? V5_FIRST : V7_FIRST));
        if (count > 1) expect(row(raws[count - 1], cols)).toBe(expected(version === 5 ? V5_LAST : V7_LAST));
      }
    });
  }

  it('decodeFlowTools() maps the first generated record to a flow with flow-tools times', async () => {
    const { sink } = await decode('correct/ftv5.2016-01-13.nocompress.bigend.sample');
    const f = sink.flows[0];
    expect([formatIp(f.src), formatIp(f.dst), f.proto, f.srcPort, f.dstPort, f.packets, f.bytes]).toEqual(['0.0.0.0', '255.255.0.0', 17, 0, 65280, 1, 1]);
    // unix_secs 0, sysUpTime 0: First = 0 ms, Last = 4294901760 ms after the epoch
    expect([f.startUs, f.endUs]).toEqual([0, 4294901760 * 1000]);
    expect(f.pos).toBe(48);
    const last = sink.flows[999];
    expect([formatIp(last.src), formatIp(last.dst), last.tos, last.srcAs, last.dstAs]).toEqual(['0.0.3.231', '255.255.3.231', 231, 999, 743]);
  });

  it('decodeFlowTools() reads the first five records of the large-byte-start file', async () => {
    const { sink } = await decode('anomaly/ftv5.2016-04-09.compress9.large-byte-start');
    const got = sink.flows.slice(0, 5).map((f) => [formatIp(f.src), formatIp(f.dst), f.proto, f.srcPort, f.dstPort, f.bytes, f.packets].join(','));
    expect(got).toEqual([
      '172.29.31.106,141.168.161.5,1,2048,18358,96,1',
      '139.168.52.154,172.49.40.150,6,59527,3016,41,1',
      '144.136.201.10,192.168.177.26,17,123,123,76,1',
      '147.132.239.10,139.168.47.149,6,80,64036,40,1',
      '172.49.40.189,172.115.30.32,6,443,63526,18642,37',
    ]);
    expect(sink.facts['flow-tools.header']).toMatchObject({ flowCount: 1000, capStart: 1415231999, capEnd: 1415232000 });
    // ICMP: type/code travel in the destination port (18358 = 0x47B6)
    expect([sink.flows[0].icmpType, sink.flows[0].icmpCode]).toEqual([0x47, 0xb6]);
  });

  it('decodeFlowTools() rejects the corrupt chunk without a magic number cleanly', async () => {
    const { sink, failure } = await decode('corrupt/ftv5.2016-01-13.compress.9.sample-01');
    expect(failure).toMatchObject({ code: 'bad-magic', offset: 0 });
    expect(sink.flows.length).toBe(0);
    expect(flowToolsLoader.sniff(new Uint8Array([0x38, 0xed, 0xd5, 0xb7]), 'x')).toBe(0);
  });

  it('decodeFlowTools() reports the v8 aggregation file as unsupported', async () => {
    const { failure, header } = await decode('unsupport/ftv8.2016-01-17.compress.7.bigend.sample');
    expect(failure).toMatchObject({ code: 'unsupported-version' });
    expect(failure!.message).toMatch(/v8 aggregation/);
    expect(header).toMatchObject({ flowVersion: 8, aggVersion: 2, aggMethod: 1 });
  });
});
