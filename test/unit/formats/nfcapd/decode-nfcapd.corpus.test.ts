import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nfcapdLoader } from '../../../../core/formats/nfcapd/nfcapd-loader';
import { formatIp, type Ip } from '../../../../core/model/ip';
import type { FlowInput } from '../../../../core/model/flow-batch';
import { CORPUS_DIR, CORPUS_SKIP_REASON, HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { fileSource } from '../../../helpers/file-source';
import { RecordingSink } from '../../../helpers/recording-sink';

/** Protocol names nfdump prints in its CSV (`pr` column). */
const PROTO: Record<string, number> = { ICMP: 1, IGMP: 2, TCP: 6, UDP: 17, GRE: 47, ESP: 50, AH: 51, ICMP6: 58, VRRP: 112, SCTP: 132 };

function protoOf(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (!(t in PROTO)) throw new Error(`unknown protocol name ${t} in the oracle`);
  return PROTO[t];
}

/** nfdump's 8-character TCP flag string, most significant bit first: CWR ECE URG ACK PSH RST SYN FIN. */
function flagsOf(text: string): number {
  let v = 0;
  for (let i = 0; i < 8; i++) if (text[i] !== '.') v |= 1 << (7 - i);
  return v;
}

/**
 * A record may carry both an IPv4 and an all-zero IPv6 address element (pmacct 101/106,
 * Procera samples). nfdump lets the later element win and keeps the IPv6 flag, so it prints
 * ::a.b.c.d or ::; the decoder keeps the address that is set. Both deviations are accepted
 * here, only for an IPv4 flow.
 */
function addrMatches(got: Ip, text: string): string {
  const t = text.trim();
  if (typeof got === 'number') {
    const m = /^::(\d+\.\d+\.\d+\.\d+)$/.exec(t);
    if (m) return m[1];
    if (t === '::') return formatIp(got);
  }
  return t;
}

function utcMs(text: string): number {
  return Date.parse(`${text.trim().replace(' ', 'T')}Z`);
}

function listNfcapd(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.nfcapd')) out.push(relative(CORPUS_DIR, p));
    }
  };
  if (HAVE_CORPUS) walk(corpus('derived'));
  return ['nfcapd/stratosphere/test1-malicious.nfcapd', ...out.sort()];
}

async function decodeFile(rel: string): Promise<RecordingSink> {
  const sink = new RecordingSink();
  const failure = await nfcapdLoader.decode({ source: fileSource(corpus(rel)), sink, fileName: rel, options: {} });
  expect(failure).toBeUndefined();
  return sink;
}

function dstPortText(f: FlowInput): string {
  return f.proto === 1 || f.proto === 58 ? `${f.icmpType}.${f.icmpCode}` : String(f.dstPort);
}

describe.skipIf(!HAVE_CORPUS)('decodeNfcapd() on the corpus, against nfdump 1.7.1 output', () => {
  if (!HAVE_CORPUS) console.warn(CORPUS_SKIP_REASON);
  for (const rel of listNfcapd()) {
    it(`decodeNfcapd() matches nfdump -o csv for ${rel}`, async () => {
      const sink = await decodeFile(rel);
      const lines = readFileSync(corpus(`${rel}.csv`), 'utf8').split('\n');
      const header = lines[0].split(',');
      const col = (name: string) => header.indexOf(name);
      const rows: string[][] = [];
      for (const line of lines.slice(1)) {
        if (line === 'Summary' || line === 'No matching flows' || line === '') break;
        rows.push(line.split(','));
      }
      expect(sink.rejects).toEqual([]);
      expect(sink.notes.filter((n) => n.code === 'stat-mismatch')).toEqual([]);
      expect(sink.flows.length).toBe(rows.length);
      rows.forEach((r, i) => {
        const f = sink.flows[i];
        const got = [
          Math.floor(f.startUs / 1e6), Math.floor(f.endUs / 1e6), formatIp(f.src), formatIp(f.dst), f.srcPort, f.dstPort,
          f.proto, f.tcpFlags ?? 0, f.packets, f.bytes, f.revPackets ?? 0, f.revBytes ?? 0, f.inIf ?? 0, f.outIf ?? 0, f.srcAs ?? 0, f.dstAs ?? 0,
        ];
        const want = [
          utcMs(r[col('ts')]) / 1000, utcMs(r[col('te')]) / 1000, addrMatches(f.src, r[col('sa')]), addrMatches(f.dst, r[col('da')]), Number(r[col('sp')]), Number(r[col('dp')]),
          protoOf(r[col('pr')]), flagsOf(r[col('flg')]), Number(r[col('ipkt')]), Number(r[col('ibyt')]), Number(r[col('opkt')]), Number(r[col('obyt')]),
          Number(r[col('in')]), Number(r[col('out')]), Number(r[col('sas')]), Number(r[col('das')]),
        ];
        expect(got, `record ${i}`).toEqual(want);
      });
    });

    const txt = `${rel}.txt`;
    if (existsSync(corpus(txt))) {
      it(`decodeNfcapd() matches nfdump's millisecond text output for ${rel}`, async () => {
        const sink = await decodeFile(rel);
        const rows = readFileSync(corpus(txt), 'utf8').split('\n').filter((l) => l.includes('|')).map((l) => l.split('|').map((s) => s.trim()));
        expect(sink.flows.length).toBe(rows.length);
        rows.forEach((r, i) => {
          const f = sink.flows[i];
          // fmt:%ts|%te|%td|%pr|%sa|%sp|%da|%dp|%flg|%ipkt|%ibyt
          const got = [f.startUs / 1000, f.endUs / 1000, f.proto, formatIp(f.src), f.srcPort, formatIp(f.dst), dstPortText(f), f.tcpFlags ?? 0, f.packets, f.bytes];
          const want = [utcMs(r[0]), utcMs(r[1]), Number(r[3]), addrMatches(f.src, r[4]), Number(r[5]), addrMatches(f.dst, r[6]), r[7], flagsOf(r[8]), Number(r[9]), Number(r[10])];
          expect(got, `record ${i}`).toEqual(want);
        });
      });
    }
  }

  it('decodeNfcapd() reads the layout-1 exporter record of test1-malicious as the flows\' exporter', async () => {
    const sink = await decodeFile('nfcapd/stratosphere/test1-malicious.nfcapd');
    expect(sink.facts['nfcapd.layout']).toBe(1);
    expect(sink.facts.exporters).toEqual([{ address: '147.32.82.62', sourceId: 58, versions: [9], sysid: 1 }]);
    expect(formatIp(sink.flows[0].exporter!)).toBe('147.32.82.62');
    expect(sink.flows[0].attrs).toEqual({ engine_type: 0, engine_id: 58 });
    expect(sink.facts['nfcapd.stat']).toMatchObject({ flows: 4593, bytes: 241025, packets: 4652 });
  });
});
