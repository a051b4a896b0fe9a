import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import type { FormatLoader } from '../../../../core/formats/decoder';
import { csvLoader } from '../../../../core/formats/csv/csv-loader';
import { ipauditLoader } from '../../../../core/formats/ipaudit/ipaudit-loader';
import { vpcFlowLoader } from '../../../../core/formats/vpc-flow/vpc-flow-loader';
import { zeekConnLoader } from '../../../../core/formats/zeek/zeek-conn-loader';
import { RecordingSink } from '../../../helpers/recording-sink';

/** A valid-looking first line per format, so that the generated garbage reaches the record parsers. */
const HEADS: [FormatLoader, string, string][] = [
  [zeekConnLoader, 'conn.log', '#separator \\x09\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\torig_pkts\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\n'],
  [vpcFlowLoader, 'flow.log', 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n'],
  [ipauditLoader, '2006-03-27-08:00.txt', ''],
  [csvLoader, 'x.csv', 'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt\n'],
];

/** Lines made of the tokens these formats use, shuffled: numbers, addresses, times, separators, quotes, braces. */
const token = fc.constantFrom('1', '0', '-', '65536', '10.0.0.1', '010.000.000.001', '::1', 'tcp', 'TCP', 'ICMP', '1.5', 'XXXXXXXXXX.XXXXXX',
  '2018-01-12 15:37:30', '08:00:02.7605', 'ACCEPT', 'NODATA', '"', '""', '{', '}', '"ts":', '(empty)', '\\x09', 'Summary', '#fields', '\u00e9');
const sep = fc.constantFrom('\t', ' ', ',', ';', '');
const line = fc.array(fc.tuple(token, sep), { maxLength: 20 }).map((parts) => parts.map(([t, s]) => t + s).join(''));
const body = fc.array(line, { maxLength: 30 }).map((lines) => lines.join('\n'));

describe('text decoders on arbitrary input', () => {
  for (const [loader, fileName, head] of HEADS) {
    it(`${loader.id}: decode() never throws, terminates, and stores only flows with sane times, protocols and ports`, async () => {
      await fc.assert(fc.asyncProperty(body, fc.integer({ min: 1, max: 64 }), async (text, chunk) => {
        const bytes = new TextEncoder().encode(head + text);
        const parts: Uint8Array[] = [];
        for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
        const sink = new RecordingSink();
        const failure = await loader.decode({ source: byteSourceOf(...parts), sink, fileName, options: {} });
        if (failure) expect(typeof failure.message).toBe('string');
        for (const f of sink.flows) {
          expect(Number.isSafeInteger(f.startUs) && Number.isSafeInteger(f.endUs)).toBe(true);
          expect(f.endUs).toBeGreaterThanOrEqual(f.startUs);
          expect(f.proto >= 0 && f.proto <= 255 && f.srcPort <= 65535 && f.dstPort <= 65535).toBe(true);
        }
        for (const r of sink.rejects) expect(r.offset).toBeGreaterThan(0);
      }), { numRuns: 150 });
    });
  }
});
