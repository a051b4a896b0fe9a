import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../../../core/formats/index';
import { ipfixLoader } from '../../../../core/formats/ipfix/ipfix-loader';
import { netflowPcapLoader } from '../../../../core/formats/netflow-pcap/netflow-pcap-loader';
import { formatIp, parseIp } from '../../../../core/model/ip';
import { CORPUS_SKIP_REASON, HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { fileSource } from '../../../helpers/file-source';
import { readIpfixDump } from '../../../helpers/ipfix-dump';
import { readNfdumpCsv } from '../../../helpers/nfdump-csv';
import { matchNfdump } from '../../../helpers/nfdump-match';
import { RecordingSink } from '../../../helpers/recording-sink';

async function decodeFile(loader: typeof netflowPcapLoader, rel: string) {
  const sink = new RecordingSink();
  const failure = await loader.decode({ source: fileSource(corpus(rel)), sink, fileName: rel.split('/').pop()!, options: {} });
  expect(failure).toBeUndefined();
  return sink;
}

const head = (rel: string) => new Uint8Array(readFileSync(corpus(rel))).subarray(0, 64 * 1024);

const PMACCT = [
  '100-IPFIXv10-CISCO', '101-NFv9-CISCO-cust_primitives', '104-IPFIXv10-IPv6-CISCO-sampling_option',
  '106-IPFIXv10-HUAWEI-vrf_name', '111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources.traffic-00', '111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources.traffic-01',
];
const SOFTFLOWD = ['ssh-bruteforce-port902.nfv5', 'ssh-bruteforce-port902.nfv9', 'ssh-bruteforce-port902.ipfix', 'wikipedia.nfv5', 'wikipedia.ipfix'];

describe.skipIf(!HAVE_CORPUS)('netflow-pcap loader on real export captures', () => {
  if (!HAVE_CORPUS) it.skip(CORPUS_SKIP_REASON, () => {});

  for (const name of PMACCT) {
    it(`decode() of pmacct ${name}.pcap stores the records nfcapd stored after a replay`, async () => {
      const rel = `netflow/pmacct/${name}.pcap`;
      expect(sniffFormat(head(rel), `${name}.pcap`)[0].loader.id).toBe('netflow-pcap');
      const sink = await decodeFile(netflowPcapLoader, rel);
      const rep = matchNfdump(sink.flows, readNfdumpCsv(corpus(`derived/netflow-dat/pmacct-${name}.nfcapd.csv`)));
      expect(rep.missing).toEqual([]);
      expect(rep.extra).toEqual([]);
      expect(rep.diffs).toEqual([]);
      expect(sink.rejects).toEqual([]);
    });
  }

  it('decode() of nf5-invalid.pcap follows the .dat rule: the two broken v5 datagrams are rejected, no record read from inside them (#11)', async () => {
    const rel = 'derived/netflow-dat/nf5-invalid.pcap';
    // Read as export traffic (not metered into UDP flows of the datagrams), like the .dat files.
    expect(sniffFormat(head(rel), 'nf5-invalid.pcap')[0].loader.id).toBe('netflow-pcap');
    const sink = await decodeFile(netflowPcapLoader, rel);
    expect(sink.flows).toEqual([]);
    expect(sink.rejects.map((r) => r.code)).toEqual(['bad-header', 'truncated-datagram']);
    // nfcapd stored nothing either.
    expect(readNfdumpCsv(corpus('derived/netflow-dat/nf5-invalid.nfcapd.csv'))).toEqual([]);
  });

  it('decode() of pmacct 104 takes the exporter from the IPv6 UDP source and records 1-in-256 random sampling', async () => {
    const sink = await decodeFile(netflowPcapLoader, 'netflow/pmacct/104-IPFIXv10-IPv6-CISCO-sampling_option.pcap');
    // Options template 257: samplingSize 1 of samplingPopulation 256 (RFC 5477); pmacct's
    // renormalisation multiplies by 256, nfcapd does not; Flowcase records the factor.
    expect(sink.flows.map((f) => f.sampling)).toEqual([256, 256, 256]);
    expect(sink.flows.every((f) => f.exporter !== undefined && typeof f.exporter !== 'number')).toBe(true);
    const exporters = sink.facts.exporters as { address: string; versions: number[] }[];
    expect(exporters.map((e) => e.versions)).toEqual([[10]]);
    // Record positions are file offsets of the packets that carried them.
    const bytes = readFileSync(corpus('netflow/pmacct/104-IPFIXv10-IPv6-CISCO-sampling_option.pcap'));
    for (const f of sink.flows) expect(f.pos).toBeLessThan(bytes.length);
  });

  it('decode() of pmacct 106 keeps the inner IPv4 pair of Huawei records and the outer IPv6 pair in attrs', async () => {
    const sink = await decodeFile(netflowPcapLoader, 'netflow/pmacct/106-IPFIXv10-HUAWEI-vrf_name.pcap');
    const f = sink.flows.find((x) => formatIp(x.src) === '192.0.2.110')!;
    expect(f.attrs).toMatchObject({ otherSrc: '2001:db8:53::1', otherDst: '2001:db8:9:e140::', egressVrf: 1, 'e2011.232': '0001' });
    // systemInitTimeMilliseconds in the record anchors the uptimes (Wireshark: 14:47:26 to 14:48:27 UTC).
    expect(new Date(f.startUs / 1000).toISOString()).toBe('2025-01-27T14:47:26.000Z');
    expect(new Date(f.endUs / 1000).toISOString()).toBe('2025-01-27T14:48:27.000Z');
  });

  for (const name of SOFTFLOWD) {
    it(`decode() of softflowd ${name}.export.pcap stores what nfcapd stored`, async () => {
      const rel = `derived/softflowd/${name}.export.pcap`;
      expect(sniffFormat(head(rel), `${name}.export.pcap`)[0]).toMatchObject({ score: 0.9 });
      const sink = await decodeFile(netflowPcapLoader, rel);
      const rep = matchNfdump(sink.flows, readNfdumpCsv(corpus(`derived/softflowd/${name}.nfcapd.csv`)));
      expect(rep.missing).toEqual([]);
      expect(rep.extra).toEqual([]);
      expect(rep.diffs).toEqual([]);
      expect(sink.flows.every((f) => formatIp(f.exporter!) === '127.0.0.1')).toBe(true);
    });
  }

  for (const name of ['wikipedia', 'ssh-bruteforce-port902']) {
    it(`ipfix decode() of the RFC 5655 file ${name}.ipfix.ipfix matches ipfixDump record by record and nfcapd`, async () => {
      const rel = `derived/softflowd/${name}.ipfix.ipfix`;
      expect(sniffFormat(head(rel), `${name}.ipfix.ipfix`)[0].loader.id).toBe('ipfix');
      const sink = await decodeFile(ipfixLoader, rel);
      const dump = readIpfixDump(corpus(`${rel}.ipfixDump.txt`));
      const data = dump.records.filter((r) => r.fields.sourceIPv4Address !== undefined || r.fields.sourceIPv6Address !== undefined);
      expect(sink.counts['options-records']).toBe(dump.records.length - data.length);
      expect(sink.flows).toHaveLength(data.length);
      const ms = (t: string) => Date.parse(`${t.replace(' ', 'T')}Z`) * 1000;
      sink.flows.forEach((f, i) => {
        const d = data[i].fields;
        // ipfixDump prints IPv6 groups with leading zeros; compare canonical text.
        const canon = (t: string) => formatIp(parseIp(t)!);
        expect([formatIp(f.src), formatIp(f.dst)]).toEqual([canon(d.sourceIPv4Address ?? d.sourceIPv6Address), canon(d.destinationIPv4Address ?? d.destinationIPv6Address)]);
        expect([f.startUs, f.endUs]).toEqual([ms(d.flowStartMilliseconds), ms(d.flowEndMilliseconds)]);
        expect([f.bytes, f.packets, f.proto]).toEqual([Number(d.octetDeltaCount), Number(d.packetDeltaCount), Number(d.protocolIdentifier)]);
        if (d.sourceTransportPort !== undefined) expect([f.srcPort, f.dstPort]).toEqual([Number(d.sourceTransportPort), Number(d.destinationTransportPort)]);
        if (d.tcpControlBits !== undefined) expect(f.tcpFlags).toBe(Number(d.tcpControlBits));
        const tc = d.icmpTypeCodeIPv4 ?? d.icmpTypeCodeIPv6;
        if (tc !== undefined) expect((f.icmpType! << 8) | f.icmpCode!).toBe(Number(tc));
        expect(f.attrs).toMatchObject({ direction: Number(d.flowDirection), endReason: Number(d.flowEndReason) });
      });
      const rep = matchNfdump(sink.flows, readNfdumpCsv(corpus(`derived/softflowd/${name}.ipfix.nfcapd.csv`)));
      expect([rep.missing, rep.extra, rep.diffs]).toEqual([[], [], []]);
    });
  }

  it('decode() of the .dat groups re-wrapped as pcaps equals decoding the raw datagrams', async () => {
    for (const g of ['nf9-cisco-asa', 'ipfix-mikrotik', 'nf5-generic']) {
      const sink = await decodeFile(netflowPcapLoader, `derived/netflow-dat/${g}.pcap`);
      const rep = matchNfdump(sink.flows, readNfdumpCsv(corpus(`derived/netflow-dat/${g}.nfcapd.csv`)));
      expect([g, rep.missing, rep.extra, rep.diffs]).toEqual([g, [], [], []]);
      expect(sink.flows.every((f) => formatIp(f.exporter!) === '192.0.2.1')).toBe(true);
    }
  });
});
