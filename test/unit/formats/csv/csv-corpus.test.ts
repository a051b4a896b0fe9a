import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvLoader } from '../../../../core/formats/csv/csv-loader';
import { formatIp, parseIp } from '../../../../core/model/ip';
import type { FlowInput } from '../../../../core/model/flow-batch';
import { CORPUS_DIR, CORPUS_SKIP_REASON, HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { fileSource } from '../../../helpers/file-source';
import { RecordingSink } from '../../../helpers/recording-sink';

const FILES = HAVE_CORPUS
  ? execFileSync('find', [CORPUS_DIR, '-name', '*.nfcapd.csv'], { encoding: 'utf8' }).trim().split('\n').sort()
  : [];

const PROTO: Record<string, number> = { TCP: 6, UDP: 17, ICMP: 1, ICMP6: 58, IGMP: 2, VRRP: 112 };
const secs = (t: string) => Date.parse(`${t.replace(' ', 'T')}Z`) * 1000;

/** The oracle for one data line: nfdump's own columns read by plain splitting. */
function expectLine(f: FlowInput, line: string, no: number): void {
  const c = line.split(',');
  const ctx = `line ${no}`;
  expect(f.pos, ctx).toBe(no);
  expect(f.startUs, ctx).toBe(secs(c[0]));
  expect(f.endUs, ctx).toBe(Math.max(secs(c[1]), secs(c[0])));
  // Compared as addresses: nfdump prints IPv4-compatible IPv6 as ::a.b.c.d, formatIp as RFC 5952 hex.
  expect(formatIp(f.src), ctx).toBe(formatIp(parseIp(c[3])!));
  expect(formatIp(f.dst), ctx).toBe(formatIp(parseIp(c[4])!));
  expect([f.srcPort, f.dstPort], ctx).toEqual([Number(c[5]), Number(c[6])]);
  expect(f.proto, ctx).toBe(PROTO[c[7]] ?? Number(c[7]));
  expect([f.packets, f.bytes], ctx).toEqual([Number(c[11]), Number(c[12])]);
  expect([f.revPackets ?? 0, f.revBytes ?? 0], ctx).toEqual([Number(c[13]), Number(c[14])]);
  expect([f.inIf, f.outIf, f.srcAs, f.dstAs], ctx).toEqual([Number(c[15]), Number(c[16]), Number(c[17]), Number(c[18])]);
  expect(f.exporter === undefined ? '0.0.0.0' : formatIp(f.exporter), ctx).toBe(formatIp(parseIp(c[44])!));
}

describe.skipIf(!HAVE_CORPUS)('csv loader (nfdump preset) on every derived *.nfcapd.csv', () => {
  if (!HAVE_CORPUS) it.skip(CORPUS_SKIP_REASON, () => {});

  it('finds the 66 nfdump CSV oracles', () => {
    expect(FILES.length).toBe(66);
  });

  for (const path of FILES) {
    const name = path.slice(CORPUS_DIR.length + 1);
    it(`decodeCsv() reads ${name}: as many flows as nfdump's Summary, same totals, every record field by field`, async () => {
      const text = readFileSync(path, 'utf8');
      expect(csvLoader.sniff(readFileSync(path).subarray(0, 65536), basename(path))).toBeGreaterThan(0.9);
      const sink = new RecordingSink();
      const failure = await csvLoader.decode({ source: fileSource(path, 1024), sink, fileName: basename(path), options: {} });
      expect(failure).toBeUndefined();
      expect(sink.rejects).toEqual([]);
      const lines = text.split('\n');
      const totals = lines[lines.indexOf('flows,bytes,packets,avg_bps,avg_pps,avg_bpp') + 1].split(',').map(Number);
      expect(sink.facts.nfdumpSummary).toMatchObject({ flows: totals[0], bytes: totals[1], packets: totals[2] });
      expect(sink.flows.length).toBe(totals[0]);
      expect(sink.flows.reduce((a, f) => a + f.bytes + (f.revBytes ?? 0), 0)).toBe(totals[1]);
      expect(sink.flows.reduce((a, f) => a + f.packets + (f.revPackets ?? 0), 0)).toBe(totals[2]);
      expect(sink.notes.filter((n) => n.code !== 'end-before-start')).toEqual([]);
      const data = lines.map((l, i) => [l, i + 1] as const).filter(([l]) => /^\d{4}-\d\d-\d\d /.test(l));
      sink.flows.forEach((f, i) => expectLine(f, data[i][0], data[i][1]));
    });
  }

  it('test1-malicious.nfcapd.csv (nfdump v1 file): first and last record exact', async () => {
    const sink = new RecordingSink();
    await csvLoader.decode({ source: fileSource(corpus('nfcapd/stratosphere/test1-malicious.nfcapd.csv')), sink, fileName: 'x.csv', options: {} });
    const a = sink.flows[0];
    expect([a.pos, a.startUs, a.endUs, formatIp(a.src), a.srcPort, formatIp(a.dst), a.dstPort, a.proto, a.tcpFlags, a.packets, a.bytes, a.srcAs, a.dstAs, formatIp(a.exporter!), a.attrs])
      .toEqual([2, Date.UTC(2018, 0, 12, 15, 37, 30) * 1000, Date.UTC(2018, 0, 12, 15, 37, 30) * 1000, '147.32.80.119', 52324, '147.32.82.62', 902, 6, 2, 1, 60, 2852, 2852, '147.32.82.62',
        { eng: '0/58', exid: 1, tr: '1970-01-01 00:00:00.000' }]);
    const z = sink.flows[sink.flows.length - 1];
    expect([z.pos, formatIp(z.src), z.srcPort, formatIp(z.dst), z.dstPort, z.tcpFlags]).toEqual([4594, '147.32.82.62', 902, '147.32.80.119', 55238, 0x14]);
  });

  it('icmp-portscan.nfcapd.csv: ICMP type/code from nfdump\'s dp = type*256+code', async () => {
    const sink = new RecordingSink();
    await csvLoader.decode({ source: fileSource(corpus('derived/from-pcap/icmp-portscan.nfcapd.csv')), sink, fileName: 'x.csv', options: {} });
    const icmp = sink.flows.filter((f) => f.proto === 1);
    expect(icmp.length).toBeGreaterThan(0);
    for (const f of icmp) expect(f.icmpType! * 256 + f.icmpCode!).toBe(f.dstPort);
    expect(icmp.some((f) => f.icmpType === 8 && f.icmpCode === 0)).toBe(true);
  });
});
