import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../core/formats/index';
import { ApiError } from '../../../core/api/api-error';
import type { ImportDoneEvent } from '../../../core/api/contract';
import { FlowcaseService } from '../../../core/api/flowcase-service';
import { RecentCases } from '../../../core/store/recent-cases';
import { corpus, HAVE_CORPUS } from '../../helpers/corpus';
import { tempDir } from '../../helpers/temp';
import { syntheticConn, writeZeekConnLog } from '../../helpers/zeek-log-writer';

/** Connections in the generated conn.log: resp 192.0.2.(i % 200 + 1), port [22, 80, 443, 53][i % 4]. */
const N = 2000;

async function importAndWait(svc: FlowcaseService, paths: string[]): Promise<ImportDoneEvent> {
  const done = new Promise<ImportDoneEvent>((resolve) => {
    const off = svc.on('import.done', (e) => {
      off();
      resolve(e);
    });
  });
  await svc.call('import.start', { paths });
  return done;
}

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('analysis methods through FlowcaseService.call (generated Zeek conn.log)', () => {
  let tmp: { dir: string; cleanup: () => void };
  let svc: FlowcaseService;

  beforeAll(async () => {
    tmp = tempDir('flowcase-analysis-');
    const log = join(tmp.dir, 'synthetic.conn.log');
    await writeZeekConnLog(log, N);
    svc = new FlowcaseService({ transport: 'web', recent: new RecentCases(join(tmp.dir, 'home')) });
    await svc.openCase(join(tmp.dir, 'case.duckdb'));
    const done = await importAndWait(svc, [log]);
    expect(done.results[0].ok).toBe(true);
  });

  afterAll(async () => {
    await svc?.dispose();
    tmp?.cleanup();
  });

  it("'pivot.host' summarises a responder: its clients as peers, the port it serves, bytes in and out", async () => {
    const h = await svc.invoke('pivot.host', { addr: '192.0.2.1' });
    const mine = Array.from({ length: N }, (_, i) => i).filter((i) => i % 200 === 0).map((i) => syntheticConn(i));
    expect(h).toMatchObject({ host: '192.0.2.1', flows: mine.length });
    expect(h.peers.map((p) => p.addr).sort()).toEqual(mine.map((c) => c.orig).sort());
    expect(h.peers.every((p) => p.internal)).toBe(true); // 10.x is internal by default
    expect(h.ports).toEqual([{ port: 22, proto: 6, role: 'server', flows: mine.length, bytes: expect.any(Number) }]);
    expect(h.bytesIn).toBe(mine.reduce((s, c) => s + c.origIpBytes, 0));
    expect(h.bytesOut).toBe(mine.reduce((s, c) => s + c.respIpBytes, 0));
  });

  it("'pivot.flows' pages a host's flows newest first, and between two hosts with peer", async () => {
    const page = (await svc.call('pivot.flows', { addr: '192.0.2.1', offset: 0, limit: 4 })) as { rows: { startUs: number; srcAddr: string }[]; offset: number };
    expect(page.rows).toHaveLength(4);
    expect(page.rows[0].startUs).toBe(Math.round(syntheticConn(1800).ts * 1e6));
    expect(page.rows.map((r) => r.startUs)).toEqual([...page.rows.map((r) => r.startUs)].sort((a, b) => b - a));
    const between = (await svc.call('pivot.flows', { addr: '192.0.2.1', peer: syntheticConn(200).orig, offset: 0, limit: 10 })) as { rows: { srcAddr: string }[] };
    expect(between.rows.map((r) => r.srcAddr)).toEqual([syntheticConn(200).orig]);
  });

  it("'pivot.histogram' puts every flow of the host in one of the bins", async () => {
    const h = (await svc.call('pivot.histogram', { addr: '192.0.2.1', bins: 20 })) as { binUs: number; bins: { flows: number }[] };
    expect(h.bins).toHaveLength(20);
    expect(h.bins.reduce((s, b) => s + b.flows, 0)).toBe(10);
    expect(h.binUs).toBeGreaterThan(0);
  });

  it("'pivot.*' reports a bad address as bad-address and a bad filter as bad-filter with its position", async () => {
    const a = await apiError(svc.call('pivot.host', { addr: 'not-an-ip' }));
    expect(a.code).toBe('bad-address');
    expect(a.message).toContain("'not-an-ip' is not an IP address");
    const f = await apiError(svc.call('pivot.flows', { addr: '192.0.2.1', offset: 0, limit: 5, filter: 'port >' }));
    expect(f.code).toBe('bad-filter');
    expect(f.message).toMatch(/\(at 1:\d+\)|1:\d+/);
    const w = await apiError(svc.call('pivot.host', { addr: '192.0.2.1', fromUs: 10, toUs: 5 }));
    expect(w.code).toBe('bad-window');
  });

  it("'overview.series' splits by protocol: udp is the port-53 quarter, tcp the rest", async () => {
    const s = (await svc.call('overview.series', { split: 'proto' })) as { keys: string[]; bins: { key: string; flows: number }[] };
    const flows = (k: string) => s.bins.filter((b) => b.key === k).reduce((x, b) => x + b.flows, 0);
    expect(new Set(s.keys)).toEqual(new Set(['tcp', 'udp']));
    expect(flows('udp')).toBe(N / 4);
    expect(flows('tcp')).toBe((3 * N) / 4);
    const bad = await apiError(svc.call('overview.series', { split: 'total', filter: 'prot tcp' }));
    expect(bad.code).toBe('bad-filter');
  });

  it("'overview.talkers', 'overview.counts' rank and count hosts; 'overview.incoming' follows the internal networks setting", async () => {
    const talkers = (await svc.call('overview.talkers', { by: 'flows', limit: 3 })) as { addr: string; flows: number; bps: number }[];
    expect(talkers.map((t) => t.flows)).toEqual([10, 10, 10]);
    expect(talkers.every((t) => t.addr.startsWith('192.0.2.') && t.bps > 0)).toBe(true);
    const counts = (await svc.call('overview.counts', {})) as { hosts: number; internalHosts: number; flows: number; udp: number };
    expect(counts).toMatchObject({ hosts: N + 200, internalHosts: N, flows: N, udp: N / 4 });

    expect(await svc.call('overview.incoming', {})).toEqual([]); // every connection goes out
    const set = (await svc.call('settings.internalNetworks', { networks: ['192.0.2.7/24'] })) as { networks: string[] };
    expect(set.networks).toEqual(['192.0.2.0/24']);
    const incoming = (await svc.call('overview.incoming', {})) as { proto: number; port: number; attempts: number; targets: number }[];
    expect(incoming.find((r) => r.port === 53)).toMatchObject({ proto: 17, attempts: N / 4, targets: 50 });
    expect(incoming.reduce((s, r) => s + r.attempts, 0)).toBe(N);
    const audit = (await svc.call('sql.run', { sql: `SELECT action, detail FROM audit_log WHERE action = 'settings.internal_networks'`, limit: 10 })) as { ok: true; rows: unknown[][] };
    expect(audit.rows).toHaveLength(1);
    expect(String(audit.rows[0][1])).toContain('192.0.2.0/24');
    const bad = await apiError(svc.call('settings.internalNetworks', { networks: ['10.0.0.0/33'] }));
    expect(bad.code).toBe('bad-network');
    const back = (await svc.call('settings.internalNetworks', { networks: [] })) as { networks: string[] };
    expect(back.networks).toEqual([]);
    await svc.call('settings.internalNetworks', { networks: ['10.0.0.0/8'] });
    expect(((await svc.call('settings.internalNetworks', {})) as { networks: string[] }).networks).toEqual(['10.0.0.0/8']);
  });

  it("'sql.run' answers a read-only query and returns a refusal (not an error) for a write", async () => {
    const r = (await svc.call('sql.run', { sql: 'SELECT count(*) AS n FROM flows', limit: 10 })) as { ok: true; columns: { name: string }[]; rows: unknown[][] };
    expect(r.ok).toBe(true);
    expect(r.columns.map((c) => c.name)).toEqual(['n']);
    expect(r.rows).toEqual([[N]]);
    const refused = (await svc.call('sql.run', { sql: 'DELETE FROM flows', limit: 10 })) as { ok: false; kind: string; message: string };
    expect(refused).toMatchObject({ ok: false, kind: 'refused' });
    expect(refused.message).toMatch(/only reads/);
  });

  it("'sessions.page' builds sessions on first use and filters by state and by the flow filter language", async () => {
    const all = (await svc.call('sessions.page', { offset: 0, limit: 5 })) as { total: number; rows: { connState: string; origH: string }[] };
    expect(all.total).toBe(N);
    expect(all.rows[0]).toMatchObject({ connState: 'SF', origH: syntheticConn(0).orig });
    const sf = (await svc.call('sessions.page', { offset: 0, limit: 1, states: ['SF'] })) as { total: number };
    expect(sf.total).toBe(N);
    const rej = (await svc.call('sessions.page', { offset: 0, limit: 1, states: ['REJ', 'S0'] })) as { total: number };
    expect(rej.total).toBe(0);
    const host = (await svc.call('sessions.page', { offset: 0, limit: 50, filter: 'dst host 192.0.2.1 and port 22' })) as { total: number; rows: { respH: string }[] };
    expect(host.total).toBe(10);
    expect(host.rows.every((r) => r.respH === '192.0.2.1')).toBe(true);
    const flags = (await svc.call('sessions.page', { offset: 0, limit: 1, filter: 'flags S and proto tcp' })) as { total: number };
    expect(flags.total).toBe((3 * N) / 4);
    const sorted = (await svc.call('sessions.page', { offset: 0, limit: 1, sort: { column: 'orig_ip_bytes', desc: true } })) as { rows: { origIpBytes: number }[] };
    expect(sorted.rows[0].origIpBytes).toBe(Math.max(...Array.from({ length: N }, (_, i) => syntheticConn(i).origIpBytes)));
    const bad = await apiError(svc.call('sessions.page', { offset: 0, limit: 1, filter: 'host 999.1.1.1' }));
    expect(bad.code).toBe('bad-filter');
  });

  it("'sessions.detail' lists a session's flow records with their evidence line", async () => {
    const page = (await svc.call('sessions.page', { offset: 0, limit: 1 })) as { rows: { uid: string }[] };
    const d = (await svc.call('sessions.detail', { uid: page.rows[0].uid })) as { session: { uid: string }; flows: { evidenceName: string; positionUnit: string; position: number; fromOrig: boolean }[] };
    expect(d.session.uid).toBe(page.rows[0].uid);
    expect(d.flows).toHaveLength(1);
    // The header has 8 lines; connection 0 is line 9.
    expect(d.flows[0]).toMatchObject({ evidenceName: 'synthetic.conn.log', positionUnit: 'line', position: 9, fromOrig: true });
    expect(await svc.call('sessions.detail', { uid: 'Cnope' })).toBeNull();
  });
});

