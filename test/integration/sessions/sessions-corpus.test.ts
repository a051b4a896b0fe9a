import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { rebuildSessions } from '../../../core/analysis/sessions/rebuild-sessions';
import { sessionsPage } from '../../../core/analysis/sessions/sessions-page';
import { loaderById } from '../../../core/formats/index';
import { ingestFile } from '../../../core/ingest/ingest-file';
import { writeZeekConnLog } from '../../../core/report/zeek-conn-writer';
import { CaseStore } from '../../../core/store/case-store';
import { CORPUS_SKIP_REASON, HAVE_CORPUS, corpus } from '../../helpers/corpus';
import { tempDir } from '../../helpers/temp';
import { agreement, flowKeyCounts, readZeekConnLog, sessionKeyCounts, sessionsOf, type Agreement } from './corpus-sessions';

if (!HAVE_CORPUS) console.warn(CORPUS_SKIP_REASON);
const has = (...ids: string[]) => ids.every((id) => !!loaderById(id));

const FROM_PCAP = ['wikipedia', 'pop3-rej', 'zeek-ssh', 'ssh-bruteforce-port902', 'test7-malicious', 'test8-malicious'];

describe.skipIf(!HAVE_CORPUS || !has('argus-csv'))('rebuildSessions() on Argus status records', () => {
  // racluster keys records by Argus's own direction: a reply that Argus recorded the other
  // way round stays a record of its own there, while a session pairs both directions.
  const RACLUSTER_KEEPS_APART: Record<string, string[]> = {
    'test7-malicious': ['udp 192.168.2.16:68 192.168.2.1:67'],
  };

  test.each(FROM_PCAP)('%s.argus.ra.csv merges back to the TCP/UDP records of racluster', async (name) => {
    const ours = sessionKeyCounts(await sessionsOf([{ rel: `derived/from-pcap/${name}.argus.ra.csv`, format: 'argus-csv' }]), ['tcp', 'udp']);
    const theirs = await flowKeyCounts(`derived/from-pcap/${name}.argus.racluster.csv`, 'argus-csv');
    const differ = [...new Set([...ours.keys(), ...theirs.keys()])].filter((k) => ours.get(k) !== theirs.get(k)).sort();
    expect(differ).toEqual(RACLUSTER_KEEPS_APART[name] ?? []);
    const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    console.log(`${name}: ${sum(ours)} sessions, racluster ${sum(theirs)} records (TCP/UDP)`);
  });
});

/** Flow-only evidence of the Zeek traces, and the conn.log it is compared with. */
const TRACES = [
  { zeek: 'pcap/zeek/wikipedia.conn.log', derived: 'wikipedia' },
  { zeek: 'pcap/zeek/pop3-rej.conn.log', derived: 'pop3-rej' },
  { zeek: 'pcap/zeek/ssh.conn.log', derived: 'zeek-ssh' },
];
const SOURCES = [
  { label: 'nfcapd (nfpcapd, uni)', loader: 'nfcapd', file: (d: string) => `derived/from-pcap/${d}.nfcapd` },
  { label: 'argus (binary)', loader: 'argus', file: (d: string) => `derived/from-pcap/${d}.argus` },
  { label: 'argus ra csv (no flags)', loader: 'argus-csv', file: (d: string) => `derived/from-pcap/${d}.argus.ra.csv` },
  { label: 'argus binetflow', loader: 'argus-csv', file: (d: string) => `derived/from-pcap/${d}.argus.binetflow` },
];
/** Floors measured on this corpus (state agreement over Zeek connections that a session matched). */
const FLOORS: Record<string, number> = {
  'nfcapd (nfpcapd, uni)': 1,
  'argus (binary)': 1,
  'argus ra csv (no flags)': 0.96,
  'argus binetflow': 0.96,
};

