import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { zeekConnLoader, sniffZeekConn } from '../../../../core/formats/zeek/zeek-conn-loader';
import { formatIp } from '../../../../core/model/ip';
import { RecordingSink } from '../../../helpers/recording-sink';

const enc = new TextEncoder();

async function run(text: string, chunks = 1) {
  const bytes = enc.encode(text);
  const parts: Uint8Array[] = [];
  const step = Math.ceil(bytes.length / chunks);
  for (let i = 0; i < bytes.length; i += step) parts.push(bytes.subarray(i, i + step));
  const sink = new RecordingSink();
  const failure = await zeekConnLoader.decode({ source: byteSourceOf(...parts), sink, fileName: 'conn.log', options: {} });
  return { sink, failure };
}

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2024-01-02-03-04-05',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
].join('\n');

describe('decodeZeekConn() TSV', () => {
  it('maps every conn field: IP bytes to bytes, payload to payloadBytes, duration to endUs, exact microseconds', async () => {
    const { sink, failure } = await run(`${HEADER}
1601998366.785668\tCNgrt04tHika5Pgpfi\t10.0.0.1\t54170\t2001:db8::90\t53\tudp\tdns\t0.007707\t37\t77\tSF\tT\tF\t0\tDd\t1\t85\t1\t125\tCa,Cb
#close\t2024-01-02-03-05-00
`);
    expect(failure).toBeUndefined();
    expect(sink.rejects).toEqual([]);
    expect(sink.flows).toHaveLength(1);
    const f = sink.flows[0];
    expect(f.pos).toBe(9);
    expect(f.startUs).toBe(1601998366785668);
    expect(f.endUs).toBe(1601998366785668 + 7707);
    expect(f.proto).toBe(17);
    expect(formatIp(f.src)).toBe('10.0.0.1');
    expect(formatIp(f.dst)).toBe('2001:db8::90');
    expect([f.srcPort, f.dstPort, f.packets, f.bytes, f.revPackets, f.revBytes]).toEqual([54170, 53, 1, 85, 1, 125]);
    expect([f.payloadBytes, f.revPayloadBytes, f.missedBytes]).toEqual([37, 77, 0]);
    expect([f.state, f.history, f.service, f.uid]).toEqual(['SF', 'Dd', 'dns', 'CNgrt04tHika5Pgpfi']);
    expect(f.attrs).toEqual({ local_orig: true, local_resp: false, tunnel_parents: ['Ca', 'Cb'] });
    expect(sink.facts).toMatchObject({ zeekPath: 'conn', zeekOpen: '2024-01-02-03-04-05', zeekClose: '2024-01-02-03-05-00', zeekFormat: 'tsv' });
  });

  it('treats - as unset, (empty) as an empty set, and unescapes \\x09 inside a value', async () => {
    const { sink } = await run(`${HEADER}
1.5\tCx\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\tweird\\x09svc\t-\t-\t-\tS0\t-\t-\t0\tS\t1\t52\t0\t0\t(empty)
`);
    const f = sink.flows[0];
    expect(f.service).toBe('weird\tsvc');
    expect(f.endUs).toBe(f.startUs);
    expect(f.payloadBytes).toBeUndefined();
    expect(f.revPayloadBytes).toBeUndefined();
    expect(f.attrs).toBeUndefined();
  });

  it('puts the ICMP type and code Zeek writes as ports into icmpType/icmpCode, and picks 58 for icmp over IPv6', async () => {
    const { sink } = await run(`${HEADER}
10.0\tC1\t10.0.0.1\t8\t10.0.0.2\t0\ticmp\t-\t1.0\t64\t64\tOTH\t-\t-\t0\t-\t1\t84\t1\t84\t-
10.0\tC2\tfe80::1\t135\tff02::1\t0\ticmp\t-\t-\t-\t-\tOTH\t-\t-\t0\t-\t1\t64\t0\t0\t-
`);
    expect(sink.flows.map((f) => [f.proto, f.icmpType, f.icmpCode, f.srcPort, f.dstPort])).toEqual([
      [1, 8, 0, 8, 0],
      [58, 135, 0, 135, 0],
    ]);
  });

  it('follows a second header block with another field order and counts both blocks', async () => {
    const { sink } = await run(`${HEADER}
1.0\tC1\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\t-\t-\t0\tS\t1\t52\t0\t0\t-
#fields\tid.resp_h\tid.orig_h\tts\tproto\tid.orig_p\tid.resp_p\torig_pkts\torig_ip_bytes\tlabel\tdetailedlabel
#types\taddr\taddr\ttime\tenum\tport\tport\tcount\tcount\tstring\tstring
10.9.9.9\t10.1.1.1\t2.000001\ttcp\t5\t6\t3\t150\tMalicious\tFrom_malicious-RAT
`);
    expect(sink.flows).toHaveLength(2);
    const g = sink.flows[1];
    expect([formatIp(g.src), formatIp(g.dst), g.startUs, g.srcPort, g.dstPort, g.packets, g.bytes]).toEqual(['10.1.1.1', '10.9.9.9', 2000001, 5, 6, 3, 150]);
    expect(g.label).toBe('Malicious');
    expect(g.attrs).toEqual({ detailedlabel: 'From_malicious-RAT' });
    expect(sink.facts.headerBlocks).toBe(2);
  });

  it('rejects a wrong column count, a bad address and a bad number with their line numbers and imports the rest', async () => {
    const { sink } = await run(`${HEADER}
1.0\tC1\t10.0.0.1\t1\t10.0.0.2\t2\ttcp
1.0\tC2\t10.0.0.999\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\t-\t-\t0\tS\t1\t52\t0\t0\t-
1.0\tC3\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\t-\t-\t0\tS\tmany\t52\t0\t0\t-
1.0\tC4\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\t-\t-\t0\tS\t1\t52\t0\t0\t-
`);
    expect(sink.rejects.map((r) => [r.code, r.offset])).toEqual([['bad-column-count', 9], ['bad-address', 10], ['bad-number', 11]]);
    expect(sink.rejects[1].message).toContain('10.0.0.999');
    expect(sink.flows.map((f) => f.uid)).toEqual(['C4']);
  });

  it('reads a header whose first line starts with a stray TAB and notes it', async () => {
    const { sink } = await run(`\t${HEADER}\n1.0\tC1\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\t-\t-\t0\tS\t1\t52\t0\t0\t-\n`);
    expect(sink.flows).toHaveLength(1);
    expect(sink.notes.map((n) => [n.code, n.offset])).toContainEqual(['leading-whitespace', 1]);
  });

  it('imports btest baselines with masked timestamps at the epoch and counts them', async () => {
    const { sink } = await run(`### BTest baseline data generated by btest-diff.\n${HEADER}\nXXXXXXXXXX.XXXXXX\tC1\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t0.5\t-\t-\tS0\t-\t-\t0\tS\t1\t52\t0\t0\t-\n`);
    expect(sink.flows.map((f) => [f.startUs, f.endUs])).toEqual([[0, 500000]]);
    expect(sink.counts['masked-timestamps']).toBe(1);
    expect(sink.facts).toMatchObject({ btestBaseline: true, timestampsMasked: true });
    expect(sink.notes.some((n) => n.code === 'masked-timestamps')).toBe(true);
  });

  it('keeps relative timestamps as given and records the fact', async () => {
    const { sink } = await run(`${HEADER}\n928.943457\tC1\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\t-\t-\t0\tS\t1\t52\t0\t0\t-\n`);
    expect(sink.flows[0].startUs).toBe(928943457);
    expect(sink.facts.relativeTimestamps).toBe(true);
  });

  it('reads zeek-cut output (bare field-name line) and fails clearly when the address columns are missing', async () => {
    const ok = await run('ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\thistory\n5.0\tC1\t10.0.0.1\t1\t10.0.0.2\t2\tD\n');
    expect(ok.sink.flows).toHaveLength(1);
    expect(ok.sink.facts.zeekCut).toBe(true);
    const bad = await run('uid\torig_pkts\tresp_pkts\thistory\tconn_state\nC1\t0\t0\tC\tOTH\n');
    expect(bad.failure).toMatchObject({ code: 'missing-columns', offset: 1 });
    expect(bad.failure?.message).toContain('id.orig_h');
  });

  it('refuses other Zeek logs (dns.log, a JSON http line) by their path', async () => {
    const dns = await run(HEADER.replace('#path\tconn', '#path\tdns'));
    expect(dns.failure).toMatchObject({ code: 'not-conn-log', offset: 5 });
    const http = await run('{"_path":"http","ts":1,"uid":"C","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2"}\n');
    expect(http.failure?.message).toContain('http log');
    expect((await run(HEADER.replace('#path\tconn', '#path\tconn_long'))).failure).toBeUndefined();
  });

  it('gives the same flows whatever the chunking of the stream', async () => {
    const text = `${HEADER}\n${Array.from({ length: 50 }, (_, i) => `${i}.25\tC${i}\t10.0.0.${i}\t${i}\t10.0.1.1\t80\ttcp\t-\t-\t-\t-\tS0\t-\t-\t0\tS\t1\t52\t0\t0\t-`).join('\n')}`;
    const one = await run(text, 1);
    const many = await run(text, 37);
    expect(many.sink.flows).toEqual(one.sink.flows);
    expect(one.sink.flows).toHaveLength(50);
  });
});

