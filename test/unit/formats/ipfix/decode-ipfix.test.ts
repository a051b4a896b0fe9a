import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { ipfixLoader } from '../../../../core/formats/ipfix/ipfix-loader';
import { ExportDecoder } from '../../../../core/formats/netflow-export/export-decoder';
import { formatIp } from '../../../../core/model/ip';
import { Bytes, concat, ipfixMessage, ipfixOptionsTemplateSet, ipfixTemplateSet, records, set, type FieldSpec } from '../../../helpers/netflow-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

async function decode(...chunks: Uint8Array[]): Promise<RecordingSink> {
  const sink = new RecordingSink();
  const failure = await ipfixLoader.decode({ source: byteSourceOf(...chunks), sink, fileName: 'x.ipfix', options: {} });
  if (failure) sink.rejects.push({ ...failure });
  return sink;
}

const EXPORT = 1_700_000_000;
const H = { exportTime: EXPORT, domain: 5 };
const BASE: FieldSpec[] = [{ id: 8, len: 4 }, { id: 12, len: 4 }, { id: 7, len: 2 }, { id: 11, len: 2 }, { id: 4, len: 1 }];
const tuple = ['10.0.0.1', '10.0.0.2', 1111, 53, 17];

/** One template + one record with extra fields; returns the decoded flow. */
async function one(extra: FieldSpec[], values: (number | string | Uint8Array)[]) {
  const fields = [...BASE, ...extra];
  const sink = await decode(ipfixMessage(H, ipfixTemplateSet({ id: 256, fields }), set(256, records(fields, [[...tuple, ...values]], true))));
  expect(sink.rejects).toEqual([]);
  expect(sink.flows).toHaveLength(1);
  return sink.flows[0];
}

const ntp = (unixUs: number) => {
  const sec = Math.floor(unixUs / 1e6);
  const frac = Math.round(((unixUs - sec * 1e6) / 1e6) * 2 ** 32);
  return new Bytes().u32(sec + 2208988800).u32(frac).done();
};

