import { describe, expect, it } from 'vitest';
import { ByteSource } from '../../../../core/formats/common/byte-source';
import { sniffFormat } from '../../../../core/formats/index';
import { zeekNamesDecoder, type ZeekNameLog } from '../../../../core/formats/zeek/decode-zeek-names';
import { formatIpBigInt } from '../../../../core/model/ip';
import { NameRecordingSink } from '../../../helpers/recording-sink';

function tsv(path: string, fields: string[], types: string[], rows: string[][]): string {
  return ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', `#path\t${path}`, '#open\t2024-03-12-09-00-00',
    `#fields\t${fields.join('\t')}`, `#types\t${types.join('\t')}`, ...rows.map((r) => r.join('\t')), '#close\t2024-03-12-10-00-00', ''].join('\n');
}

async function decode(kind: ZeekNameLog, text: string): Promise<NameRecordingSink> {
  const sink = new NameRecordingSink();
  const bytes = new TextEncoder().encode(text);
  const failure = await zeekNamesDecoder(kind)({ source: new ByteSource((async function* () { yield bytes; })()), sink, fileName: `${kind}.log`, options: {} });
  expect(failure).toBeUndefined();
  return sink;
}
const rows = (s: NameRecordingSink) => s.names.map((n) => [n.tsUs, formatIpBigInt(n.client!), formatIpBigInt(n.addr), n.name, n.source, n.uri ?? null, n.pos]);

const DNS = tsv('dns', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'query', 'rcode', 'answers'],
  ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'count', 'vector[string]'], [
    ['1710234000.000001', 'C1', '10.0.0.5', '40000', '10.0.0.53', '53', 'udp', 'CDN-update.example.net', '0', 'edge.cdn.example,81.2.69.142,2001:218::1'],
    ['1710234001.5', 'C2', '10.0.0.5', '40001', '10.0.0.53', '53', 'udp', 'nx.example', '3', '-'],
    ['1710234002', 'C3', '10.0.0.300', '40002', '10.0.0.53', '53', 'udp', 'x.example', '0', '192.0.2.1'],
  ]);

describe('Zeek name logs', () => {
  it('dns.log: each address answer named by the query; errors name nothing; a bad address is rejected with its line', async () => {
    const s = await decode('dns', DNS);
    expect(rows(s)).toEqual([
      [1710234000000001, '10.0.0.5', '81.2.69.142', 'cdn-update.example.net', 'dns', null, 9],
      [1710234000000001, '10.0.0.5', '2001:218::1', 'cdn-update.example.net', 'dns', null, 9],
    ]);
    expect(s.rejects).toEqual([expect.objectContaining({ code: 'bad-address', offset: 11 })]);
  });

  it('ssl.log server_name and http.log Host + URI, TSV and JSON lines', async () => {
    const ssl = await decode('ssl', tsv('ssl', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'server_name'],
      ['time', 'string', 'addr', 'port', 'addr', 'port', 'string'], [['1710234020.25', 'C4', '10.0.0.5', '43000', '216.160.83.56', '443', 'api.example.com'], ['1710234021', 'C5', '10.0.0.5', '43001', '216.160.83.57', '443', '-']]));
    expect(rows(ssl)).toEqual([[1710234020250000, '10.0.0.5', '216.160.83.56', 'api.example.com', 'sni', null, 9]]);
    const http = await decode('http', [
      JSON.stringify({ _path: 'http', ts: 1710234010.5, uid: 'C6', 'id.orig_h': '10.0.0.5', 'id.orig_p': 42000, 'id.resp_h': '81.2.69.142', 'id.resp_p': 80, host: 'cdn-update.example.net:80', uri: '/dl/agent.bin' }),
      JSON.stringify({ ts: '2024-03-12T09:00:11Z', id: { orig_h: '10.0.0.6', resp_h: '81.2.69.142' }, host: 'cdn-update.example.net', uri: '/' }),
    ].join('\n'));
    expect(rows(http)).toEqual([
      [1710234010500000, '10.0.0.5', '81.2.69.142', 'cdn-update.example.net', 'http', '/dl/agent.bin', 1],
      [1710234011000000, '10.0.0.6', '81.2.69.142', 'cdn-update.example.net', 'http', '/', 2],
    ]);
  });

  it('each log is recognised by its #path, and conn.log stays conn.log', () => {
    const head = (t: string) => new TextEncoder().encode(t);
    expect(sniffFormat(head(DNS), 'dns.log')[0].loader.id).toBe('zeek-dns');
    expect(sniffFormat(head(DNS.replace('#path\tdns', '#path\tssl')), 'x.log')[0].loader.id).toBe('zeek-ssl');
    expect(sniffFormat(head(DNS.replace('#path\tdns', '#path\tconn')), 'x.log')[0].loader.id).toBe('zeek-conn');
  });
});
