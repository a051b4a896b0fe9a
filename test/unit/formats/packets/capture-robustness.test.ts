import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { pcapLoader } from '../../../../core/formats/pcap/pcap-loader';
import { pcapngLoader } from '../../../../core/formats/pcapng/pcapng-loader';
import { ethernet, icmpPacket, pcapFile, pcapngFile, TcpConversation, udpPacket } from '../../../helpers/pcap-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

const T0 = 1_700_000_000_000_000;
const conv = new TcpConversation('10.0.0.1', '10.0.0.2', 40000, 80)
  .send('c', 'S').send('s', 'SA').send('c', 'A').send('c', 'PA', 50).send('s', 'PA', 300).send('c', 'FA').send('s', 'FA').send('c', 'A');
const extra = [
  { tsUs: T0 + 5, data: ethernet(udpPacket({ src: '2001:db8::1', dst: '2001:db8::2', sport: 53, dport: 3333, payload: 20 }), { vlans: [5] }) },
  { tsUs: T0 + 6, data: ethernet(icmpPacket({ src: '10.0.0.3', dst: '10.0.0.4', type: 8, payload: 8 })) },
];
const SAMPLES: { name: string; bytes: Uint8Array; loader: typeof pcapLoader }[] = [
  { name: 'pcap LE', bytes: pcapFile([...conv.packets, ...extra], { linkType: 1 }), loader: pcapLoader },
  { name: 'pcap BE nano', bytes: pcapFile([...conv.packets, ...extra], { linkType: 1, littleEndian: false, nano: true }), loader: pcapLoader },
  { name: 'pcapng', bytes: pcapngFile([{ interfaces: [{ linkType: 1 }, { linkType: 101, tsresol: 9 }], packets: [...conv.packets, ...extra].map((p, i) => ({ ...p, iface: 0, block: i === 3 ? 'spb' as const : 'epb' as const })) }]), loader: pcapngLoader },
];

async function decodeAll(loader: typeof pcapLoader, bytes: Uint8Array, chunk: number): Promise<RecordingSink> {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const sink = new RecordingSink();
  await loader.decode({ source: byteSourceOf(...chunks), sink, fileName: 'x', options: {} });
  return sink;
}

describe('pcap/pcapng loaders on damaged captures', () => {
  for (const s of SAMPLES) {
    it(`${s.name}: truncating at any point or flipping bytes never throws and always terminates`, async () => {
      const intact = await decodeAll(s.loader, s.bytes, 1 << 20);
      expect(intact.flows.length).toBeGreaterThanOrEqual(3);
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: s.bytes.length }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
          fc.integer({ min: 1, max: 700 }),
          async (cut, flips, chunk) => {
            const b = s.bytes.slice(0, cut);
            for (const [pos, v] of flips) if (b.length) b[pos % b.length] = v;
            const sink = await decodeAll(s.loader, b, chunk);
            // Every flow it reports is well formed.
            for (const f of sink.flows) {
              expect(f.packets + (f.revPackets ?? 0)).toBeGreaterThanOrEqual(0);
              expect(Number.isFinite(f.startUs)).toBe(true);
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  }
});
