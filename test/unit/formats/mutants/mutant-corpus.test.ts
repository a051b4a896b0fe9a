import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DecodeFailure, DecodeIssue, FlowSink } from '../../../../core/formats/decoder';
import { BrokenStreamError } from '../../../../core/formats/common/decompress';
import { decodedFileName, openEvidenceStream } from '../../../../core/formats/common/evidence-stream';
import { loaderById } from '../../../../core/formats/index';
import type { FlowInput } from '../../../../core/model/flow-batch';
import { argusFile, argusFlow, argusMan } from '../../../helpers/argus-writer';
import { REPO_ROOT } from '../../../helpers/corpus';
import { mutants } from '../../../helpers/mutators';
import { v5Datagram } from '../../../helpers/netflow-writer';
import { buildFlowTools, buildNfcapd } from '../../../helpers/nfcapd-writer';
import { ethernet, pcapFile, pcapngFile, tcpPacket, udpPacket } from '../../../helpers/pcap-writer';
import { syntheticConn, zeekHeader, zeekLine } from '../../../helpers/zeek-log-writer';
import { parseIp } from '../../../../core/model/ip';

/**
 * #14: the mutant corpus. Every format gets MUTANTS_PER_FORMAT deterministic mutants of a
 * valid file it reads (truncation, bit flips, span overwrites, absurd lengths, broken gzip,
 * huge lines, invalid UTF-8, dates out of range); each must decode to flows and issues or a
 * failure value with a position, never a crash or a hang. Inputs that once failed live in
 * test/fixtures/regressions (regressions.test.ts).
 */
const MUTANTS_PER_FORMAT = 56;
const PER_MUTANT_MS = 20_000;
const T0 = 1_700_000_000;

const enc = (s: string) => new TextEncoder().encode(s);

function tcpPackets(n: number): { tsUs: number; data: Uint8Array }[] {
  return Array.from({ length: n }, (_, i) => ({
    tsUs: T0 * 1e6 + i * 1000,
    data: ethernet(tcpPacket({ src: '10.0.0.1', dst: `192.0.2.${1 + (i % 5)}`, sport: 40000 + (i % 7), dport: 443, flags: i % 7 === 0 ? 'S' : 'A', payload: 40 })),
  }));
}

/** A valid file per format (the loader id) and the file name it is decoded under. */
const SEEDS: Record<string, { name: string; bytes: () => Uint8Array }> = {
  'zeek-conn': { name: 'conn.log', bytes: () => enc(zeekHeader() + Array.from({ length: 40 }, (_, i) => zeekLine(syntheticConn(i), i)).join('\n') + '\n#close\t2023-11-14-23-00-00\n') },
  csv: {
    name: 'flows.csv',
    bytes: () => enc('ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt\n' + Array.from({ length: 40 }, (_, i) =>
      `2023-11-14 22:13:${String(i % 60).padStart(2, '0')},2023-11-14 22:14:00,1.5,10.0.0.${i},192.0.2.1,${1024 + i},443,TCP,.A..S.,0,0,${3 + i},${400 + i},0,0`).join('\n') + '\n'),
  },
  'vpc-flow': {
    name: 'vpc.log',
    bytes: () => enc('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n' +
      Array.from({ length: 40 }, (_, i) => `2 123456789012 eni-abc 10.0.0.${i} 192.0.2.1 ${1024 + i} 443 6 ${3 + i} ${400 + i} ${T0 + i} ${T0 + i + 30} ACCEPT OK`).join('\n') + '\n'),
  },
  'argus-csv': {
    name: 'capture.binetflow',
    bytes: () => enc('StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,Label\n' +
      Array.from({ length: 40 }, (_, i) => `2011/08/10 09:46:${String(i % 60).padStart(2, '0')}.000000,1.5,tcp,10.0.0.${i},${1024 + i},   ->,192.0.2.1,443,SRPA_SPA,0,0,${3 + i},${400 + i},${200 + i},flow=Background`).join('\n') + '\n'),
  },
  ipaudit: { name: '2006-03-27-08:00.txt', bytes: () => readFileSync(join(REPO_ROOT, 'test/fixtures/ipaudit/2006-03-27-08:00.txt')) },
  pcap: { name: 'x.pcap', bytes: () => pcapFile(tcpPackets(60), { linkType: 1 }) },
  pcapng: { name: 'x.pcapng', bytes: () => pcapngFile([{ interfaces: [{ linkType: 1 }], packets: tcpPackets(60) }]) },
  'netflow-pcap': {
    name: 'nf.pcap',
    bytes: () => pcapFile(Array.from({ length: 8 }, (_, d) => ({
      tsUs: (T0 + d) * 1e6,
      data: ethernet(udpPacket({ src: '10.9.9.9', dst: '10.0.0.100', sport: 2055, dport: 2055,
        payload: v5Datagram({ sysUptime: 100_000, unixSecs: T0 + d, sequence: d * 5 }, Array.from({ length: 5 }, (_, i) => ({
          src: `10.0.0.${i}`, dst: '192.0.2.1', packets: 3, bytes: 300, first: 90_000, last: 99_000, srcPort: 1000 + i, dstPort: 80, proto: 6,
        }))) })),
    })), { linkType: 1 }),
  },
  nfcapd: {
    name: 'nfcapd.202311142210',
    bytes: () => buildNfcapd(Array.from({ length: 40 }, (_, i) => ({
      startMs: T0 * 1000 + i, endMs: T0 * 1000 + i + 500, proto: 6, src: parseIp(`10.0.0.${i}`)!, dst: parseIp('192.0.2.1')!,
      srcPort: 1024 + i, dstPort: 443, packets: 3, bytes: 400,
    }))),
  },
  'flow-tools': {
    name: 'ft-v05.2023-11-14.221000+0000',
    bytes: () => buildFlowTools(Array.from({ length: 40 }, (_, i) => ({
      unix_secs: T0, sysuptime: 100_000, srcaddr: 0x0a000000 + i, dstaddr: 0xc0000201, dPkts: 3, dOctets: 400, First: 90_000, Last: 99_000,
      srcport: 1024 + i, dstport: 443, prot: 6,
    }))),
  },
  argus: {
    name: 'x.argus',
    bytes: () => argusFile(argusMan({ startUs: T0 * 1e6 }), ...Array.from({ length: 30 }, (_, i) => argusFlow({
      src: `10.0.0.${i}`, dst: '192.0.2.1', proto: 6, sport: 1024 + i, dport: 443, startUs: T0 * 1e6 + i, endUs: T0 * 1e6 + i + 500,
      sPkts: 3, sBytes: 400, dPkts: 2, dBytes: 300,
    }))),
  },
};

