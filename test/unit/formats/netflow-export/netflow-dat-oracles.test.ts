import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { sniffFormat } from '../../../../core/formats/index';
import { formatIp } from '../../../../core/model/ip';
import { CORPUS_SKIP_REASON, HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { readNfdumpCsv } from '../../../helpers/nfdump-csv';
import { matchNfdump } from '../../../helpers/nfdump-match';
import { RecordingSink } from '../../../helpers/recording-sink';
import { readTsharkCflow } from '../../../helpers/tshark-cflow';

/** Groups of .dat files in send order, as derived/REGENERATE.sh step 3 lists them. */
function datGroups(): { name: string; files: string[] }[] {
  const script = readFileSync(corpus('derived/REGENERATE.sh'), 'utf8');
  const list = script.split("<<'LIST'\n")[1].split('\nLIST')[0];
  return list.trim().split('\n').map((l) => {
    const [name, ...files] = l.trim().split(/\s+/);
    return { name, files };
  });
}

/** Flows of a group: its datagrams back to back, decoded by the loader the first file sniffs as. */
async function decodeGroup(files: string[]) {
  const chunks = files.map((f) => new Uint8Array(readFileSync(corpus(`netflow/logstash-dat/${f}`))));
  const loader = sniffFormat(chunks[0], files[0])[0]?.loader;
  const sink = new RecordingSink();
  const failure = await loader!.decode({ source: byteSourceOf(...chunks), sink, fileName: files[0], options: {} });
  return { loader: loader!.id, sink, failure };
}

/** Where nfdump and Flowcase differ by design beyond nfdump-match's allowances. */
const EXPECTED_DIFFS: Record<string, string[]> = {
  // YAF sends forward and reverse ToS and TCP flags (CERT initial/union flags); nfdump keeps
  // the reverse ToS and no flags; Wireshark shows forward ToS 0x02 (checked below).
  'ipfix-yaf': [
    '172.16.32.100 63499 > 172.16.32.215 9997 TCP: flags CE.A..SF vs ........',
    '172.16.32.100 63499 > 172.16.32.215 9997 TCP: tos 2 vs 0',
  ],
};

/** Groups where Wireshark 4.0 prints fewer flow records (with SrcAddr/DstAddr) than there are. */
const TSHARK_FLOWS: Record<string, number> = {
  'ipfix-generic': 6, // it reads only the first of the three IPFIX messages in the payload
  'nf5-generic': 2, // likewise, the first of twelve v5 datagrams
  'nf9-h3c': 1, // it stops at a 2-byte field it takes for an IPv4 address ("Malformed Packet")
  'nf9-cisco-wlc': 0, // the records carry no IP addresses (station MAC/IP elements only)
  'ipfix-ixia': 0, // it names the addresses of these records "Source IP"/"Destination IP"
  'nf9-invalid01': 0, // it trusts the header's count (2) and decodes only the two templates
};

describe.skipIf(!HAVE_CORPUS)('NetFlow/IPFIX .dat groups vs nfcapd and Wireshark', () => {
  if (!HAVE_CORPUS) it.skip(CORPUS_SKIP_REASON, () => {});
  const groups = HAVE_CORPUS ? datGroups() : [];

  it('REGENERATE.sh lists the 47 groups', () => {
    expect(groups).toHaveLength(47);
  });

  for (const g of groups) {
    it(`decode() of ${g.name} stores the records nfcapd stored, field by field`, async () => {
      const { sink, failure } = await decodeGroup(g.files);
      expect(failure).toBeUndefined();
      const rows = readNfdumpCsv(corpus(`derived/netflow-dat/${g.name}.nfcapd.csv`));
      const rep = matchNfdump(sink.flows, rows);
      expect(rep.missing).toEqual([]);
      expect(rep.diffs).toEqual(EXPECTED_DIFFS[g.name] ?? []);
      if (g.name === 'ipfix-generic') {
        // ipfix.dat is three IPFIX messages in one UDP payload; nfcapd (and Wireshark) read
        // only the first message's 6 records, Flowcase reads all three messages.
        expect(rep.extra).toHaveLength(6);
        expect(sink.counts.datagrams).toBe(3);
      } else {
        expect(rep.extra).toEqual([]);
      }
    });

    it(`decode() of ${g.name} agrees with Wireshark's decode of every flow record`, async () => {
      const { sink } = await decodeGroup(g.files);
      const ts = readTsharkCflow(corpus(`derived/netflow-dat/${g.name}.tshark-cflow.txt`));
      if (g.name === 'nf5-invalid') {
        // Wireshark decodes the 30 records that fit each datagram despite counts of 55582 and
        // 163; nfcapd stores nothing, and neither does Flowcase (the datagrams are rejected).
        expect([ts.length, sink.flows.length]).toEqual([60, 0]);
        return;
      }
      expect(ts.length).toBe(TSHARK_FLOWS[g.name] ?? sink.flows.length);
      const left = [...sink.flows];
      for (const t of ts) {
        // A template with IPv4 and IPv6 address fields: Wireshark prints the first pair it
        // meets, which may be the zero-filled one (Flowcase keeps the non-zero pair).
        const i = left.findIndex((f) =>
          ((formatIp(f.src) === t.src && formatIp(f.dst) === t.dst) || (t.src === t.dst && (t.src === '::' || t.src === '0.0.0.0'))) &&
          (t.proto === undefined || f.proto === t.proto) &&
          (t.proto === 1 || t.proto === 58 || t.srcPort === undefined || (f.srcPort === t.srcPort && f.dstPort === t.dstPort)) &&
          (t.packets === undefined || f.packets === t.packets) && (t.bytes === undefined || f.bytes === t.bytes));
        expect(i, `${g.name} frame ${t.frame}: ${t.src} > ${t.dst} ${t.srcPort}/${t.dstPort} p${t.proto} ${t.packets}/${t.bytes}`).toBeGreaterThanOrEqual(0);
        left.splice(i, 1);
      }
    });
  }

  it('decode() of nf5-invalid rejects the broken datagrams at their offset and stores nothing', async () => {
    const { sink, failure } = await decodeGroup(['netflow5_test_invalid01.dat', 'netflow5_test_invalid02.dat']);
    expect(failure).toBeUndefined();
    expect(sink.flows).toEqual([]);
    // invalid01 claims 55582 records; no plausible message starts anywhere after it (invalid02
    // claims 163 records in 1464 bytes), so one rejection covers both files' bytes.
    expect(sink.rejects.map((r) => [r.code, r.offset, r.length])).toEqual([['bad-header', 0, 2928]]);
  });

  it('decode() of nf9-invalid01 keeps the 2 decodable records despite a wrong header count', async () => {
    const { sink } = await decodeGroup(['netflow9_test_invalid01.dat']);
    expect(sink.flows.map((f) => `${formatIp(f.src)}>${formatIp(f.dst)}`)).toEqual(['2001:44b8:1118:7200::10>2001:44b8:4030:cd91:8075:bae:d39d:2621', '192.168.0.1>192.168.0.105']);
    // Its options record declares 1-in-100 sampling: recorded, the counts stay as exported (as nfcapd kept them).
    expect(sink.flows.map((f) => [f.sampling, f.packets, f.bytes])).toEqual([[100, 1, 96], [100, 1, 98]]);
  });

  it('decode() of nf9-iptnetflow rejects the data set that precedes its template with its offset', async () => {
    const { sink } = await decodeGroup(['netflow9_test_iptnetflow_reduced_size_encoding_tpldata260.dat']);
    expect(sink.flows).toHaveLength(12);
    expect(sink.rejects.every((r) => r.code === 'unknown-template')).toBe(true);
    expect(sink.rejects[0].offset).toBe(24);
  });

  it('decode() of ipfix-yaf fills biflow reverse counters and the forward ToS Wireshark shows', async () => {
    const { sink } = await decodeGroup(['ipfix_test_yaf_tpls_option_tpl.dat', 'ipfix_test_yaf_tpl45841.dat', 'ipfix_test_yaf_data45841.dat', 'ipfix_test_yaf_data45873.dat', 'ipfix_test_yaf_data53248.dat']);
    expect(sink.flows.map((f) => [f.packets, f.bytes, f.revPackets, f.revBytes, f.tos])).toEqual([[2, 132, 2, 200, 0], [4, 172, 2, 92, 2]]);
    // CERT initialTCPFlags 0xc2 | unionTCPFlags 0x11; reverse 0x12 | 0x11.
    expect([sink.flows[1].tcpFlags, sink.flows[1].revTcpFlags]).toEqual([0xd3, 0x13]);
    expect(sink.flows[0].attrs).toMatchObject({ 'e6871.40': '0001', endReason: 1 });
  });

  it('decode() of ipfix-procera reads ICMP type/code from the destination port as type * 256 + code, as nfdump does', async () => {
    // Procera writes 8 in the port of an ICMP flow; nfcapd stored dp 8 (nfdump prints 0.8), so
    // every reader of this convention (nfcapd files, nfdump CSV, flow-tools) sees type 0 code 8.
    const { sink } = await decodeGroup(['ipfix_test_procera_tpl52935.dat', 'ipfix_test_procera_data52935.dat']);
    const icmp = sink.flows.filter((f) => f.proto === 1);
    const nfdump = readNfdumpCsv(corpus('derived/netflow-dat/ipfix-procera.nfcapd.csv')).filter((r) => r.pr === 'ICMP');
    expect(icmp.map((f) => [f.dstPort, f.icmpType, f.icmpCode])).toEqual([[8, 0, 8]]);
    expect(nfdump.map((r) => r.dp)).toEqual([8]);
  });

  it('decode() of nf9-cisco-asa reads ICMP type/code from the NSEL elements, not the ports', async () => {
    const { sink } = await decodeGroup(['netflow9_test_cisco_asa_1_tpl.dat', 'netflow9_test_cisco_asa_1_data.dat']);
    const icmp = sink.flows.filter((f) => f.proto === 1).map((f) => [f.icmpType, f.icmpCode]);
    const tshark = readTsharkCflow(corpus('derived/netflow-dat/nf9-cisco-asa.tshark-cflow.txt'))
      .filter((t) => t.proto === 1).map((t) => [Number(t.fields['IPv4 ICMP Type']), Number(t.fields['IPv4 ICMP Code'])]);
    expect(icmp).toEqual(tshark);
    expect(icmp.length).toBeGreaterThan(0);
  });
});