describe('decodeZeekConn() cancel', () => {
  it('returns within a few thousand lines once the sink is aborted, bad lines included', async () => {
    const bad = Array.from({ length: 10000 }, (_, i) => (i % 2 ? '{not json' : '{"ts":1,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2"}')).join('\n');
    const sink = new RecordingSink();
    sink.aborted = true;
    await zeekConnLoader.decode({ source: byteSourceOf(enc.encode(bad)), sink, fileName: 'conn.log', options: {} });
    expect(sink.flows.length + sink.rejects.length).toBeLessThan(5000);
  });
});

describe('decodeZeekConn() JSON lines', () => {
  it('reads ts as a number or an ISO string, flat or nested id keys, and keeps other fields in attrs', async () => {
    const { sink, failure } = await run([
      '{"_path":"conn","ts":1517422326.539915,"uid":"Cx","id.orig_h":"10.55.100.100","id.orig_p":61843,"id.resp_h":"205.204.101.182","id.resp_p":80,"proto":"tcp","service":"http","duration":108.985496,"orig_bytes":719,"resp_bytes":336,"conn_state":"SF","local_orig":true,"missed_bytes":20,"history":"ShADadfF","orig_pkts":10,"orig_ip_bytes":1131,"resp_pkts":6,"resp_ip_bytes":656,"orig_l2_addr":"c4:23:60:3d:fd:d3"}',
      '{"ts":"2018-01-31T18:12:06.539915Z","uid":"Cy","id":{"orig_h":"10.0.0.1","orig_p":1,"resp_h":"10.0.0.2","resp_p":2},"proto":"udp","orig_pkts":1,"orig_ip_bytes":40}',
      '{"ts":1.0, broken',
      '',
    ].join('\n'));
    expect(failure).toBeUndefined();
    expect(sink.flows).toHaveLength(2);
    const [a, b] = sink.flows;
    expect([a.startUs, a.endUs - a.startUs, a.packets, a.bytes, a.revPackets, a.revBytes, a.payloadBytes, a.missedBytes]).toEqual([1517422326539915, 108985496, 10, 1131, 6, 656, 719, 20]);
    expect(a.attrs).toEqual({ local_orig: true, orig_l2_addr: 'c4:23:60:3d:fd:d3' });
    expect([b.startUs, formatIp(b.src), b.srcPort, b.dstPort, b.proto]).toEqual([Date.UTC(2018, 0, 31, 18, 12, 6) * 1000 + 539915, '10.0.0.1', 1, 2, 17]);
    expect(b.revPackets).toBeUndefined();
    expect(sink.rejects.map((r) => [r.code, r.offset])).toEqual([['bad-json', 3]]);
    expect(sink.facts).toMatchObject({ zeekPath: 'conn', zeekFormat: 'json' });
  });
});

describe('sniffZeekConn()', () => {
  it('is sure of a conn header, a conn JSON line and zeek-cut output, and refuses other text', () => {
    expect(sniffZeekConn(enc.encode(`${HEADER}\n`), 'x.log')).toBeGreaterThan(0.9);
    expect(sniffZeekConn(enc.encode('### BTest baseline\n#separator \\x09\n#path\tconn\n'), 'x')).toBeGreaterThan(0.9);
    expect(sniffZeekConn(enc.encode('{"ts":1,"uid":"C","id.orig_h":"1.2.3.4"}\n'), 'x.json')).toBeGreaterThan(0.8);
    expect(sniffZeekConn(enc.encode('ts\tuid\tid.orig_h\tid.orig_p\n'), 'x')).toBeGreaterThan(0.8);
    expect(sniffZeekConn(enc.encode('#separator \\x09\n#path\tdns\n'), 'dns.log')).toBeLessThan(0.5);
    expect(sniffZeekConn(enc.encode('ts,te,td,sa,da\n'), 'x.csv')).toBe(0);
    expect(sniffZeekConn(enc.encode('{"a":1}\n'), 'x.json')).toBe(0);
  });
});
