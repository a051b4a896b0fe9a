import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { ExportDecoder } from '../../../../core/formats/netflow-export/export-decoder';
import { ipfixLoader } from '../../../../core/formats/ipfix/ipfix-loader';
import { HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import {
  concat, ipfixMessage, ipfixOptionsTemplateSet, ipfixTemplateSet, records, set, v5Datagram, v9OptionsTemplateSet, v9Packet, v9TemplateSet, type FieldSpec,
} from '../../../helpers/netflow-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

const LIMITS = { maxTemplates: 64, maxPendingSets: 16, maxPendingBytes: 64 * 1024 };

/** Datagrams built in code (always available) plus every real sample of the corpus. */
function samples(): Uint8Array[] {
  const f4: FieldSpec[] = [{ id: 8, len: 4 }, { id: 12, len: 4 }, { id: 1, len: 4 }, { id: 2, len: 4 }, { id: 22, len: 4 }, { id: 21, len: 4 }];
  const fv: FieldSpec[] = [{ id: 27, len: 16 }, { id: 28, len: 16 }, { id: 96, len: 65535 }, { id: 7, len: 2, pen: 29305 }, { id: 1, len: 65535, pen: 9 }];
  const out = [
    v5Datagram({ sysUptime: 1000, unixSecs: 1_600_000_000 }, [{ src: '1.2.3.4', dst: '5.6.7.8', packets: 1, bytes: 2, first: 1, last: 2, srcPort: 3, dstPort: 4, proto: 6 }]),
    v9Packet({ sysUptime: 1000, unixSecs: 1_600_000_000 }, v9TemplateSet({ id: 256, fields: f4 }), v9OptionsTemplateSet(257, [{ id: 1, len: 4 }], [{ id: 34, len: 4 }]),
      set(256, records(f4, [['1.1.1.1', '2.2.2.2', 3, 4, 5, 6], ['1.1.1.2', '2.2.2.3', 3, 4, 5, 6]], false))),
    ipfixMessage({ exportTime: 1_600_000_000 }, ipfixTemplateSet({ id: 300, fields: fv }), ipfixOptionsTemplateSet(301, [{ id: 302, len: 2 }], [{ id: 305, len: 4 }]),
      set(300, records(fv, [['::1', '::2', 'abc', 7, new Uint8Array(260)]], true))),
  ];
  if (HAVE_CORPUS) {
    const dir = corpus('netflow/logstash-dat');
    for (const f of readdirSync(dir).sort()) out.push(new Uint8Array(readFileSync(`${dir}/${f}`)));
  }
  return out;
}

const ALL = samples();

/** A sample, cut short and with some bytes overwritten. */
const damaged = fc.record({
  which: fc.nat({ max: ALL.length - 1 }),
  cut: fc.double({ min: 0, max: 1, noNaN: true }),
  flips: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
}).map(({ which, cut, flips }) => {
  const src = ALL[which];
  const b = src.slice(0, Math.max(1, Math.round(src.length * cut)));
  for (const [at, v] of flips) b[Math.min(b.length - 1, Math.floor(at * b.length))] = v;
  return b;
});

describe('NetFlow/IPFIX decoding of damaged datagrams', () => {
  it('ExportDecoder.decodeMessages() always consumes the buffer, never throws and stays within its bounds', () => {
    fc.assert(fc.property(fc.array(damaged, { minLength: 1, maxLength: 6 }), (dgs) => {
      const sink = new RecordingSink();
      const dec = new ExportDecoder(sink, LIMITS);
      let total = 0;
      for (const dg of dgs) {
        expect(dec.decodeMessages(dg, 0, dg.length, total, undefined, -1, true)).toBe(dg.length);
        total += dg.length;
        expect(dec.session.cache.pendingCount).toBeLessThanOrEqual(LIMITS.maxPendingSets);
        expect(dec.session.cache.pendingByteCount).toBeLessThanOrEqual(LIMITS.maxPendingBytes);
        expect(dec.session.cache.templateCount).toBeLessThanOrEqual(LIMITS.maxTemplates);
      }
      dec.finish();
      // Every record uses at least one byte of input; every position lies inside it.
      expect(sink.flows.length).toBeLessThanOrEqual(total);
      for (const f of sink.flows) expect(f.pos).toBeLessThan(total);
      for (const i of [...sink.rejects, ...sink.notes]) expect(i.offset).toBeLessThanOrEqual(total);
    }), { numRuns: 300 });
  });

  it('ipfix loader decode() of a damaged concatenation terminates without throwing', async () => {
    await fc.assert(fc.asyncProperty(fc.array(damaged, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 512 }), async (dgs, chunk) => {
      const all = concat(...dgs);
      const chunks: Uint8Array[] = [];
      for (let o = 0; o < all.length; o += chunk) chunks.push(all.subarray(o, o + chunk));
      const sink = new RecordingSink();
      const failure = await ipfixLoader.decode({ source: byteSourceOf(...chunks), sink, fileName: 'x.dat', options: {} });
      if (failure) expect(failure.code).toBe('not-netflow');
      expect(sink.flows.length).toBeLessThanOrEqual(all.length);
    }), { numRuns: 150 });
  });

  it('ipfix loader decode() gives the same flows and issues whatever the chunk size of the stream', async () => {
    const all = concat(...ALL);
    const run = async (chunk: number) => {
      const chunks: Uint8Array[] = [];
      for (let o = 0; o < all.length; o += chunk) chunks.push(all.subarray(o, o + chunk));
      const sink = new RecordingSink();
      await ipfixLoader.decode({ source: byteSourceOf(...chunks), sink, fileName: 'x.dat', options: {} });
      return { flows: sink.flows, rejects: sink.rejects, notes: sink.notes };
    };
    const whole = await run(all.length);
    expect(whole.flows.length).toBeGreaterThan(0);
    for (const chunk of [1, 7, 1000, 4096]) expect(await run(chunk)).toEqual(whole);
  });

  it('ipfix loader decode() reads a stream of v9 packets longer than its read window', async () => {
    const f: FieldSpec[] = [{ id: 8, len: 4 }, { id: 12, len: 4 }, { id: 2, len: 4 }];
    const tpl = v9Packet({ sysUptime: 1, unixSecs: 1_600_000_000 }, v9TemplateSet({ id: 256, fields: f }));
    const data = v9Packet({ sysUptime: 1, unixSecs: 1_600_000_000 }, set(256, records(f, [['1.1.1.1', '2.2.2.2', 1], ['1.1.1.1', '2.2.2.3', 2]], false)));
    const n = 20_000; // 20000 * 48 bytes: several 256 KiB windows, packets cut at chunk edges
    const chunks = [tpl, ...Array.from({ length: n }, () => data)];
    const all = concat(...chunks);
    const pieces: Uint8Array[] = [];
    for (let o = 0; o < all.length; o += 65_521) pieces.push(all.subarray(o, o + 65_521));
    const sink = new RecordingSink();
    await ipfixLoader.decode({ source: byteSourceOf(...pieces), sink, fileName: 'x.dat', options: {} });
    expect(sink.notes.map((x) => x.code)).toEqual(['no-flow-times']); // the template has no time field
    expect([sink.flows.length, sink.rejects.length, sink.counts.datagrams]).toEqual([2 * n, 0, n + 1]);
    expect(sink.flows[2 * n - 1].pos).toBe(all.length - 12);
  });
});
