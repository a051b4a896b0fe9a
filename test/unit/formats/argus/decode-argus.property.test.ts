import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argusLoader } from '../../../../core/formats/argus/argus-loader';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { argusArp, argusEther, argusFile, argusFlow, argusMan } from '../../../helpers/argus-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

const T0 = 1_600_000_000_000_000;

const flowRecord = fc.record({
  kind: fc.constantFrom('tcp', 'udp6', 'icmp', 'arp', 'llc'),
  sPkts: fc.nat({ max: 100_000 }),
  dPkts: fc.nat({ max: 100_000 }),
  bytes: fc.nat({ max: 2 ** 40 }),
  reverse: fc.boolean(),
  status: fc.nat({ max: 0x3fff }),
  dur: fc.nat({ max: 10_000_000 }),
}).map((r) => {
  const sPkts = r.sPkts || (r.dPkts ? 0 : 1);
  const base = { startUs: T0, endUs: T0 + r.dur, sPkts, sBytes: sPkts ? r.bytes : 0, dPkts: r.dPkts, dBytes: r.dPkts ? r.bytes + 1 : 0 };
  switch (r.kind) {
    case 'tcp': return argusFlow({ ...base, src: '10.1.2.3', dst: '10.3.2.1', proto: 6, sport: 1234, dport: 80, reverse: r.reverse, tcp: { status: r.status, sFlags: 0x12, dFlags: 0x11, kind: r.status % 3 === 0 ? 'perf' : 'status' } });
    case 'udp6': return argusFlow({ ...base, src: '2001:db8::1', dst: '2001:db8::2', proto: 17, sport: 53, dport: 5353, reverse: r.reverse });
    case 'icmp': return argusFlow({ ...base, src: '10.1.2.3', dst: '10.3.2.1', proto: 1, icmpType: 8, icmpId: 7, direction: r.reverse });
    case 'arp': return argusArp({ ...base, spa: '10.0.0.1', tpa: '10.0.0.2' });
    default: return argusEther({ srcMac: '00:01:02:03:04:05', dstMac: 'ff:ff:ff:ff:ff:ff', ssap: 0x42, dsap: 0x42, startUs: T0, sPkts: 1, sBytes: 60 });
  }
});

const file = fc.array(flowRecord, { minLength: 1, maxLength: 8 }).map((recs) => argusFile(argusMan({ startUs: T0 }), ...recs));

async function decodeAll(bytes: Uint8Array, chunk: number) {
  const sink = new RecordingSink();
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const failure = await argusLoader.decode({ source: byteSourceOf(...chunks), sink, fileName: 'p.argus', options: { keepArp: true } });
  return { sink, failure };
}

/** What must hold for any input: positions move forward and stay inside the file, issues point into it. */
function checkForward(bytes: Uint8Array, sink: RecordingSink): void {
  let last = -1;
  for (const f of sink.flows) {
    expect(f.pos).toBeGreaterThan(last);
    expect(f.pos).toBeLessThan(bytes.length);
    expect(Number.isFinite(f.startUs) && Number.isFinite(f.endUs)).toBe(true);
    expect(f.endUs).toBeGreaterThanOrEqual(f.startUs);
    last = f.pos;
  }
  for (const r of sink.rejects) {
    expect(r.offset).toBeGreaterThanOrEqual(0);
    expect(r.offset).toBeLessThanOrEqual(bytes.length);
  }
}

describe('decodeArgus() on damaged input', () => {
  it('terminates without throwing, moving forward, for any truncation of a valid file', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.nat(), fc.integer({ min: 1, max: 64 }), async (bytes, cut, chunk) => {
        const truncated = bytes.subarray(0, cut % (bytes.length + 1));
        const { sink } = await decodeAll(truncated, chunk);
        checkForward(truncated, sink);
      }),
      { numRuns: 300 },
    );
  });

  it('terminates without throwing, moving forward, for any byte flips in a valid file', async () => {
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 64 }),
        async (bytes, flips, chunk) => {
          const damaged = bytes.slice();
          for (const [at, v] of flips) damaged[at % damaged.length] = v;
          const { sink } = await decodeAll(damaged, chunk);
          checkForward(damaged, sink);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes every record of an undamaged file, however it is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 1, max: 64 }), async (bytes, chunk) => {
        const { sink, failure } = await decodeAll(bytes, chunk);
        expect(failure).toBeUndefined();
        expect(sink.rejects).toEqual([]);
        expect(sink.flows.length + (sink.counts['llc-records'] ?? 0)).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  });
});
