import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCapturePackets } from '../../../../core/formats/packets/packet-reader';
import { pcapLoader } from '../../../../core/formats/pcap/pcap-loader';
import { formatIp } from '../../../../core/model/ip';
import { corpus, HAVE_CORPUS } from '../../../helpers/corpus';
import { fileSource } from '../../../helpers/file-source';
import { RecordingSink } from '../../../helpers/recording-sink';

/** Captures with tool oracles in derived/from-pcap (name -> capture). */
const TRACES: Record<string, string> = {
  wikipedia: 'pcap/zeek/wikipedia.pcap',
  'pop3-rej': 'pcap/zeek/pop3-rej.pcap',
  'zeek-ssh': 'pcap/zeek/ssh.pcap',
  'ssh-bruteforce-port902': 'pcap/stratosphere/ssh-bruteforce-port902.pcap',
  'icmp-portscan': 'pcap/stratosphere/icmp-portscan.pcap',
  'test7-malicious': 'pcap/stratosphere/test7-malicious.pcap',
  'test8-malicious': 'pcap/stratosphere/test8-malicious.pcap',
};
const ARGUS_PROTO: Record<string, number> = { tcp: 6, udp: 17, icmp: 1 };

interface Totals { records: number; packets: number; bytes: number; tuples: Set<string> }
const totals = (): Totals => ({ records: 0, packets: 0, bytes: 0, tuples: new Set() });
const tuple = (a: string, ap: string | number, b: string, bp: string | number, p: number): string => [`${a}/${ap}`, `${b}/${bp}`].sort().join(' ') + ` ${p}`;

describe.skipIf(!HAVE_CORPUS)('pcap loader vs Argus racluster and nfpcapd (derived/from-pcap)', () => {
  for (const [name, rel] of Object.entries(TRACES)) {
    it(`${name}: same packets and IP bytes as nfpcapd, same 5-tuples as Argus, Argus bytes = frame bytes`, async () => {
      // These oracles count every packet, as the import does by default (bad checksums included).
      const sink = new RecordingSink();
      await pcapLoader.decode({ source: fileSource(corpus(rel)), sink, fileName: rel, options: {} });
      const ours = new Map<number, Totals>();
      for (const f of sink.flows) {
        const t = ours.get(f.proto) ?? totals();
        t.records++;
        t.packets += f.packets + (f.revPackets ?? 0);
        t.bytes += f.bytes + (f.revBytes ?? 0);
        t.tuples.add(tuple(formatIp(f.src), f.srcPort, formatIp(f.dst), f.dstPort, f.proto));
        ours.set(f.proto, t);
      }
      // Frame (wire) bytes of the TCP/UDP/ICMP packets: what Argus counts.
      const frameBytes = new Map<number, number>();
      for await (const p of readCapturePackets(fileSource(corpus(rel)), new RecordingSink())) {
        if (p.fragOffset === 0) frameBytes.set(p.proto, (frameBytes.get(p.proto) ?? 0) + p.wireLen);
      }
      const argus = new Map<number, Totals>();
      for (const line of readFileSync(corpus(`derived/from-pcap/${name}.argus.racluster.csv`), 'utf8').split('\n').slice(1)) {
        const c = line.split(',');
        const p = ARGUS_PROTO[c[3]];
        if (p === undefined) continue;
        const t = argus.get(p) ?? totals();
        t.records++;
        t.packets += Number(c[10]) + Number(c[11]);
        t.bytes += Number(c[12]) + Number(c[13]);
        t.tuples.add(tuple(c[4], c[5], c[7], c[8], p));
        argus.set(p, t);
      }
      const nf = new Map<number, Totals>();
      for (const line of readFileSync(corpus(`derived/from-pcap/${name}.nfcapd.txt`), 'utf8').split('\n')) {
        if (!line) continue;
        const c = line.split('|');
        const p = Number(c[3]);
        const t = nf.get(p) ?? totals();
        t.records++;
        t.packets += Number(c[9]);
        t.bytes += Number(c[10]);
        nf.set(p, t);
      }
      for (const p of [6, 17, 1]) {
        const o = ours.get(p) ?? totals();
        const a = argus.get(p) ?? totals();
        const n = nf.get(p) ?? totals();
        // Packets: every tool sees every packet of the protocol.
        expect(o.packets, `proto ${p} packets vs Argus`).toBe(a.packets);
        expect(o.packets, `proto ${p} packets vs nfpcapd`).toBe(n.packets);
        // nfdump counts IP bytes, like our bytes/revBytes.
        expect(o.bytes, `proto ${p} IP bytes vs nfpcapd`).toBe(n.bytes);
        // Argus counts frames: IP bytes + 14-byte Ethernet header + padding of short frames.
        expect(a.bytes, `proto ${p} Argus bytes vs frame bytes`).toBe(frameBytes.get(p) ?? 0);
        if (p !== 1) {
          // Argus merges a 5-tuple into one record; Zeek (and we) start a new connection on
          // the same 5-tuple after a RST/FIN + new SYN or an inactivity timeout, so we may
          // have more records, but exactly the same set of 5-tuples.
          expect([...o.tuples].sort()).toEqual([...a.tuples].sort());
          expect(o.records).toBeGreaterThanOrEqual(a.records);
          // nfpcapd records are unidirectional and cut at 300 s active / 60 s idle.
          expect(n.records).toBeGreaterThanOrEqual(o.tuples.size);
        }
      }
    });
  }
});
