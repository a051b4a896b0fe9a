import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { netflowV9Loader } from '../../../../core/formats/netflow-v9/netflow-v9-loader';
import { formatIp } from '../../../../core/model/ip';
import { Bytes, records, set, v9OptionsTemplateSet, v9Packet, v9TemplateSet, type FieldSpec } from '../../../helpers/netflow-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

async function decode(...chunks: Uint8Array[]): Promise<RecordingSink> {
  const sink = new RecordingSink();
  const failure = await netflowV9Loader.decode({ source: byteSourceOf(...chunks), sink, fileName: 'x.dat', options: {} });
  if (failure) sink.rejects.push({ ...failure });
  return sink;
}

// RFC 3954 §8 field types.
const FIELDS: FieldSpec[] = [
  { id: 8, len: 4 }, { id: 12, len: 4 }, { id: 7, len: 2 }, { id: 11, len: 2 }, { id: 4, len: 1 }, { id: 6, len: 1 },
  { id: 1, len: 4 }, { id: 2, len: 4 }, { id: 22, len: 4 }, { id: 21, len: 4 }, { id: 10, len: 2 }, { id: 14, len: 2 }, { id: 48, len: 1 },
];
const HDR = { sysUptime: 100_000, unixSecs: 1_600_000_000, sourceId: 42 };
const row = (src: string, dstPort: number, sampler = 1) => [src, '10.9.9.9', 1234, dstPort, 6, 0x12, 1500, 3, 95_000, 99_000, 5, 6, sampler];