class CheckingSink implements FlowSink {
  flows = 0;
  readonly issues: DecodeIssue[] = [];
  aborted = false;
  skipped = 0;
  skip(_reason: string, n = 1): void {
    this.skipped += n;
  }
  flow(r: FlowInput): void {
    this.flows++;
    for (const k of ['pos', 'startUs', 'endUs', 'packets', 'bytes'] as const) {
      if (!Number.isFinite(r[k])) throw new Error(`flow with ${k} = ${r[k]}`);
    }
  }
  reject(i: DecodeIssue): void { this.issues.push(i); }
  note(i: DecodeIssue): void { this.issues.push(i); }
  count(): void {}
  fact(): void {}
  yield(): void {}
}

async function* chunks(b: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < b.length; o += 65536) yield b.subarray(o, o + 65536);
}

/** Decodes one mutant as the importer would; what came out, or what went wrong. */
async function decodeMutant(format: string, name: string, bytes: Uint8Array): Promise<{ sink: CheckingSink; failure: DecodeFailure | void; thrown?: unknown }> {
  const loader = loaderById(format)!;
  const sink = new CheckingSink();
  try {
    const { source, compression } = await openEvidenceStream(chunks(bytes));
    const failure = await loader.decode({ source, sink, fileName: decodedFileName(name, compression), options: {} });
    return { sink, failure };
  } catch (thrown) {
    return { sink, failure: undefined, thrown };
  }
}

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms (hang)`)), ms); })])
    .finally(() => clearTimeout(timer));
}

/** What a mutant may end in: anything but a crash, and every problem with a position. */
function problems(r: Awaited<ReturnType<typeof decodeMutant>>, size: number): string[] {
  const out: string[] = [];
  // A broken compressed stream is reported by the importer with its compressed offset.
  if (r.thrown && !(r.thrown instanceof BrokenStreamError)) out.push(`threw ${(r.thrown as Error)?.stack ?? String(r.thrown)}`);
  if (r.failure && !(Number.isInteger(r.failure.offset) && r.failure.offset >= 0 && r.failure.message)) out.push(`failure without a position: ${JSON.stringify(r.failure)}`);
  for (const i of r.sink.issues) {
    if (!(Number.isInteger(i.offset) && i.offset >= 0 && i.message)) { out.push(`issue without a position: ${JSON.stringify(i)}`); break; }
    if (i.offset > size * 64 + 1e7) { out.push(`issue position ${i.offset} beyond the file: ${JSON.stringify(i)}`); break; }
  }
  return out;
}

describe('mutant corpus', () => {
  for (const [format, seed] of Object.entries(SEEDS)) {
    it(`${format}: ${MUTANTS_PER_FORMAT} mutants decode without a crash or a hang, problems with positions`, async () => {
      const bytes = seed.bytes();
      const clean = await decodeMutant(format, seed.name, bytes);
      expect(problems(clean, bytes.length)).toEqual([]);
      expect(clean.sink.flows, `${format} seed yields flows`).toBeGreaterThan(0);
      const failed: string[] = [];
      let i = 0;
      for (const m of mutants(bytes, MUTANTS_PER_FORMAT, 1000 * (Object.keys(SEEDS).indexOf(format) + 1))) {
        const name = m.name.startsWith('broken-gzip') ? `${seed.name}.gz` : seed.name;
        const r = await withDeadline(decodeMutant(format, name, m.bytes), PER_MUTANT_MS, `${format} ${m.name}`);
        for (const p of problems(r, m.bytes.length)) failed.push(`${format} ${m.name}: ${p}`);
        i++;
      }
      expect(i).toBe(MUTANTS_PER_FORMAT);
      expect(failed).toEqual([]);
    });
  }
});