describe('ipfix loader', () => {
  it('decodeIpfix() reads every time encoding', async () => {
    const t0 = EXPORT * 1e6 - 60e6;
    expect((await one([{ id: 150, len: 4 }, { id: 151, len: 4 }], [EXPORT - 60, EXPORT - 1]))).toMatchObject({ startUs: t0, endUs: EXPORT * 1e6 - 1e6 });
    expect((await one([{ id: 152, len: 8 }, { id: 153, len: 8 }], [t0 / 1000 + 5, t0 / 1000 + 9]))).toMatchObject({ startUs: t0 + 5000, endUs: t0 + 9000 });
    expect((await one([{ id: 154, len: 8 }, { id: 155, len: 8 }], [ntp(t0 + 123_456), ntp(t0 + 999_999)]))).toMatchObject({ startUs: t0 + 123_456, endUs: t0 + 999_999 });
    expect((await one([{ id: 156, len: 8 }, { id: 157, len: 8 }], [ntp(t0 + 7), ntp(t0 + 8)]))).toMatchObject({ startUs: t0 + 7, endUs: t0 + 8 });
    expect((await one([{ id: 158, len: 4 }, { id: 159, len: 4 }], [3_000_000, 1_000_000]))).toMatchObject({ startUs: EXPORT * 1e6 - 3e6, endUs: EXPORT * 1e6 - 1e6 });
    expect((await one([{ id: 152, len: 8 }, { id: 161, len: 4 }], [t0 / 1000, 2500]))).toMatchObject({ startUs: t0, endUs: t0 + 2_500_000 });
    // sysUpTime relative to systemInitTimeMilliseconds carried in the record itself.
    expect((await one([{ id: 160, len: 8 }, { id: 22, len: 4 }, { id: 21, len: 4 }], [t0 / 1000 - 1000, 1000, 4000]))).toMatchObject({ startUs: t0, endUs: t0 + 3e6 });
  });

  it('decodeIpfix() anchors sysUpTime times with systemInitTimeMilliseconds from options data', async () => {
    const opt = ipfixOptionsTemplateSet(300, [{ id: 143, len: 4 }], [{ id: 160, len: 8 }]);
    const init = EXPORT * 1000 - 3_600_000;
    const fields = [...BASE, { id: 22, len: 4 }, { id: 21, len: 4 }];
    const msg = ipfixMessage(H, opt, set(300, new Bytes().u32(1).u64(init).done()), ipfixTemplateSet({ id: 256, fields }),
      set(256, records(fields, [[...tuple, 1_000, 2_000]], true)));
    const sink = await decode(msg);
    expect(sink.flows[0]).toMatchObject({ startUs: (init + 1000) * 1000, endUs: (init + 2000) * 1000 });
    expect(sink.notes).toEqual([]);
  });

  it('decodeIpfix() reads variable-length fields (with the 255 escape) and keeps enterprise elements as hex', async () => {
    const long = new Uint8Array(300).fill(0x61);
    const f = await one(
      [{ id: 96, len: 65535 }, { id: 1000, len: 65535, pen: 9 }, { id: 12, len: 3, pen: 4242 }, { id: 2, len: 4 }],
      ['dns', long, new Uint8Array([1, 2, 3]), 77],
    );
    expect(f.attrs).toMatchObject({ appName: 'dns', 'e4242.12': '010203' });
    expect((f.attrs as Record<string, string>)['e9.1000']).toBe('61'.repeat(300));
    expect(f.packets).toBe(77); // the field after the variable ones is read at the right place
  });

  it('decodeIpfix() reads reduced-size counters and RFC 5103 reverse elements', async () => {
    const f = await one(
      [{ id: 1, len: 3 }, { id: 2, len: 2 }, { id: 6, len: 2 }, { id: 1, len: 8, pen: 29305 }, { id: 2, len: 4, pen: 29305 }, { id: 6, len: 1, pen: 29305 }],
      [70_000, 300, 0x0112, 9_000_000_000, 12, 0x12],
    );
    expect([f.bytes, f.packets, f.tcpFlags, f.revBytes, f.revPackets, f.revTcpFlags]).toEqual([70_000, 300, 0x12, 9_000_000_000, 12, 0x12]);
  });

  it('decodeIpfix() decodes IPv6 records and icmpTypeCodeIPv6', async () => {
    const fields: FieldSpec[] = [{ id: 27, len: 16 }, { id: 28, len: 16 }, { id: 4, len: 1 }, { id: 139, len: 2 }, { id: 2, len: 4 }];
    const sink = await decode(ipfixMessage(H, ipfixTemplateSet({ id: 256, fields }), set(256, records(fields, [['2001:db8::1', 'ff02::1', 58, (135 << 8) | 0, 1]], true), true)));
    const [f] = sink.flows;
    expect([formatIp(f.src), formatIp(f.dst), f.icmpType, f.icmpCode, f.dstPort]).toEqual(['2001:db8::1', 'ff02::1', 135, 0, 135 << 8]);
    expect(sink.notes.map((n) => n.code)).toEqual(['no-flow-times']);
    expect(f.startUs).toBe(EXPORT * 1e6);
  });

  it('decodeIpfix() applies sampling options per selector id as a recorded factor', async () => {
    // RFC 5477: samplingPacketInterval 1, samplingPacketSpace 99 = 1 in 100 for selector 3.
    const opt = ipfixOptionsTemplateSet(400, [{ id: 302, len: 2 }], [{ id: 305, len: 4 }, { id: 306, len: 4 }]);
    const fields = [...BASE, { id: 302, len: 2 }, { id: 2, len: 4 }];
    const msg = ipfixMessage(H, opt, set(400, new Bytes().u16(3).u32(1).u32(99).done()), ipfixTemplateSet({ id: 256, fields }),
      set(256, records(fields, [[...tuple, 3, 10], [...tuple, 4, 10]], true)));
    const sink = await decode(msg);
    expect(sink.flows.map((f) => [f.sampling, f.packets])).toEqual([[100, 10], [undefined, 10]]);
    expect(sink.facts.sampling).toEqual([{ exporter: null, sourceId: 5, samplerId: 3, interval: 100, source: 'options' }]);
  });

  it('decodeIpfix() follows template withdrawal and treats short set tails as padding', async () => {
    const tpl = ipfixTemplateSet({ id: 256, fields: BASE });
    const data = set(256, concat(records(BASE, [tuple], true), new Uint8Array(3))); // 3 bytes padding < one record
    const withdraw = ipfixTemplateSet({ id: 256, fields: [] });
    const after = set(256, records(BASE, [tuple], true));
    const sink = await decode(ipfixMessage(H, tpl, data), ipfixMessage(H, withdraw), ipfixMessage(H, after));
    expect(sink.flows).toHaveLength(1);
    expect(sink.rejects.map((r) => r.code)).toEqual(['unknown-template']);
  });

  it('decodeIpfix() rejects a record cut off inside a variable-length field', async () => {
    const fields: FieldSpec[] = [...BASE, { id: 96, len: 65535 }];
    const body = concat(records(BASE, [tuple], true), new Uint8Array([40, 1, 2])); // says 40 bytes, has 2
    const sink = await decode(ipfixMessage(H, ipfixTemplateSet({ id: 256, fields }), set(256, body)));
    expect(sink.flows).toEqual([]);
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'truncated-record', offset: 16 + 4 + 4 + 4 + BASE.length * 4 + 4 })]);
  });

  it('decodeIpfix() notes a reserved set id and a set longer than its message', async () => {
    const msg = ipfixMessage(H, ipfixTemplateSet({ id: 256, fields: BASE }), set(7, new Uint8Array(4)));
    const broken = ipfixMessage(H, set(256, records(BASE, [tuple], true)));
    broken[16 + 3] += 40; // set length past the message end
    const sink = await decode(msg, broken);
    expect(sink.notes.map((n) => n.code)).toContain('reserved-set-id');
    expect(sink.rejects.map((r) => r.code)).toEqual(['truncated-set']);
    expect(sink.flows).toHaveLength(1);
  });

  it('ExportDecoder bounds held data sets and templates', () => {
    const sink = new RecordingSink();
    const dec = new ExportDecoder(sink, { maxTemplates: 2, maxPendingSets: 2, maxPendingBytes: 1 << 20 });
    for (let i = 0; i < 5; i++) {
      const m = ipfixMessage(H, set(500 + i, records(BASE, [tuple], true)));
      dec.decodeMessages(m, 0, m.length, 0, undefined, -1, true);
    }
    for (let i = 0; i < 4; i++) {
      const m = ipfixMessage(H, ipfixTemplateSet({ id: 600 + i, fields: BASE }));
      dec.decodeMessages(m, 0, m.length, 0, undefined, -1, true);
    }
    expect(dec.session.cache.pendingCount).toBe(2);
    expect(dec.session.cache.templateCount).toBe(2);
    expect(sink.rejects.map((r) => r.code)).toEqual(['unknown-template', 'unknown-template', 'unknown-template']);
    expect(sink.notes.map((n) => n.code)).toEqual(['template-limit', 'template-limit']);
    dec.finish();
    expect(sink.rejects).toHaveLength(5);
  });
});
