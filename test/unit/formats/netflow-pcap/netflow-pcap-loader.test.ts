import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { netflowPcapLoader } from '../../../../core/formats/netflow-pcap/netflow-pcap-loader';
import { formatIp } from '../../../../core/model/ip';
import { Bytes, ipfixMessage, ipfixTemplateSet, records, set, udpPcap, udpPcapng, v5Datagram, type FieldSpec } from '../../../helpers/netflow-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

const v5 = v5Datagram({ sysUptime: 100_000, unixSecs: 1_600_000_000 }, [
  { src: '10.0.0.1', dst: '10.0.0.2', packets: 1, bytes: 40, first: 99_000, last: 99_000, srcPort: 1, dstPort: 2, proto: 6 },
]);
const FIELDS: FieldSpec[] = [{ id: 27, len: 16 }, { id: 28, len: 16 }, { id: 4, len: 1 }, { id: 2, len: 4 }, { id: 1, len: 4 }, { id: 150, len: 4 }];
const ipfixTpl = ipfixMessage({ exportTime: 1_600_000_000, domain: 9 }, ipfixTemplateSet({ id: 300, fields: FIELDS }));
const ipfixData = ipfixMessage({ exportTime: 1_600_000_000, domain: 9 }, set(300, records(FIELDS, [['2001:db8::1', '2001:db8::2', 17, 3, 300, 1_599_999_990]], true)));
const dns = new Bytes().u16(0x1234).u16(0x0100).u16(1).u16(0).u16(0).u16(0).bytes([3, 119, 119, 119, 0, 0, 1, 0, 1]).done();

async function decode(pcap: Uint8Array): Promise<RecordingSink> {
  const sink = new RecordingSink();
  const failure = await netflowPcapLoader.decode({ source: byteSourceOf(pcap), sink, fileName: 'x.pcap', options: {} });
  expect(failure).toBeUndefined();
  return sink;
}

describe('netflow-pcap loader', () => {
  const capture = udpPcap([
    { src: '192.0.2.10', dst: '192.0.2.99', srcPort: 50000, dstPort: 9999, payload: v5 },
    { src: '2001:db8:ffff::5', dst: '2001:db8:ffff::9', srcPort: 4739, dstPort: 31337, payload: ipfixData },
    { src: '192.0.2.20', dst: '192.0.2.53', srcPort: 5353, dstPort: 53, payload: dns },
    { src: '2001:db8:ffff::5', dst: '2001:db8:ffff::9', srcPort: 4739, dstPort: 31337, payload: ipfixTpl },
  ]);

  it('decode() finds exports by content on any port over IPv4 and IPv6 and names the UDP source as exporter', async () => {
    const sink = await decode(capture);
    expect(sink.flows.map((f) => [formatIp(f.src), formatIp(f.exporter!)])).toEqual([
      ['10.0.0.1', '192.0.2.10'],
      ['2001:db8::1', '2001:db8:ffff::5'], // held until its template arrived two packets later
    ]);
    expect(sink.counts['non-export-udp-packets']).toBe(1);
    expect(sink.rejects).toEqual([]);
    const exporters = sink.facts.exporters as { address: string; sourceId: number; versions: number[]; datagrams: number }[];
    expect(exporters).toEqual([
      { address: '192.0.2.10', sourceId: 0, versions: [5], datagrams: 1 },
      { address: '2001:db8:ffff::5', sourceId: 9, versions: [10], datagrams: 2 },
    ]);
  });

  it('decode() reports each record at the file offset of the packet that carried it', async () => {
    const sink = await decode(capture);
    // pcap: 24-byte file header, then 16-byte record header + frame per packet.
    const first = 24;
    const frame1 = 14 + 20 + 8 + v5.length;
    expect(sink.flows[0].pos).toBe(first);
    expect(sink.flows[1].pos).toBe(first + 16 + frame1);
  });

  it('decode() keeps templates apart per exporter address', async () => {
    const other = udpPcap([
      { src: '2001:db8:ffff::5', dst: '2001:db8:ffff::9', payload: ipfixTpl },
      { src: '2001:db8:ffff::6', dst: '2001:db8:ffff::9', payload: ipfixData },
    ]);
    const sink = await decode(other);
    expect(sink.flows).toEqual([]);
    expect(sink.rejects.map((r) => [r.code, r.offset])).toEqual([['unknown-template', 24 + 16 + 14 + 40 + 8 + ipfixTpl.length]]);
  });

  it('sniff() outranks plain pcap metering (0.5) when the head is export traffic, and not otherwise', () => {
    expect(netflowPcapLoader.sniff(capture, 'x.pcap')).toBe(0.9);
    const mostlyDns = udpPcap([v5, dns, dns, dns, dns].map((payload) => ({ src: '192.0.2.1', dst: '192.0.2.2', payload })));
    expect(netflowPcapLoader.sniff(mostlyDns, 'x.pcap')).toBeLessThan(0.5);
    expect(netflowPcapLoader.sniff(udpPcap([{ src: '192.0.2.1', dst: '192.0.2.2', payload: dns }]), 'x.pcap')).toBe(0);
    expect(netflowPcapLoader.sniff(v5, 'x.dat')).toBe(0);
  });

  it('sniff() and decode() read the same export traffic from a pcapng capture', async () => {
    const ng = udpPcapng([
      { src: '192.0.2.10', dst: '192.0.2.99', srcPort: 50000, dstPort: 9999, payload: v5 },
      { src: '2001:db8:ffff::5', dst: '2001:db8:ffff::9', payload: ipfixTpl },
      { src: '2001:db8:ffff::5', dst: '2001:db8:ffff::9', payload: ipfixData },
    ]);
    expect(netflowPcapLoader.sniff(ng, 'x.pcapng')).toBe(0.9);
    const sink = await decode(ng);
    expect(sink.flows.map((f) => formatIp(f.src))).toEqual(['10.0.0.1', '2001:db8::1']);
    expect(sink.rejects).toEqual([]);
  });
});