describe.skipIf(!HAVE_CORPUS)('rebuildSessions() conn_state from flow records vs Zeek conn.log', () => {
  for (const src of SOURCES) {
    test.skipIf(!has(src.loader))(`${src.label}: conn_state agrees with Zeek on matched connections`, async () => {
      const total: Agreement = { zeek: 0, matched: 0, sameState: 0, sameDirection: 0, confusion: new Map(), unmatched: [] };
      const lines: string[] = [];
      for (const t of TRACES) {
        const a = agreement(readZeekConnLog(t.zeek), await sessionsOf([{ rel: src.file(t.derived), format: src.loader }]));
        lines.push(`| ${t.derived} | ${a.zeek} | ${a.matched} | ${a.sameState} | ${a.sameDirection} |`);
        total.zeek += a.zeek;
        total.matched += a.matched;
        total.sameState += a.sameState;
        total.sameDirection += a.sameDirection;
        for (const [k, v] of a.confusion) total.confusion.set(k, (total.confusion.get(k) ?? 0) + v);
        total.unmatched.push(...a.unmatched);
      }
      console.log(
        [`\n${src.label}`, '| trace | zeek conns | matched | same conn_state | same originator |', '|---|---|---|---|---|', ...lines,
          `| total | ${total.zeek} | ${total.matched} | ${total.sameState} | ${total.sameDirection} |`,
          ...[...total.confusion].map(([k, v]) => `  differs ${v}x: zeek ${k}`),
          ...total.unmatched.map((u) => `  no session: ${u.proto} ${u.origH}:${u.origP} -> ${u.respH}:${u.respP} ${u.connState} ${u.history}`)].join('\n'),
      );
      expect(total.sameState / total.matched).toBeGreaterThanOrEqual(FLOORS[src.label]);
      // Zeek splits each SYN->RST retry on one 5-tuple into its own connection; a flow
      // record ORs the retries together, so only those REJ connections may lack a session.
      expect(total.unmatched.every((u) => u.connState === 'REJ')).toBe(true);
      expect(total.matched).toBeGreaterThanOrEqual(total.zeek - 4);
    });
  }
});

describe.skipIf(!HAVE_CORPUS || !has('pcap'))('rebuildSessions() on pcap-metered flows', () => {
  test.each(['http-get', 'ssh', 'wikipedia', 'pop3-rej', 'ssh-client-side-half-duplex', 'tcp-missing-syn', 'tcp-flip-without-syn'])(
    '%s.pcap keeps the meter exact: one session per Zeek connection with its conn_state',
    async (name) => {
      const z = readZeekConnLog(`pcap/zeek/${name}.conn.log`);
      const ours = await sessionsOf([{ rel: `pcap/zeek/${name}.${name === 'tcp-flip-without-syn' ? 'pcapng' : 'pcap'}` }]);
      const a = agreement(z, ours);
      expect(ours.length).toBe(z.length);
      expect([a.matched, a.sameState, a.sameDirection]).toEqual([z.length, z.length, z.length]);
      expect(ours.every((s) => s.confidence === 'exact')).toBe(true);
    },
  );
});

describe.skipIf(!HAVE_CORPUS || !has('nfcapd', 'zeek-conn'))('writeZeekConnLog() output', () => {
  test('reads back through the Zeek conn.log loader with the same 5-tuples and states', async () => {
    const tmp = tempDir('flowcase-zeek-out-');
    const store = await CaseStore.open(join(tmp.dir, 'a.duckdb'));
    const back = await CaseStore.open(join(tmp.dir, 'b.duckdb'));
    try {
      await ingestFile(store, corpus('derived/from-pcap/wikipedia.nfcapd'), { format: 'nfcapd' });
      await rebuildSessions(store);
      const rows = (await sessionsPage(store, { offset: 0, limit: 1000 })).rows;
      let text = '';
      await writeZeekConnLog(rows, { write: (s: string) => (text += s) });
      writeFileSync(join(tmp.dir, 'conn.log'), text);
      const ev = await ingestFile(back, join(tmp.dir, 'conn.log'));
      expect(ev.format).toBe('zeek-conn');
      expect(ev.rejected).toBe(0);
      const read = await back.all(`SELECT uid, state FROM flows ORDER BY src_pos`);
      expect(read.map((r) => [r.uid, r.state])).toEqual(rows.map((s) => [s.uid, s.connState]));
    } finally {
      store.close();
      back.close();
      tmp.cleanup();
    }
  });
});
