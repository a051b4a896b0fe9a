import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { argusLoader } from '../../../../core/formats/argus/argus-loader';
import { argusCsvLoader } from '../../../../core/formats/argus-csv/argus-csv-loader';
import { sniffFormat } from '../../../../core/formats/index';
import type { FlowInput } from '../../../../core/model/flow-batch';
import { formatIp } from '../../../../core/model/ip';
import { ARP_PROTO } from '../../../../core/model/protocols';
import { HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { fileSource } from '../../../helpers/file-source';
import { RecordingSink } from '../../../helpers/recording-sink';

const DERIVED = 'derived/from-pcap';
const CTU = 'binetflow/stratosphere';
const ARGUS = HAVE_CORPUS ? readdirSync(corpus(DERIVED)).filter((f) => f.endsWith('.argus')).sort() : [];

async function decodeCsv(rel: string, options: Record<string, unknown> = {}): Promise<RecordingSink> {
  const sink = new RecordingSink();
  const failure = await argusCsvLoader.decode({ source: fileSource(corpus(rel), 4096), sink, fileName: rel.split('/').pop() ?? rel, options });
  expect(failure).toBeUndefined();
  return sink;
}

async function decodeBinary(rel: string): Promise<RecordingSink> {
  const sink = new RecordingSink();
  await argusLoader.decode({ source: fileSource(corpus(rel)), sink, fileName: rel, options: { keepArp: true } });
  return sink;
}

/** The columns both loaders fill from ra's default fields. */
function core(f: FlowInput) {
  return {
    startUs: f.startUs, endUs: f.endUs, proto: f.proto, src: formatIp(f.src), dst: formatIp(f.dst), srcPort: f.srcPort, dstPort: f.dstPort,
    packets: f.packets, bytes: f.bytes, revPackets: f.revPackets, revBytes: f.revBytes, state: f.state,
    icmpType: f.icmpType, icmpCode: f.icmpCode, dir: f.attrs?.dir, flipped: f.attrs?.flipped,
  };
}

/** Independent reading of a ra CSV file: data rows split on the separator, by header label. */
function rawRows(rel: string): Record<string, string>[] {
  const text = readFileSync(corpus(rel), 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const sep = lines[0].includes('\t') ? '\t' : ',';
  const head = lines[0].split(sep);
  return lines.slice(1).map((l) => Object.fromEntries(l.split(sep).map((v, i) => [head[i], v.trim()])));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

describe.skipIf(!HAVE_CORPUS)('argusCsvLoader.decode() on ra output of the derived .argus files', () => {
  for (const name of ARGUS) {
    it(`decodeArgusCsv() reads ${name}.ra.csv into the same rows as the binary decoder reads ${name}`, async () => {
      const bin = await decodeBinary(`${DERIVED}/${name}`);
      const csv = await decodeCsv(`${DERIVED}/${name}.ra.csv`, { keepArp: true });
      expect(csv.rejects).toEqual([]);
      expect(csv.flows.map(core)).toEqual(bin.flows.map(core));
      // Positions are line numbers: the header is line 1, llc rows leave gaps.
      const pos = csv.flows.map((f) => f.pos);
      expect(pos[0]).toBeGreaterThanOrEqual(2);
      expect(pos.every((p, i) => i === 0 || p > pos[i - 1])).toBe(true);
      expect(csv.counts['llc-records'] ?? 0).toBe(bin.counts['llc-records'] ?? 0);
    });

    it(`decodeArgusCsv() reads ${name}.binetflow (CTU-13 layout) with the binary decoder's times, bytes, ToS and states`, async () => {
      const bin = await decodeBinary(`${DERIVED}/${name}`);
      const csv = await decodeCsv(`${DERIVED}/${name}.binetflow`, { keepArp: true });
      expect(csv.rejects).toEqual([]);
      const pick = (f: FlowInput) => ({
        startUs: f.startUs, endUs: f.endUs, src: formatIp(f.src), dst: formatIp(f.dst), srcPort: f.srcPort, dstPort: f.dstPort,
        bytes: f.bytes, revBytes: f.revBytes, totalPackets: f.packets + (f.revPackets ?? 0), tos: f.tos, dTos: f.attrs?.dTos, state: f.state,
      });
      expect(csv.flows.map(pick)).toEqual(bin.flows.map(pick));
    });

    it(`decodeArgusCsv() reads ${name}.racluster.csv: one row per merged flow, totals as racluster printed them`, async () => {
      const rel = `${DERIVED}/${name}.racluster.csv`;
      const csv = await decodeCsv(rel, { keepArp: true });
      const rows = rawRows(rel).filter((r) => r.Proto !== 'llc');
      expect(csv.rejects).toEqual([]);
      expect(csv.flows).toHaveLength(rows.length);
      expect(sum(csv.flows.map((f) => f.packets + (f.revPackets ?? 0)))).toBe(sum(rows.map((r) => Number(r.SrcPkts) + Number(r.DstPkts))));
      expect(sum(csv.flows.map((f) => f.bytes + (f.revBytes ?? 0)))).toBe(sum(rows.map((r) => Number(r.SrcBytes) + Number(r.DstBytes))));
      expect(csv.flows[0].startUs).toBe(Math.round(Number(rows[0].StartTime) * 1e6));
    });
  }
});

describe.skipIf(!HAVE_CORPUS)('argusCsvLoader.decode() on the Stratosphere / CTU binetflow samples', () => {
  const files = HAVE_CORPUS ? readdirSync(corpus(CTU)).filter((f) => f.endsWith('.binetflow')).sort() : [];

  it('sniffFormat() picks argus-csv for every binetflow and ra CSV sample, and argus for the binary files', () => {
    const head = (rel: string) => new Uint8Array(readFileSync(corpus(rel)).subarray(0, 65536));
    for (const f of files) expect(sniffFormat(head(`${CTU}/${f}`), f)[0]?.loader.id).toBe('argus-csv');
    for (const a of ARGUS) {
      expect(sniffFormat(head(`${DERIVED}/${a}`), a)[0]?.loader.id).toBe('argus');
      for (const suffix of ['.ra.csv', '.racluster.csv', '.binetflow']) {
        expect(sniffFormat(head(`${DERIVED}/${a}${suffix}`), a + suffix)[0]?.loader.id).toBe('argus-csv');
      }
    }
  });

  for (const file of files) {
    it(`decodeArgusCsv() keeps every IP and ARP row of ${file} with the file's totals; man and llc skipped by reason`, async () => {
      const rel = `${CTU}/${file}`;
      const sink = await decodeCsv(rel);
      const rows = rawRows(rel);
      const ip = rows.filter((r) => !['man', 'llc'].includes(r.Proto));
      expect(sink.rejects).toEqual([]);
      expect(sink.flows).toHaveLength(ip.length);
      expect(sum(sink.flows.map((f) => f.packets + (f.revPackets ?? 0)))).toBe(sum(ip.map((r) => Number(r.TotPkts))));
      expect(sum(sink.flows.map((f) => f.bytes + (f.revBytes ?? 0)))).toBe(sum(ip.map((r) => Number(r.TotBytes))));
      expect(sink.flows.map((f) => f.label ?? '')).toEqual(ip.map((r) => r.Label ?? ''));
      for (const what of ['man', 'llc']) expect(sink.skipped[what] ?? 0).toBe(rows.filter((r) => r.Proto === what).length);
      expect(sink.flows.filter((f) => f.proto === ARP_PROTO)).toHaveLength(rows.filter((r) => r.Proto === 'arp').length);
    });
  }

  it('decodeArgusCsv() reads test11-portscan: first S0 probe and last ICMP echo, times to the microsecond', async () => {
    const sink = await decodeCsv(`${CTU}/test11-portscan.binetflow`);
    const first = sink.flows[0];
    const last = sink.flows[sink.flows.length - 1];
    expect([first.pos, formatIp(first.src), first.srcPort, formatIp(first.dst), first.dstPort, first.proto, first.state]).toEqual([2, '10.8.0.69', 56101, '14.1.11.113', 999, 6, 'S0']);
    expect([first.startUs, first.endUs - first.startUs]).toEqual([Date.UTC(2019, 3, 4, 16, 24, 47) * 1000 + 672448, 63_822_830]);
    expect([first.packets, first.bytes, first.revPackets, first.revBytes, first.tos, first.attrs?.dTos]).toEqual([15, 1887, 16, 6877, 0, 0]);
    expect([last.pos, formatIp(last.dst), last.proto, last.icmpType, last.icmpCode, last.dstPort, last.attrs?.icmpId, last.state]).toEqual([67, '110.128.128.148', 1, 8, 0, 0x0800, 0x7208, 'ECO']);
    expect([last.startUs, last.endUs - last.startUs, last.packets, last.bytes, last.revPackets, last.revBytes]).toEqual([Date.UTC(2019, 3, 4, 16, 30, 30) * 1000 + 234728, 1_262_451, 2, 144, 0, 0]);
  });

  it('decodeArgusCsv() reads test3-mixed: flag states as TCP flags per direction, IPv6, and notes the mangled direction on line 58', async () => {
    const sink = await decodeCsv(`${CTU}/test3-mixed.binetflow`);
    const first = sink.flows[0];
    expect([first.state, first.tcpFlags, first.revTcpFlags, first.packets, first.revPackets, first.bytes, first.revBytes]).toEqual(['S_', 0x02, 0, 1, 0, 70, 0]);
    const v6 = sink.flows.find((f) => f.pos === 4);
    expect([formatIp(v6!.src), formatIp(v6!.dst), v6!.state, v6!.tcpFlags, v6!.revTcpFlags, v6!.tos, v6!.attrs?.dTos]).toEqual(['2001:718:2:1634:96de:80ff:fe7a:bdf0', '2a00:1450:400c:c00::bd', 'SPA_SPA', 0x1a, 0x1a, 114, 63]);
    expect(sink.notes).toEqual([expect.objectContaining({ code: 'unknown-direction', offset: 58 })]);
    const last = sink.flows[sink.flows.length - 1];
    expect([last.pos, formatIp(last.src), last.dstPort, last.state, last.packets, last.bytes, last.revPackets, last.revBytes]).toEqual([90, '192.168.4.2', 443, 'SRPA_SRPA', 1, 661, 1, 639]);
    expect(last.startUs).toBe(Date.UTC(2018, 11, 18, 15, 10, 0) * 1000 + 1);
  });

  it('decodeArgusCsv() reads test4-malicious without SrcPkts: packets hold TotPkts where the split is unknown', async () => {
    const sink = await decodeCsv(`${CTU}/test4-malicious.binetflow`);
    const first = sink.flows[0];
    expect([first.attrs?.dir, first.state, first.packets, first.revPackets, first.bytes, first.revBytes, first.tos, first.attrs?.pkts]).toEqual(['<?>', 'CON', 35, undefined, 1224, 2542, 16, 'total']);
    const last = sink.flows[sink.flows.length - 1];
    expect([last.pos, formatIp(last.dst), last.dstPort, last.state, last.packets, last.revPackets, last.bytes, last.revBytes]).toEqual([395, '5.253.216.194', 23, 'REQ', 1, 0, 60, 0]);
    // ARP rows are stored (#11): protocol ARP, sender and target addresses, who-has or reply.
    const arp = sink.flows.filter((f) => f.proto === ARP_PROTO);
    expect(arp.map((f) => [formatIp(f.src), formatIp(f.dst), f.state, f.attrs?.argusState])).toEqual([
      ['192.168.2.12', '192.168.2.1', 'reply', 'CON'], ['192.168.2.12', '192.168.2.1', 'reply', 'CON'],
    ]);
    expect(sink.skipped.arp).toBeUndefined();
    expect(String(sink.facts.packets)).toMatch(/TotPkts/);
  });

  it('decodeArgusCsv() reads the tab-separated test5 with man/llc records, labels and 1970 stamps taken as UTC', async () => {
    const sink = await decodeCsv(`${CTU}/test5-mixed-tab-separated.binetflow`);
    expect(sink.facts.separator).toBe('tab');
    expect(sink.skipped).toEqual({ man: 1, llc: 1 });
    expect(sink.flows.filter((f) => f.proto === ARP_PROTO).map((f) => [formatIp(f.src), formatIp(f.dst), f.state])).toEqual([
      ['10.0.2.15', '10.0.2.2', 'reply'], ['0.0.0.0', '10.0.2.15', 'who-has'],
    ]);
    const first = sink.flows[0];
    expect([first.pos, first.startUs, formatIp(first.src), first.srcPort, formatIp(first.dst), first.dstPort, first.label]).toEqual([4, 3_600_000_000 + 8_140_073, '0.0.0.0', 68, '255.255.255.255', 67, 'flow=Background-UDP-Attempt']);
    const last = sink.flows[sink.flows.length - 1];
    expect([last.pos, last.state, last.tcpFlags, last.revTcpFlags, last.packets, last.bytes, last.revPackets, last.revBytes, last.label]).toEqual([301, 'FSPA_FSPA', 0x1b, 0x1b, 5, 550, 5, 473, 'flow=Malware-TCP']);
    const nns = sink.flows.find((f) => f.state === 'NNS');
    expect([nns!.proto, nns!.icmpType, nns!.icmpCode, formatIp(nns!.src)]).toEqual([58, 135, 0, '::']);
  });
});
