import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCapturePackets } from '../../../../core/formats/packets/packet-reader';
import { pcapLoader } from '../../../../core/formats/pcap/pcap-loader';
import { formatIp } from '../../../../core/model/ip';
import { microsToIso } from '../../../../core/model/time';
import { corpus, HAVE_CORPUS } from '../../../helpers/corpus';
import { fileSource } from '../../../helpers/file-source';
import { RecordingSink } from '../../../helpers/recording-sink';

/** `tcpdump -tttt` lines: "    1  2014-12-09 17:16:09.924505488 IP a.p > b.q: ..." -> [time µs text, a.p, b.q]. */
function tcpdumpLines(rel: string): string[][] {
  // `-v` puts the addresses on the line after the IP header summary: join them first.
  const lines = readFileSync(corpus(rel), 'utf8').split('\n');
  const joined = lines.map((l, i) => (/^\s*\d+\s+\d{4}-\S+ \S+ IP \(.*\)$/.test(l) ? `${l} ${(lines[i + 1] ?? '').trim()}` : l));
  return joined
    .map((l) => /^\s*\d+\s+(\S+ \S+) IP (?:\(.*?\)\s*)?(\S+) > (\S+?):/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2], m[3]]);
}

async function packets(rel: string): Promise<{ rows: string[][]; sink: RecordingSink }> {
  const sink = new RecordingSink();
  const rows: string[][] = [];
  for await (const p of readCapturePackets(fileSource(corpus(rel)), sink)) {
    rows.push([microsToIso(p.tsUs).replace('T', ' ').replace('Z', ''), `${formatIp(p.src)}.${p.srcPort}`, `${formatIp(p.dst)}.${p.dstPort}`]);
  }
  return { rows, sink };
}

describe.skipIf(!HAVE_CORPUS)('capture edge cases from tcpdump\'s tests (pcap/tcpdump)', () => {
  it('tcp-handshake-nano.pcap: nanosecond magic + Linux SLL, times equal tcpdump\'s truncated to µs', async () => {
    const want = tcpdumpLines('pcap/tcpdump/tcp-handshake-nano-tttt.out').map(([t, a, b]) => [t.slice(0, 26), a, b]);
    const micro = tcpdumpLines('pcap/tcpdump/tcp-handshake-micro-tttt.out');
    const { rows } = await packets('pcap/tcpdump/tcp-handshake-nano.pcap');
    expect(rows).toEqual(want);
    expect(rows).toEqual(micro);
    const sink = new RecordingSink();
    await pcapLoader.decode({ source: fileSource(corpus('pcap/tcpdump/tcp-handshake-nano.pcap')), sink, fileName: 'x', options: {} });
    expect(sink.facts.linkTypes).toEqual(['113 LINUX_SLL']);
    expect(sink.flows.map((f) => `${f.history} ${f.state}`)).toEqual(['ShA S1']);
  });

  it('pptp.pcap: big-endian header; packet times and addresses equal tcpdump -v', async () => {
    // GRE packets have no ports: tcpdump prints bare addresses, we print port 0.
    const want = tcpdumpLines('pcap/tcpdump/pptp-v.out').map(([t, a, b]) => (/^(\d+\.){4}\d+$/.test(a) ? [t, a, b] : [t, `${a}.0`, `${b}.0`]));
    const { rows, sink } = await packets('pcap/tcpdump/pptp.pcap');
    expect(rows).toEqual(want);
    expect(rows.length).toBe(23);
    expect(sink.rejects).toEqual([]);
  });

  it('tcp_rst_data-trunc.pcap: a snaplen-cut RST with payload is decoded without issues', async () => {
    const full = await packets('pcap/tcpdump/tcp_rst_data.pcap');
    const cut = await packets('pcap/tcpdump/tcp_rst_data-trunc.pcap');
    expect(cut.rows).toEqual(full.rows);
    expect(cut.rows[0]).toEqual(['2013-02-26 22:03:19.190965', '199.204.31.89.80', '172.16.133.41.52875']);
    expect(cut.sink.rejects).toEqual([]);
  });
});
