import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ByteSource } from '../../../../core/formats/common/byte-source';
import { meterCapture } from '../../../../core/formats/flow-meter/meter-capture';
import { formatIpBigInt } from '../../../../core/model/ip';
import { corpus, CORPUS_SKIP_REASON, HAVE_CORPUS } from '../../../helpers/corpus';
import { NameRecordingSink } from '../../../helpers/recording-sink';

async function names(rel: string): Promise<string[]> {
  const sink = new NameRecordingSink();
  const bytes = new Uint8Array(readFileSync(corpus(rel)));
  expect(await meterCapture({ source: new ByteSource((async function* () { yield bytes; })()), sink, fileName: rel, options: {} })).toBeUndefined();
  return sink.names.map((n) => `${n.source} ${n.name} ${formatIpBigInt(n.addr)} ${formatIpBigInt(n.client!)}${n.uri ? ` ${n.uri}` : ''}`);
}

describe.skipIf(!HAVE_CORPUS)('names in the corpus captures', () => {
  if (!HAVE_CORPUS) it.skip(CORPUS_SKIP_REASON, () => {});
  it('http-get.pcap: the one GET names bro.org with its URI', async () => {
    expect(await names('pcap/zeek/http-get.pcap')).toEqual(['http bro.org 192.150.187.43 141.142.228.5 /download/CHANGES.bro-aux.txt']);
  });
  it('wikipedia.pcap: DNS answers and HTTP Hosts of the page load, each tied to the address the client then used', async () => {
    const n = await names('pcap/zeek/wikipedia.pcap');
    expect(n[0]).toBe('http www.wikipedia.org 208.80.152.2 141.142.220.118 /');
    expect(n).toContain('dns upload.wikimedia.org 208.80.152.3 141.142.220.118');
    expect(n).toContain('dns meta.wikimedia.org 208.80.152.2 141.142.220.118');
    expect(n).toContain('http upload.wikimedia.org 208.80.152.3 141.142.220.118 /wikipedia/commons/6/63/Wikipedia-logo.png');
    // Every HTTP name is for an address the client connected to on port 80 in Zeek's conn.log.
    const conn = readFileSync(corpus('pcap/zeek/wikipedia.conn.log'), 'utf8');
    for (const line of n.filter((x) => x.startsWith('http '))) expect(conn).toMatch(new RegExp(`141\\.142\\.220\\.118\\t\\d+\\t${line.split(' ')[2].replace(/\./g, '\\.')}\\t80\\t`));
  });
  it('test7-malicious.pcap: the NTP pool lookups, IPv6 answers included', async () => {
    const n = await names('pcap/stratosphere/test7-malicious.pcap');
    expect(n).toContain('dns 0.debian.pool.ntp.org 81.2.248.189 192.168.2.16');
    expect(n).toContain('dns 2.debian.pool.ntp.org 2001:41d0:a:382c::1 192.168.2.16');
    expect(n.every((x) => x.startsWith('dns '))).toBe(true);
  });
});
