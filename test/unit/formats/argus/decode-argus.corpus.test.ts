import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { argusLoader } from '../../../../core/formats/argus/argus-loader';
import { ARGUS_PROTO_NAMES } from '../../../../core/formats/argus/argus-names';
import type { FlowInput } from '../../../../core/model/flow-batch';
import { formatIp } from '../../../../core/model/ip';
import { ARP_PROTO, protoName } from '../../../../core/model/protocols';
import { HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { fileSource } from '../../../helpers/file-source';
import { RecordingSink } from '../../../helpers/recording-sink';

const DIR = 'derived/from-pcap';
const NAMES = HAVE_CORPUS ? readdirSync(corpus(DIR)).filter((f) => f.endsWith('.argus')).sort() : [];

async function decode(name: string, options: Record<string, unknown> = {}): Promise<RecordingSink> {
  const sink = new RecordingSink();
  const failure = await argusLoader.decode({ source: fileSource(corpus(`${DIR}/${name}`), 4096), sink, fileName: name, options });
  expect(failure).toBeUndefined();
  return sink;
}

/** Microseconds as ra -p 6 -u prints them: seconds with 6 decimals. */
function secs(us: number): string {
  return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
}

/** ra's port text for a row, as the oracle has it (ra -n: decimal for TCP/UDP, blank for protocols without ports; ICMP: hex, little-endian type|code<<8 and id). */
function raPorts(f: FlowInput): [string, string] {
  if (f.attrs?.l2 === 'arp') return ['', ''];
  const hex = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;
  if (f.proto === 1) return [hex((f.icmpType ?? 0) | ((f.icmpCode ?? 0) << 8)), hex(f.attrs?.icmpId as number)];
  if (f.proto === 58) return [String(f.icmpType), String(f.icmpCode)];
  if (f.proto === 6 || f.proto === 17) return [String(f.srcPort), String(f.dstPort)];
  return ['', ''];
}

/**
 * The oracle row ra would print for a decoded row: rows the decoder turned round
 * (attrs.flipped, ra's "<-"/"<?") are turned back; ports and times as ra prints them.
 */
function asRaRow(f: FlowInput): string[] {
  const back = f.attrs?.flipped === true;
  const [p1, p2] = raPorts(f);
  // ICMP type/code and id describe the key, not a side: ra does not swap them.
  const [sp, dp] = back && (f.proto === 6 || f.proto === 17) ? [p2, p1] : [p1, p2];
  const proto = f.attrs?.l2 === 'arp' ? 'arp' : (ARGUS_PROTO_NAMES[f.proto] ?? String(f.proto));
  const dur = secs(f.endUs - f.startUs);
  return [
    secs(f.startUs), secs(f.endUs), dur, proto,
    formatIp(back ? f.dst : f.src), sp, String(f.attrs?.dir), formatIp(back ? f.src : f.dst), dp,
    // ARP rows say who-has/reply; ra's INT/CON is kept beside it.
    String(f.attrs?.l2 === 'arp' ? f.attrs.argusState : f.state),
    String(back ? f.revPackets : f.packets), String(back ? f.packets : f.revPackets),
    String(back ? f.revBytes : f.bytes), String(back ? f.bytes : f.revBytes),
  ];
}

describe.skipIf(!HAVE_CORPUS)("argusLoader.decode() against ra's listing of every derived .argus file", () => {
  it('finds the derived .argus files', () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(7);
  });

  for (const name of NAMES) {
    it(`decodeArgus() matches ra field by field for ${name} (stime ltime dur proto saddr sport dir daddr dport state spkts dpkts sbytes dbytes)`, async () => {
      const sink = await decode(name, { keepArp: true });
      const lines = readFileSync(corpus(`${DIR}/${name}.ra.csv`), 'utf8').trimEnd().split('\n');
      expect(lines[0]).toBe('StartTime,LastTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,SrcPkts,DstPkts,SrcBytes,DstBytes,Flgs');
      // llc rows are keyed by MAC addresses; they are counted, not stored.
      const rows = lines.slice(1).map((l) => l.split(',').slice(0, 14).map((c) => c.trim()));
      const ipRows = rows.filter((r) => r[3] !== 'llc');
      expect(sink.counts['llc-records'] ?? 0).toBe(rows.length - ipRows.length);
      expect(sink.flows.map(asRaRow)).toEqual(ipRows);
      expect(sink.counts['man-records']).toBe(2);
      expect(sink.rejects).toEqual([]);
    });
  }

  it('decodeArgus() stores ARP records as rows by default: test8 has the 262 records ra lists, 259 of them ARP (#11)', async () => {
    const sink = await decode('test8-malicious.argus');
    expect(sink.flows).toHaveLength(262);
    const arp = sink.flows.filter((f) => f.proto === ARP_PROTO);
    expect(arp).toHaveLength(259);
    expect(protoName(ARP_PROTO)).toBe('ARP');
    // Sender and target protocol addresses; who-has while unanswered (ra INT), reply once answered (ra CON).
    const first = arp.find((f) => formatIp(f.src) === '192.168.1.247' && formatIp(f.dst) === '192.168.1.1');
    expect(first).toMatchObject({ state: 'reply', packets: 1, revPackets: 1 });
    expect(arp.filter((f) => f.state === 'who-has').every((f) => f.revPackets === 0 && f.attrs?.argusState === 'INT')).toBe(true);
    expect(sink.skipped).toEqual({ man: 2 });
  });

  it('decodeArgus() with keepArp false skips the ARP records, counted by reason (skipped.arp 259)', async () => {
    const sink = await decode('test8-malicious.argus', { keepArp: false });
    expect(sink.flows).toHaveLength(3);
    expect(sink.flows.every((f) => f.proto === 17)).toBe(true);
    expect(sink.skipped).toEqual({ man: 2, arp: 259 });
  });

  it('decodeArgus() keeps one row per status record of a long flow, as ra does (test7: 755 rows, racluster merges them to fewer)', async () => {
    const sink = await decode('test7-malicious.argus', { keepArp: true });
    const clustered = readFileSync(corpus(`${DIR}/test7-malicious.argus.racluster.csv`), 'utf8').trimEnd().split('\n').length - 1;
    expect(sink.flows.length).toBe(755);
    expect(clustered).toBeLessThan(755);
    const causes = new Set(sink.flows.map((f) => f.attrs?.cause));
    expect(causes.has('status')).toBe(true);
  });

  it('decodeArgus() reports the management records as facts and the link-layer byte counting', async () => {
    const sink = await decode('wikipedia.argus');
    expect(sink.facts['argus-version']).toBe('3.0');
    expect(sink.facts['argus-status-interval-s']).toBe(5);
    expect(String(sink.facts['byte-counting'])).toMatch(/link header/);
    expect(String(sink.facts['argus-first-man'])).toMatch(/^STA /);
    expect(String(sink.facts['argus-last-man'])).toMatch(/^STP /);
  });

  it('decodeArgus() gives TCP flags per direction (ssh brute force: SYN from the client, SYN-ACK back)', async () => {
    const sink = await decode('ssh-bruteforce-port902.argus');
    const first = sink.flows[0];
    expect(formatIp(first.src)).toBe('147.32.80.40');
    expect(first.dstPort).toBe(902);
    expect((first.tcpFlags ?? 0) & 0x02).toBe(0x02);
    expect((first.revTcpFlags ?? 0) & 0x12).toBe(0x12);
  });

  for (const name of ['pop3-rej', 'ssh-bruteforce-port902', 'wikipedia']) {
    it(`decodeArgus() gives the TCP flags of each direction as tshark sees the packets of ${name}`, async () => {
      const sink = await decode(`${name}.argus`);
      const lines = readFileSync(corpus(`${DIR}/${name}.tshark-packets.csv`), 'utf8').trimEnd().split('\n');
      const head = lines[0].split(',');
      const at = (label: string) => head.indexOf(label);
      // tcp.flags.str ends with the 8 flag positions C E U A P R S F; '·' = clear.
      const bits = [0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01];
      const expected = new Map<string, number>();
      for (const line of lines.slice(1)) {
        const c = line.split(',');
        const str = c[at('tcp.flags.str')];
        if (!str) continue;
        const key = `${c[at('ip.src')] || c[at('ipv6.src')]}:${c[at('tcp.srcport')]}>${c[at('ip.dst')] || c[at('ipv6.dst')]}:${c[at('tcp.dstport')]}`;
        let v = 0;
        [...str].slice(-8).forEach((ch, i) => { if (ch !== '·') v |= bits[i]; });
        expected.set(key, (expected.get(key) ?? 0) | v);
      }
      const got = new Map<string, number>();
      for (const f of sink.flows.filter((g) => g.proto === 6)) {
        const fwd = `${formatIp(f.src)}:${f.srcPort}>${formatIp(f.dst)}:${f.dstPort}`;
        const rev = `${formatIp(f.dst)}:${f.dstPort}>${formatIp(f.src)}:${f.srcPort}`;
        if (f.packets) got.set(fwd, (got.get(fwd) ?? 0) | (f.tcpFlags ?? 0));
        if (f.revPackets) got.set(rev, (got.get(rev) ?? 0) | (f.revTcpFlags ?? 0));
      }
      expect(expected.size).toBeGreaterThan(10);
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
    });
  }

  it('decodeArgus() turns a lone ICMP echo reply round so that its sender is the source (icmp-portscan, ra "<-" ECR)', async () => {
    const sink = await decode('icmp-portscan.argus');
    const ecr = sink.flows.filter((f) => f.state === 'ECR');
    expect(ecr).toHaveLength(1);
    expect(formatIp(ecr[0].src)).toBe('192.168.1.130');
    expect(formatIp(ecr[0].dst)).toBe('192.168.1.109');
    expect([ecr[0].icmpType, ecr[0].icmpCode, ecr[0].dstPort, ecr[0].packets, ecr[0].bytes, ecr[0].revPackets]).toEqual([0, 0, 0, 1, 42, 0]);
    expect(ecr[0].attrs).toMatchObject({ dir: '<-', flipped: true });
  });
});
