import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zeekConnLoader } from '../../../../core/formats/zeek/zeek-conn-loader';
import { formatIp } from '../../../../core/model/ip';
import type { FlowInput } from '../../../../core/model/flow-batch';
import { CORPUS_SKIP_REASON, HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { fileSource } from '../../../helpers/file-source';
import { RecordingSink } from '../../../helpers/recording-sink';

async function decodeFile(path: string) {
  const sink = new RecordingSink();
  const failure = await zeekConnLoader.decode({ source: fileSource(path, 4096), sink, fileName: basename(path), options: {} });
  return { sink, failure };
}

/** The oracle: each record of the file read naively (string splitting, BigInt times), independent of the decoder. */
function oracleRecords(path: string): { line: number; rec: Record<string, unknown> }[] {
  const out: { line: number; rec: Record<string, unknown> }[] = [];
  let fields: string[] | null = null;
  readFileSync(path, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.replace(/^\s+#/, '#');
    if (line === '' || line.startsWith('###')) return;
    if (line.startsWith('{')) { out.push({ line: i + 1, rec: JSON.parse(line) }); return; }
    if (line.startsWith('#fields\t')) { fields = line.split('\t').slice(1); return; }
    if (line.startsWith('#')) return;
    const v = line.split('\t');
    if (!fields) { fields = v; return; }
    const rec: Record<string, unknown> = {};
    fields.forEach((f, k) => { if (v[k] !== '-') rec[f] = v[k]; });
    out.push({ line: i + 1, rec });
  });
  return out;
}

function micros(v: unknown): number {
  if (typeof v === 'number') return Math.round(v * 1e6);
  const s = String(v);
  if (/^X+\.X+$/.test(s)) return 0;
  const [w, f = ''] = s.split('.');
  return Number(BigInt(w) * 1000000n + BigInt((f + '000000').slice(0, 6)));
}

function num(v: unknown): number | undefined {
  return v === undefined ? undefined : Number(v);
}

function expectMatches(f: FlowInput, line: number, rec: Record<string, unknown>): void {
  const ctx = `line ${line}`;
  expect(f.pos, ctx).toBe(line);
  expect(f.startUs, ctx).toBe(micros(rec.ts));
  expect(f.endUs - f.startUs, ctx).toBe(rec.duration === undefined ? 0 : micros(rec.duration));
  expect(formatIp(f.src), ctx).toBe(rec['id.orig_h']);
  expect(formatIp(f.dst), ctx).toBe(rec['id.resp_h']);
  expect(f.srcPort, ctx).toBe(num(rec['id.orig_p']) ?? 0);
  expect(f.dstPort, ctx).toBe(num(rec['id.resp_p']) ?? 0);
  expect(f.packets, ctx).toBe(num(rec.orig_pkts) ?? 0);
  expect(f.bytes, ctx).toBe(num(rec.orig_ip_bytes) ?? 0);
  expect(f.revPackets, ctx).toBe(num(rec.resp_pkts));
  expect(f.revBytes, ctx).toBe(num(rec.resp_ip_bytes));
  expect(f.payloadBytes, ctx).toBe(num(rec.orig_bytes));
  expect(f.revPayloadBytes, ctx).toBe(num(rec.resp_bytes));
  expect(f.missedBytes, ctx).toBe(num(rec.missed_bytes));
  expect(f.state, ctx).toBe(rec.conn_state);
  expect(f.history, ctx).toBe(rec.history);
  expect(f.uid, ctx).toBe(rec.uid);
  const proto = { tcp: 6, udp: 17, icmp: String(rec['id.orig_h']).includes(':') ? 58 : 1 }[String(rec.proto)];
  if (rec.proto !== undefined) expect(f.proto, ctx).toBe(rec.ip_proto !== undefined ? Number(rec.ip_proto) : proto);
}

const ZEEK_LOGS = HAVE_CORPUS
  ? ['zeek-logs/stratosphere', 'zeek-logs/rita'].flatMap((d) => readdirSync(corpus(d)).map((n) => join(d, n)))
  : [];
const TRACE_LOGS = HAVE_CORPUS ? readdirSync(corpus('pcap/zeek')).filter((n) => n.includes('.conn.log')).map((n) => `pcap/zeek/${n}`) : [];

/** Counts and per-direction totals (orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes) measured with awk / python on the files. */
const TOTALS: Record<string, [number, number, number, number, number]> = {
  'test10-mixed.conn.log': [141, 985, 182788, 1085, 1030541],
  'ctu-sme-11-win.conn.log.labeled': [766, 2826, 361871, 1854, 131122],
  'open_conn.log': [59, 1016, 87351, 925, 2111186],
  'portscan-horizontal.conn.log': [41, 227, 23765, 343, 242410],
  'portscan-vertical.conn.json.log': [50, 170, 10029, 273, 270302],
  'dhcpscan.conn.log': [2, 28, 1610, 0, 0],
  'json_with_all_fields.conn.log': [29, 406, 52439, 351, 280278],
  'ftp-bigtransfer.conn.log': [3, 49, 2688, 34, 26925],
  'http-get.conn.log': [1, 7, 512, 7, 5379],
  'mixed-vlan-mpls.conn.log': [3, 30, 1581, 17, 13746],
  'pcapng-multi-interface.conn.log': [3, 3, 194, 3, 520],
  'pop3-rej.conn.log': [11, 58, 2800, 67, 23243],
  'pppoe-icmp.conn.log': [7, 20, 1782, 5, 500],
  'q-in-q.conn.log': [2, 4, 700, 0, 0],
  'ssh-client-side-half-duplex.conn.log': [25, 838, 98131, 0, 0],
  'ssh.conn.log': [25, 905, 108321, 892, 1157950],
  'tcp-flip-without-syn.conn.log': [1, 6, 448, 7, 5379],
  'tcp-miss_end_data.conn.log': [1, 5, 750, 4, 172],
  'tcp-missing-syn.conn.log': [1, 11, 670, 10, 9945],
  'tcp-retransmit-fast009.conn.log': [1, 17, 1250, 22, 28961],
  'tcp-retransmit-timeout.conn.log': [2, 2, 116, 1, 40],
  'wikipedia.conn.log': [34, 80, 13571, 46, 9325],
};

describe.skipIf(!HAVE_CORPUS)('zeek-conn loader on the real corpus', () => {
  if (!HAVE_CORPUS) it.skip(CORPUS_SKIP_REASON, () => {});

  it('covers every file of zeek-logs/ and every conn.log beside the Zeek traces', () => {
    expect(ZEEK_LOGS.length).toBe(7);
    expect(TRACE_LOGS.length).toBe(19); // 16 conn.log + 3 conn.log.cut
  });

  for (const rel of [...ZEEK_LOGS, ...TRACE_LOGS]) {
    const name = basename(rel);
    it(`decodeZeekConn() reads ${name} record for record like a naive reading of the file`, async () => {
      const path = corpus(rel);
      expect(zeekConnLoader.sniff(readFileSync(path).subarray(0, 65536), name)).toBeGreaterThan(0.8);
      const { sink, failure } = await decodeFile(path);
      if (name === 'tcp-syn-bad-checksum.conn.log') {
        // zeek-cut output of uid/pkts/history/state only: no addresses, nothing to import.
        expect(failure).toMatchObject({ code: 'missing-columns', offset: 2 });
        return;
      }
      expect(failure).toBeUndefined();
      expect(sink.rejects).toEqual([]);
      const oracle = oracleRecords(path);
      expect(sink.flows.length).toBe(oracle.length);
      sink.flows.forEach((f, i) => expectMatches(f, oracle[i].line, oracle[i].rec));
      const t = TOTALS[name];
      if (!t) return;
      const sum = (k: keyof FlowInput) => sink.flows.reduce((a, f) => a + ((f[k] as number | undefined) ?? 0), 0);
      expect([sink.flows.length, sum('packets'), sum('bytes'), sum('revPackets'), sum('revBytes')]).toEqual(t);
    });
  }

  it('test10-mixed.conn.log: stray TAB before #separator noted, first and last records exact', async () => {
    const { sink } = await decodeFile(corpus('zeek-logs/stratosphere/test10-mixed.conn.log'));
    expect(sink.notes.map((n) => [n.code, n.offset])).toEqual([['leading-whitespace', 1]]);
    const first = sink.flows[0];
    expect([first.pos, first.startUs, first.endUs, formatIp(first.src), first.srcPort, formatIp(first.dst), first.dstPort, first.proto, first.service, first.state, first.history])
      .toEqual([9, 1601998366785668, 1601998366793375, '2001:718:2:1663:dc58:6d9:ef13:51a5', 54170, '2001:718:2:1611:0:1:0:90', 53, 17, 'dns', 'SF', 'Dd']);
    const last = sink.flows[sink.flows.length - 1];
    expect([last.pos, last.uid, last.startUs, last.endUs, formatIp(last.src), last.srcPort, formatIp(last.dst), last.dstPort, last.packets, last.bytes, last.revPackets, last.revBytes, last.payloadBytes, last.revPayloadBytes])
      .toEqual([149, 'CnTEQZ2KnyKLBFTivs', 1601998420887654, 1601998420941654, '192.0.2.44', 54322, '185.247.224.89', 443, 8, 460, 6, 520, 980, 0]);
    expect(sink.facts).toMatchObject({ zeekOpen: '2020-10-06-17-32-56', zeekClose: '2020-10-06-17-33-29' });
  });

  it('ctu-sme-11-win.conn.log.labeled: label column to label, detailedlabel to attrs', async () => {
    const { sink } = await decodeFile(corpus('zeek-logs/stratosphere/ctu-sme-11-win.conn.log.labeled'));
    const first = sink.flows[0];
    expect([first.startUs, first.label, first.state, first.history, first.attrs]).toEqual([
      1677024003714845, 'Malicious', 'REJ', 'Sr',
      { local_orig: true, local_resp: false, detailedlabel: 'From_malicious-To_malicious-Malware_data_exfiltration-RemcosRAT' },
    ]);
    const labels: Record<string, number> = {};
    for (const f of sink.flows) labels[f.label ?? ''] = (labels[f.label ?? ''] ?? 0) + 1;
    const last = sink.flows[sink.flows.length - 1];
    expect([last.label, last.attrs?.detailedlabel, last.endUs - last.startUs]).toEqual(['Benign', 'From_benign-To_benign-Application_discord', 495305609]);
    expect(Object.values(labels).reduce((a, b) => a + b, 0)).toBe(766);
  });

  it('portscan-vertical.conn.json.log: JSON with l2 addresses in attrs, REJ/RSTO/SF states', async () => {
    const { sink } = await decodeFile(corpus('zeek-logs/stratosphere/portscan-vertical.conn.json.log'));
    expect(sink.flows[0].attrs).toMatchObject({ orig_l2_addr: 'c4:23:60:3d:fd:d3', local_orig: true, local_resp: false });
    expect(sink.flows[0].startUs).toBe(1700828217314165);
    const states: Record<string, number> = {};
    for (const f of sink.flows) states[f.state!] = (states[f.state!] ?? 0) + 1;
    expect(states.REJ).toBeGreaterThan(40);
  });

  it('btest baselines import with masked times counted; pppoe-icmp ICMPv6 types from the orig_p column', async () => {
    const { sink } = await decodeFile(corpus('pcap/zeek/pppoe-icmp.conn.log'));
    expect(sink.counts['masked-timestamps']).toBe(7);
    expect(sink.flows.filter((f) => f.proto === 58).map((f) => [f.icmpType, f.icmpCode])).toEqual([[128, 129], [134, 133], [136, 135], [143, 0], [133, 134]]);
  });

  it('relative timestamps are kept as given (portscan-horizontal starts at 928.943457 s)', async () => {
    const { sink } = await decodeFile(corpus('zeek-logs/stratosphere/portscan-horizontal.conn.log'));
    expect(sink.flows[0].startUs).toBe(928943457);
    expect(sink.facts.relativeTimestamps).toBe(true);
  });
});
