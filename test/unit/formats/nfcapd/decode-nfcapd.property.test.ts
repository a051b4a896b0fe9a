import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import type { FormatLoader } from '../../../../core/formats/decoder';
import { flowToolsLoader } from '../../../../core/formats/flow-tools/flow-tools-loader';
import { nfcapdLoader } from '../../../../core/formats/nfcapd/nfcapd-loader';
import { parseIp } from '../../../../core/model/ip';
import { HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { buildFlowTools, buildNfcapd, type SyntheticFlow } from '../../../helpers/nfcapd-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

const flows: SyntheticFlow[] = Array.from({ length: 40 }, (_, i) => ({
  startMs: 1700000000000 + i * 1000, endMs: 1700000000500 + i * 1000, proto: i % 3 === 0 ? 17 : 6,
  src: i % 5 === 0 ? parseIp(`2001:db8::${i + 1}`)! : parseIp(`10.0.0.${i + 1}`)!, dst: i % 5 === 0 ? parseIp('2001:db8::ffff')! : parseIp('192.168.0.1')!,
  srcPort: 1000 + i, dstPort: 443, packets: i + 1, bytes: 100 * (i + 1), inIf: i, srcAs: 65000 + i, outPackets: i % 2 ? 1 : undefined, exporterId: 1,
}));
const exporters = [{ sysid: 1, ip: parseIp('192.0.2.1') as number, version: 10, id: 1 }];

const samples: [string, FormatLoader, Uint8Array][] = [
  ['nfcapd none', nfcapdLoader, buildNfcapd(flows, { exporters, recordsPerBlock: 7 })],
  ['nfcapd lz4', nfcapdLoader, buildNfcapd(flows, { exporters, recordsPerBlock: 7, compression: 'lz4' })],
  ['nfcapd zstd', nfcapdLoader, buildNfcapd(flows, { exporters, recordsPerBlock: 7, compression: 'zstd' })],
  ['nfcapd lzo', nfcapdLoader, buildNfcapd(flows, { exporters, recordsPerBlock: 7, compression: 'lzo' })],
  ['flow-tools plain', flowToolsLoader, buildFlowTools(flows.slice(0, 20).map((f, i) => ({ srcaddr: i, dstaddr: 1, dPkts: 1, dOctets: 40, First: i, Last: i, srcport: 1, dstport: 2, prot: 6 })))],
  ['flow-tools zlib', flowToolsLoader, buildFlowTools(flows.slice(0, 20).map((f, i) => ({ srcaddr: i, dstaddr: 1, dPkts: 1, dOctets: 40, First: i, Last: i, srcport: 1, dstport: 2, prot: 6 })), { compress: true, littleEndian: true, version: 7 })],
];
if (HAVE_CORPUS) {
  samples.push(
    ['corpus layout 1', nfcapdLoader, new Uint8Array(readFileSync(corpus('nfcapd/stratosphere/test1-malicious.nfcapd')).subarray(0, 20000))],
    ['corpus layout 2', nfcapdLoader, new Uint8Array(readFileSync(corpus('derived/netflow-dat/nf9-cisco-asa.nfcapd')))],
    ['corpus flow-tools zlib', flowToolsLoader, new Uint8Array(readFileSync(corpus('flow-tools/correct/ftv5.2016-01-13.compress.9.sample')))],
  );
}

/** Decodes mutated bytes; the decoder must neither throw nor go backwards. */
async function survives(loader: FormatLoader, bytes: Uint8Array): Promise<void> {
  const sink = new RecordingSink();
  const failure = await loader.decode({ source: byteSourceOf(bytes), sink, fileName: 'fuzz', options: {} });
  if (failure) expect(typeof failure.message).toBe('string');
  let last = -1;
  for (const f of sink.flows) {
    expect(f.pos).toBeGreaterThanOrEqual(last);
    expect(f.pos).toBeLessThanOrEqual(bytes.length);
    last = f.pos;
  }
  for (const r of sink.rejects) expect(r.offset).toBeLessThanOrEqual(bytes.length);
  // a flow needs at least a 4-byte record header of input (nfcapd) or a 60-byte record (flow-tools)
  expect(sink.flows.length).toBeLessThanOrEqual(200000);
}

describe('nfcapd and flow-tools decoders on damaged input', () => {
  for (const [name, loader, bytes] of samples) {
    it(`${loader.id} decode() terminates without throwing on every truncation of ${name}`, async () => {
      await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: bytes.length }), async (n) => {
        await survives(loader, bytes.subarray(0, n));
      }), { numRuns: 60 });
    });

    it(`${loader.id} decode() terminates without throwing when bytes of ${name} are flipped or set to huge values`, async () => {
      await fc.assert(fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), wide: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        async (edits) => {
          const copy = bytes.slice();
          for (const e of edits) {
            const at = e.at % copy.length;
            if (e.wide) copy.fill(0xff, at, Math.min(copy.length, at + 4)); // a huge length field
            else copy[at] = e.value;
          }
          await survives(loader, copy);
        },
      ), { numRuns: 80 });
    });
  }
});