describe.skipIf(!HAVE_CORPUS)('analysis methods on a real capture (Stratosphere ssh-bruteforce-port902.pcap)', () => {
  let tmp: { dir: string; cleanup: () => void };
  let svc: FlowcaseService;

  beforeAll(async () => {
    tmp = tempDir('flowcase-analysis-pcap-');
    svc = new FlowcaseService({ transport: 'web', recent: new RecentCases(join(tmp.dir, 'home')) });
    await svc.openCase(join(tmp.dir, 'case.duckdb'));
    const done = await importAndWait(svc, [corpus('pcap/stratosphere/ssh-bruteforce-port902.pcap')]);
    expect(done.results[0].ok).toBe(true);
  });

  afterAll(async () => {
    await svc?.dispose();
    tmp?.cleanup();
  });

  it("'pivot.host' of the target shows the attacker as a peer and port 902 served", async () => {
    const h = (await svc.call('pivot.host', { addr: '147.32.80.37' })) as { peers: { addr: string; flows: number }[]; ports: { port: number; role: string }[] };
    expect(h.peers.map((p) => p.addr)).toContain('147.32.80.40');
    expect(h.ports.find((p) => p.port === 902 && p.role === 'server')).toBeTruthy();
  });

  it("'sessions.page' finds the brute force's sessions to port 902", async () => {
    const p = (await svc.call('sessions.page', { offset: 0, limit: 100, filter: 'dst port 902' })) as { total: number; rows: { respH: string }[] };
    expect(p.total).toBeGreaterThanOrEqual(60);
    expect(p.rows.every((r) => r.respH === '147.32.80.37')).toBe(true);
  });
});
