import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpus, CORPUS_SKIP_REASON, HAVE_CORPUS } from '../../helpers/corpus';
import { runFlowcase } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';

/** Issue #11 through the CLI contract: every record stored or counted, estimates beside raw counts. */
const t = tempDir();
afterAll(() => t.cleanup());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed CLI JSON, checked field by field below
async function json(args: string[]): Promise<any> {
  const r = await runFlowcase(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

// Each step runs the real CLI in a child process: allow for a busy machine.
describe.skipIf(!HAVE_CORPUS)('flowcase: evidence fidelity (#11)', { timeout: 400_000 }, () => {
  if (!HAVE_CORPUS) console.warn(CORPUS_SKIP_REASON);

  it('a capture with offloaded checksums: every packet counted, bad checksums per flow and on the evidence', async () => {
    const c = join(t.dir, 'ssh.duckdb');
    const imp = await json(['import', c, corpus('pcap/stratosphere/ssh-bruteforce-port902.pcap'), '--json']);
    expect(imp.evidence[0]).toMatchObject({ format: 'pcap', bad_checksums: 560, skipped: {} });
    expect(imp.evidence[0].issues.map((i: { code: string }) => i.code)).toContain('checksum-offloading-suspected');
    expect((await json(['stats', c, '--json'])).packets).toBe(1178);
    const ev = await json(['evidence', c, '--json']);
    expect(ev[0]).toMatchObject({ badChecksums: 560, skipped: {} });
    const flows = await json(['flows', c, '--limit', '1000', '--format', 'json']);
    expect(flows.reduce((n: number, f: { bad_checksums: number | null }) => n + (f.bad_checksums ?? 0), 0)).toBe(560);
    // Zeek's behaviour on request.
    const z = join(t.dir, 'ssh-zeek.duckdb');
    await json(['import', z, corpus('pcap/stratosphere/ssh-bruteforce-port902.pcap'), '--verify-checksums', 'true', '--json']);
    expect((await json(['stats', z, '--json'])).packets).toBe(618);
  });

  it('Argus ARP records are stored (test8: 262 rows as ra lists them); man and llc records are counted by reason', async () => {
    const c = join(t.dir, 'argus.duckdb');
    const imp = await json(['import', c, corpus('derived/from-pcap/test8-malicious.argus'), corpus('binetflow/stratosphere/test5-mixed-tab-separated.binetflow'), '--json']);
    expect(imp.evidence[0]).toMatchObject({ records: 262, rejected: 0, skipped: { man: 2 } });
    expect(imp.evidence[1].skipped).toEqual({ man: 1, llc: 1 });
    const ev = await json(['evidence', c, '--json']);
    expect(ev.map((e: { skipped: Record<string, number> }) => e.skipped)).toEqual([{ man: 2 }, { man: 1, llc: 1 }]);
    const arp = await json(['flows', c, '--filter', 'proto arp', '--limit', '1000', '--format', 'json']);
    expect(arp).toHaveLength(259 + 2);
    expect(arp.every((f: { proto: string; state: string }) => f.proto === 'ARP' && ['who-has', 'reply'].includes(f.state))).toBe(true);
    expect(arp.find((f: { src_addr: string; dst_addr: string }) => f.src_addr === '192.168.1.247' && f.dst_addr === '192.168.1.1')).toMatchObject({ state: 'reply', packets: 1, rev_packets: 1 });
  });

  it('sampled NetFlow: est_packets and est_bytes are the counts times the sampling rate, equal to nfcapd\'s totals (nf5-juniper-mx80, 1 in 1000)', async () => {
    const c = join(t.dir, 'nf5.duckdb');
    await json(['import', c, corpus('derived/netflow-dat/nf5-juniper-mx80.pcap'), '--json']);
    // nfdump -o csv: the records, then a Summary block.
    const lines = readFileSync(corpus('derived/netflow-dat/nf5-juniper-mx80.nfcapd.csv'), 'utf8').trim().split('\n');
    const rows = lines.slice(1, lines.indexOf('Summary')).map((l) => l.split(','));
    const nfPackets = rows.reduce((n, r) => n + Number(r[11]), 0);
    const nfBytes = rows.reduce((n, r) => n + Number(r[12]), 0);
    const s = await json(['stats', c, '--json']);
    expect(s.packets).toBe(nfPackets / 1000); // stored as exported
    expect([s.est_packets, s.est_bytes]).toEqual([nfPackets, nfBytes]);
    const p = await json(['pivot', c, '192.168.0.1', '--json']);
    expect(p.est_bytes).toBe((p.bytes_out + p.bytes_in) * 1000);
    expect(p.peers[0].est_bytes).toBe(p.peers[0].bytes * 1000);
    // Unsampled evidence: the estimate is the raw count.
    const u = await json(['stats', join(t.dir, 'ssh.duckdb'), '--json']);
    expect([u.est_packets, u.est_bytes]).toEqual([u.packets, u.bytes]);
  });

  it('sessions JSON uses Zeek\'s conn.log names; flows JSON the CSV\'s snake_case names with last_packet', async () => {
    const c = join(t.dir, 'http.duckdb');
    await json(['import', c, corpus('pcap/zeek/http-get.pcap'), '--json']);
    const [s] = await json(['sessions', c, '--format', 'json']);
    for (const k of ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes',
      'conn_state', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'missed_bytes']) expect(s).toHaveProperty([k]);
    expect(s).not.toHaveProperty('origH');
    expect(s).toMatchObject({ proto: 'tcp', conn_state: 'SF', history: 'ShADadFf', 'id.resp_p': 80 });
    const [f] = await json(['flows', c, '--format', 'json']);
    const csv = (await runFlowcase(['flows', c, '--format', 'csv'])).stdout.split('\n')[0].split(',');
    for (const k of csv) expect(f).toHaveProperty([k]);
    expect(f).not.toHaveProperty('srcAddr');
    // end follows Zeek's duration; the final ACK after both FINs came 144 µs later.
    expect(f.last_packet_us - f.end_us).toBe(144);
    expect(f.last_packet).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