describe('netflow-v9 loader', () => {
  it('decodeNetflowV9() decodes data FlowSets with their template and converts uptime times', async () => {
    const pkt = v9Packet(HDR, v9TemplateSet({ id: 256, fields: FIELDS }), set(256, records(FIELDS, [row('10.1.1.1', 80), row('10.1.1.2', 22)], false)));
    const sink = await decode(pkt);
    expect(sink.rejects).toEqual([]);
    expect(sink.flows).toHaveLength(2);
    const f = sink.flows[0];
    expect([formatIp(f.src), formatIp(f.dst), f.srcPort, f.dstPort, f.proto, f.tcpFlags, f.bytes, f.packets, f.inIf, f.outIf])
      .toEqual(['10.1.1.1', '10.9.9.9', 1234, 80, 6, 0x12, 1500, 3, 5, 6]);
    expect(f.startUs).toBe(1_599_999_995_000_000);
    expect(f.endUs).toBe(1_599_999_999_000_000);
    expect(sink.counts).toMatchObject({ datagrams: 1, records: 2, templates: 1 });
    expect(sink.facts.templates).toEqual([{ exporter: null, sourceId: 42, id: 256, fields: FIELDS.length, options: false }]);
  });

  it('decodeNetflowV9() holds data that arrives before its template and decodes it when the template comes', async () => {
    const data = v9Packet(HDR, set(256, records(FIELDS, [row('10.1.1.1', 80)], false)));
    const tpl = v9Packet(HDR, v9TemplateSet({ id: 256, fields: FIELDS }));
    const sink = await decode(data, tpl);
    expect(sink.rejects).toEqual([]);
    expect(sink.flows).toHaveLength(1);
    expect(sink.flows[0].pos).toBe(24); // the record's own offset in the first packet
  });

  it('decodeNetflowV9() reports unknown-template at its offset and keeps decoding', async () => {
    const orphan = v9Packet(HDR, set(300, records(FIELDS, [row('10.1.1.1', 80)], false)));
    const good = v9Packet(HDR, v9TemplateSet({ id: 256, fields: FIELDS }), set(256, records(FIELDS, [row('10.1.1.3', 80)], false)));
    const sink = await decode(orphan, good);
    expect(sink.flows.map((f) => formatIp(f.src))).toEqual(['10.1.1.3']);
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'unknown-template', offset: 24 })]);
  });

  it('decodeNetflowV9() keeps templates per source id and follows a redefinition', async () => {
    const short: FieldSpec[] = [{ id: 8, len: 4 }, { id: 12, len: 4 }, { id: 1, len: 4 }];
    const p1 = v9Packet(HDR, v9TemplateSet({ id: 256, fields: FIELDS }));
    const other = v9Packet({ ...HDR, sourceId: 7 }, set(256, records(FIELDS, [row('10.7.7.7', 80)], false)));
    const p2 = v9Packet(HDR, v9TemplateSet({ id: 256, fields: short }), set(256, records(short, [['10.2.2.2', '10.3.3.3', 99]], false)));
    const sink = await decode(p1, other, p2);
    expect(sink.flows.map((f) => [formatIp(f.src), f.bytes])).toEqual([['10.2.2.2', 99]]);
    expect(sink.notes.map((n) => n.code)).toContain('template-redefined');
    // Source id 7 never got a template: its data set stays undecodable.
    expect(sink.rejects.map((r) => r.code)).toEqual(['unknown-template']);
  });

  it('decodeNetflowV9() records the sampler interval from options data per flow, never scaling counters', async () => {
    // Options template: scope System (type 1, 4 bytes), FLOW_SAMPLER_ID, SAMPLER_MODE, SAMPLER_RANDOM_INTERVAL.
    const opt = v9OptionsTemplateSet(300, [{ id: 1, len: 4 }], [{ id: 48, len: 1 }, { id: 49, len: 1 }, { id: 50, len: 4 }]);
    const optData = set(300, new Bytes().u32(0x01020304).u8(1).u8(2).u32(100).u32(0x01020304).u8(2).u8(2).u32(1000).done(), true);
    const pkt = v9Packet(HDR, opt, optData, v9TemplateSet({ id: 256, fields: FIELDS }),
      set(256, records(FIELDS, [row('10.1.1.1', 80, 1), row('10.1.1.2', 80, 2), row('10.1.1.3', 80, 9)], false)));
    const sink = await decode(pkt);
    expect(sink.flows.map((f) => [f.sampling, f.packets])).toEqual([[100, 3], [1000, 3], [undefined, 3]]);
    expect(sink.counts['options-records']).toBe(2);
    // The scope field (type 1 = System) is a scope, not octetDeltaCount: no flow came from options.
    expect(sink.flows).toHaveLength(3);
  });

  it('decodeNetflowV9() reads ICMP type/code from the port encoding and IN/OUT counters', async () => {
    const f2: FieldSpec[] = [{ id: 8, len: 4 }, { id: 12, len: 4 }, { id: 4, len: 1 }, { id: 11, len: 2 }, { id: 1, len: 8 }, { id: 2, len: 8 }, { id: 23, len: 4 }, { id: 24, len: 4 }];
    const pkt = v9Packet(HDR, v9TemplateSet({ id: 260, fields: f2 }), set(260, records(f2, [['10.0.0.1', '10.0.0.2', 1, 0x0800, 2 ** 40, 7, 500, 5]], false), true));
    const [f] = (await decode(pkt)).flows;
    expect([f.icmpType, f.icmpCode, f.bytes, f.packets]).toEqual([8, 0, 2 ** 40, 7]);
    expect(f.attrs).toEqual({ outBytes: 500, outPackets: 5 });
  });

  it('decodeNetflowV9() notes a zero-length FlowSet and continues with the next packet', async () => {
    const bad = v9Packet(HDR, v9TemplateSet({ id: 256, fields: FIELDS }), new Bytes().u16(256).u16(0).done());
    const good = v9Packet(HDR, set(256, records(FIELDS, [row('10.1.1.9', 80)], false)));
    const sink = await decode(bad, good);
    expect(sink.flows.map((f) => formatIp(f.src))).toEqual(['10.1.1.9']);
    expect(sink.notes.length + sink.rejects.length).toBeGreaterThan(0);
  });

  it('decodeNetflowV9() refuses a template whose records have no bytes (it would never advance)', async () => {
    const zero: FieldSpec[] = [{ id: 8, len: 0 }, { id: 12, len: 0 }];
    const pkt = v9Packet(HDR, v9TemplateSet({ id: 256, fields: zero }), set(256, new Uint8Array(8)));
    const sink = await decode(pkt);
    expect(sink.flows).toEqual([]);
    expect(sink.notes.map((n) => n.code)).toContain('bad-template');
    expect(sink.rejects.map((r) => r.code)).toEqual(['unknown-template']);
  });
});
