import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { decompress } from '../../../../core/formats/common/decompress';
import { ByteSource } from '../../../../core/formats/common/byte-source';
import { vpcFlowLoader, sniffVpcFlow } from '../../../../core/formats/vpc-flow/vpc-flow-loader';
import { formatIp } from '../../../../core/model/ip';
import { CORPUS_SKIP_REASON, HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { fileSource } from '../../../helpers/file-source';
import { RecordingSink } from '../../../helpers/recording-sink';

const enc = new TextEncoder();

async function run(text: string, source = byteSourceOf(enc.encode(text))) {
  const sink = new RecordingSink();
  const failure = await vpcFlowLoader.decode({ source, sink, fileName: 'flow.log', options: {} });
  return { sink, failure };
}

const V5_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id tcp-flags type pkt-srcaddr pkt-dstaddr flow-direction traffic-path';

describe('decodeVpcFlow()', () => {
  it('reads a custom v5 format by its header: action to label, the rest into attrs, tcp-flags also into tcpFlags', async () => {
    const { sink, failure } = await run(`${V5_HEADER}
5 123456789012 eni-1 10.0.0.5 52.1.2.3 49152 443 6 10 840 1700000000 1700000060 ACCEPT OK vpc-9 subnet-3 19 IPv4 10.0.0.5 52.1.2.3 egress 8
5 123456789012 eni-1 198.51.100.7 10.0.0.5 4444 22 6 1 40 1700000001 1700000061 REJECT OK vpc-9 subnet-3 2 IPv4 198.51.100.7 10.0.0.5 ingress -`);
    expect(failure).toBeUndefined();
    expect(sink.flows).toHaveLength(2);
    const [a, b] = sink.flows;
    expect([a.pos, a.startUs, a.endUs, a.proto, formatIp(a.src), a.srcPort, formatIp(a.dst), a.dstPort, a.packets, a.bytes, a.label, a.tcpFlags])
      .toEqual([2, 1700000000_000000, 1700000060_000000, 6, '10.0.0.5', 49152, '52.1.2.3', 443, 10, 840, 'ACCEPT', 19]);
    expect(a.attrs).toEqual({
      version: 5, 'account-id': '123456789012', 'interface-id': 'eni-1', 'log-status': 'OK', 'vpc-id': 'vpc-9', 'subnet-id': 'subnet-3',
      'tcp-flags': 19, type: 'IPv4', 'pkt-srcaddr': '10.0.0.5', 'pkt-dstaddr': '52.1.2.3', 'flow-direction': 'egress', 'traffic-path': '8',
    });
    expect(b.label).toBe('REJECT');
    expect(b.attrs?.['traffic-path']).toBeUndefined();
    expect(b.revPackets).toBeUndefined();
  });

  it('reads records without a header in the default v2 order and says so', async () => {
    const { sink } = await run('2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n');
    expect(sink.flows.map((f) => [formatIp(f.src), f.dstPort, f.bytes, f.startUs, f.label])).toEqual([['172.31.16.139', 22, 4249, 1418530010_000000, 'ACCEPT']]);
    expect(sink.notes.map((n) => n.code)).toEqual(['no-header']);
    expect(sink.facts.vpcHeader).toBe(false);
  });

  it('reads CloudWatch Logs exports, which put the event time before each v2 record', async () => {
    const line = '2021-03-04T10:00:05.000Z 2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 REJECT OK';
    expect(sniffVpcFlow(enc.encode(`${line}\n`), 'x.log')).toBeGreaterThan(0.5);
    const { sink } = await run(`${line}\n${line}\n`);
    expect(sink.flows.map((f) => [f.startUs, f.label, f.bytes])).toEqual([[1418530010_000000, 'REJECT', 4249], [1418530010_000000, 'REJECT', 4249]]);
    expect(sink.facts.cloudWatchTimestamps).toBe(true);
  });

  it('counts NODATA and SKIPDATA rows without storing them', async () => {
    const { sink } = await run(`version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
2 1 eni-1 - - - - - - - 1431280876 1431280934 - NODATA
2 1 eni-1 - - - - - - - 1431280876 1431280934 - SKIPDATA
2 1 eni-1 - - - - - - - 1431280876 1431280934 - SKIPDATA
`);
    expect(sink.flows).toEqual([]);
    expect(sink.rejects).toEqual([]);
    expect(sink.counts).toEqual({ 'nodata-rows': 1, 'skipdata-rows': 2 });
  });

  it('rejects a short row, a bad address and a bad number by line number and imports the rest', async () => {
    const { sink } = await run(`version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1431280876
2 1 eni-1 10.0.0.x 10.0.0.2 1 2 6 1 40 1431280876 1431280934 ACCEPT OK
2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 one 40 1431280876 1431280934 ACCEPT OK
2 1 eni-1 10.0.0.1 10.0.0.2 1 2 17 1 40 1431280876 1431280934 ACCEPT OK`);
    expect(sink.rejects.map((r) => [r.code, r.offset])).toEqual([['bad-column-count', 2], ['bad-address', 3], ['bad-number', 4]]);
    expect(sink.flows.map((f) => [f.pos, f.proto])).toEqual([[5, 17]]);
  });

  it('accepts underscore field names (Athena exports) and fails clearly without address fields', async () => {
    const ok = await run('version account_id interface_id srcaddr dstaddr srcport dstport protocol packets bytes start end action log_status\n2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK\n');
    expect(ok.sink.flows).toHaveLength(1);
    const bad = await run('version account-id interface-id action log-status start end\n2 1 eni-1 ACCEPT OK 1 2\n');
    expect(bad.failure).toMatchObject({ code: 'missing-columns', offset: 1 });
  });

  it('reads a gzip file as S3 delivers it through decompress()', async () => {
    const gz = gzipSync(enc.encode(`${V5_HEADER}\n5 1 eni-1 10.0.0.5 52.1.2.3 1 443 6 10 840 1700000000 1700000060 ACCEPT OK vpc-9 subnet-3 19 IPv4 10.0.0.5 52.1.2.3 egress 8\n`));
    const { sink } = await run('', new ByteSource(decompress('gzip', (async function* () { yield gz; })())));
    expect(sink.flows).toHaveLength(1);
  });

  it('sniffVpcFlow() knows a VPC header and a v2 record, and refuses other text', () => {
    expect(sniffVpcFlow(enc.encode(`${V5_HEADER}\n`), 'x.log')).toBeGreaterThan(0.9);
    expect(sniffVpcFlow(enc.encode('2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n'), 'x')).toBeGreaterThan(0.5);
    expect(sniffVpcFlow(enc.encode('#separator \\x09\n'), 'conn.log')).toBe(0);
  });
});

describe.skipIf(!HAVE_CORPUS)('vpc-flow loader on the real corpus', () => {
  if (!HAVE_CORPUS) it.skip(CORPUS_SKIP_REASON, () => {});

  /** name -> [flows, nodata, skipdata, packets, bytes, min start s, max end s], measured with awk. */
  const EXPECTED: Record<string, number[]> = {
    'aws-flow-logs-10.3.11.57-142.250.185.91.log': [31, 0, 0, 2343, 411973, 1754322376, 1754323309],
    'aws-test_flow_logs.log': [4, 1, 1, 77, 51887, 1754321693, 1754321724],
  };

  it('covers every file in aws-vpc-flow/', () => {
    expect(readdirSync(corpus('aws-vpc-flow')).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, [n, nodata, skip, packets, bytes, first, last]] of Object.entries(EXPECTED)) {
    it(`decodeVpcFlow() reads ${name}: counts, totals, time range`, async () => {
      const path = corpus(`aws-vpc-flow/${name}`);
      expect(sniffVpcFlow(readFileSync(path), name)).toBeGreaterThan(0.9);
      const { sink, failure } = await run('', fileSource(path, 512));
      expect(failure).toBeUndefined();
      expect(sink.rejects).toEqual([]);
      expect(sink.flows).toHaveLength(n);
      expect([sink.counts['nodata-rows'] ?? 0, sink.counts['skipdata-rows'] ?? 0]).toEqual([nodata, skip]);
      expect(sink.flows.reduce((a, f) => a + f.packets, 0)).toBe(packets);
      expect(sink.flows.reduce((a, f) => a + f.bytes, 0)).toBe(bytes);
      expect(Math.min(...sink.flows.map((f) => f.startUs))).toBe(first * 1e6);
      expect(Math.max(...sink.flows.map((f) => f.endUs))).toBe(last * 1e6);
    });
  }

  it('aws-test_flow_logs.log (no trailing newline): first and last records field by field', async () => {
    const { sink } = await run('', fileSource(corpus('aws-vpc-flow/aws-test_flow_logs.log')));
    const first = sink.flows[0];
    expect([first.pos, formatIp(first.src), formatIp(first.dst), first.srcPort, first.dstPort, first.proto, first.packets, first.bytes, first.startUs, first.endUs, first.label])
      .toEqual([2, '10.3.6.187', '10.63.37.34', 43944, 443, 6, 4, 208, 1754321693_000000, 1754321724_000000, 'ACCEPT']);
    expect(first.attrs).toEqual({ version: 5, 'account-id': '123456789012', 'interface-id': 'eni-0d6bdc1a4942cb767', 'log-status': 'OK', 'pkt-srcaddr': '10.3.6.187', 'pkt-dstaddr': '3.75.6.195', 'pkt-dst-aws-service': 'EC2' });
    const last = sink.flows[sink.flows.length - 1];
    expect([last.pos, formatIp(last.src), last.srcPort, formatIp(last.dst), last.dstPort, last.packets, last.bytes, last.attrs?.['pkt-srcaddr']])
      .toEqual([7, '85.214.204.244', 443, '10.63.37.34', 58253, 11, 4065, '85.214.204.244']);
  });

  it('the NAT session file keeps pkt-srcaddr beside srcaddr (10.63.37.34 vs 142.250.185.91)', async () => {
    const { sink } = await run('', fileSource(corpus('aws-vpc-flow/aws-flow-logs-10.3.11.57-142.250.185.91.log')));
    const f = sink.flows[0];
    expect([formatIp(f.src), f.attrs?.['pkt-srcaddr'], f.startUs, f.packets, f.bytes]).toEqual(['10.63.37.34', '142.250.185.91', 1754322586_000000, 6, 737]);
  });
});
