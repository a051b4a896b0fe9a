import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../core/store/case-store';
import type { FlowInput } from '../../../core/model/flow-batch';
import { parseIp, type Ip } from '../../../core/model/ip';
import { parseTimeToMicros } from '../../../core/model/time';
import { hostIndexIsCurrent, rebuildHostIndex } from '../../../core/store/host-index';
import { flowsBetween, hostFlows, hostHistogram, hostSummary, isPivotFailure, type HostSummary, type PivotFailure } from '../../../core/query/pivot-queries';
import {
  chooseBinUs, flowTimeSeries, hostCounts, incomingConnectionAttempts, isOverviewFailure, topTalkers, type TimeSeries,
} from '../../../core/query/overview-queries';
import { getInternalNetworks, setInternalNetworks, DEFAULT_INTERNAL_NETWORKS } from '../../../core/query/internal-networks';
import { addSyntheticEvidence } from '../../helpers/synthetic-evidence';
import { tempDir } from '../../helpers/temp';

const T0 = Date.UTC(2024, 0, 12, 10, 0) * 1000;
const S = 1_000_000;
const ip = (t: string) => parseIp(t) as Ip;
const A = '10.0.0.5';
const B = '93.184.216.34';
const C = '10.0.0.9';
const D = '203.0.113.7';
const E = '198.51.100.10';
const F = '198.51.100.20';

function flow(src: string, sport: number, dst: string, dport: number, startS: number, durS: number, pk: number, by: number, rev?: [number, number], extra: Partial<FlowInput> = {}): FlowInput {
  return {
    pos: 0, startUs: T0 + startS * S, endUs: T0 + (startS + durS) * S, proto: 6, src: ip(src), dst: ip(dst), srcPort: sport, dstPort: dport,
    packets: pk, bytes: by, revPackets: rev?.[0], revBytes: rev?.[1], tcpFlags: 0x1b, revTcpFlags: rev ? 0x1b : undefined, ...extra,
  };
}

const EVIDENCE_1: FlowInput[] = [
  flow(A, 40001, B, 443, 0, 2, 10, 1000, [8, 6000]),
  flow(A, 40002, B, 443, 60, 1, 5, 500, [4, 2000]),
  flow(A, 40003, C, 22, 120, 1, 20, 3000, [20, 4000]),
  flow(D, 55555, A, 22, 180, 1, 3, 180, [2, 120], { tcpFlags: 0x02, revTcpFlags: 0x12 }),
  flow(D, 55556, A, 23, 181, 0, 1, 60, undefined, { tcpFlags: 0x02 }),
  flow(A, 40004, E, 21, 600, 60, 10, 800, [10, 900]),
  flow(A, 50000, E, 50001, 610, 5, 100, 100000, [50, 3000]),
  flow(A, 50002, F, 50003, 620, 1, 1, 100),
  { ...flow('fe80::1', 5353, 'ff02::fb', 5353, 700, 0, 1, 200), proto: 17, tcpFlags: undefined },
];
const EVIDENCE_2: FlowInput[] = [flow(A, 40005, B, 443, 3600, 1, 2, 100, [2, 100])];

const addEvidence = addSyntheticEvidence;

function summary(r: HostSummary | PivotFailure): HostSummary {
  if (isPivotFailure(r)) throw new Error(JSON.stringify(r.error));
  return r;
}

describe('query layer on a real case file', () => {
  const tmp = tempDir();
  let store: CaseStore;

  beforeAll(async () => {
    store = await CaseStore.open(`${tmp.dir}/case.duckdb`);
    await addEvidence(store, 1, EVIDENCE_1, 1);
  });
  afterAll(() => {
    store?.close();
    tmp.cleanup();
  });

  const isoToUs = (t: string) => parseTimeToMicros(t)!;
  const expectedA = {
    host: A, firstUs: isoToUs('2024-01-12T10:00:00.000Z'), lastUs: isoToUs('2024-01-12T10:11:00.000Z'), flows: 8,
    packetsOut: 148, packetsIn: 96, bytesOut: 105520, bytesIn: 16140,
  };

  it('hostSummary() answers from the flows table before any host index exists', async () => {
    expect(await hostIndexIsCurrent(store)).toBe(false);
    expect(summary(await hostSummary(store, A))).toMatchObject(expectedA);
  });

  it('rebuildHostIndex() builds once, then reports nothing to do', async () => {
    const first = await rebuildHostIndex(store);
    expect(first).toMatchObject({ mode: 'full', rows: 18, runs: 1 }); // 9 flows, each under both addresses
    expect((await rebuildHostIndex(store)).mode).toBe('none');
    expect(await hostIndexIsCurrent(store)).toBe(true);
  });

  it('hostSummary() gives totals, peers by bytes with internal marks, and ports by role', async () => {
    const s = summary(await hostSummary(store, A));
    expect(s).toMatchObject(expectedA);
    expect(s.peers.map((p) => [p.addr, p.flows, p.bytes, p.internal])).toEqual([
      [E, 2, 104700, false], [B, 2, 9500, false], [C, 1, 7000, true], [D, 2, 360, false], [F, 1, 100, false],
    ]);
    expect(s.peers[0]).toMatchObject({ packets: 170, firstUs: isoToUs('2024-01-12T10:10:00.000Z'), lastUs: isoToUs('2024-01-12T10:11:00.000Z') });
    expect(s.ports.map((p) => `${p.port}/${p.proto} ${p.role} ${p.flows} ${p.bytes}`)).toEqual([
      '443/6 client 2 9500', '50001/6 client 1 103000', '22/6 client 1 7000', '21/6 client 1 1700',
      '22/6 server 1 300', '50003/6 client 1 100', '23/6 server 1 60',
    ]);
  });

  it('hostSummary() reads IPv6 addresses above 2^127 (link-local, multicast) correctly', async () => {
    const s = summary(await hostSummary(store, 'ff02::fb'));
    expect(s).toMatchObject({ host: 'ff02::fb', flows: 1, bytesIn: 200, bytesOut: 0 });
    expect(s.peers).toEqual([expect.objectContaining({ addr: 'fe80::1', internal: true })]);
  });

  it('hostSummary() applies a window and a filter, and returns a bad filter as an error value', async () => {
    expect(summary(await hostSummary(store, A, { fromUs: T0 + 100 * S, toUs: T0 + 200 * S })).flows).toBe(3);
    expect(summary(await hostSummary(store, A, { filter: 'dst port 22 or port 23' })).flows).toBe(3);
    const bad = await hostSummary(store, A, { filter: 'prot tcp' });
    expect(isPivotFailure(bad) && bad.error.message).toBe("unknown keyword 'prot' at 1:1 — did you mean 'proto'?");
    const badAddr = await hostSummary(store, '10.0.0.256');
    expect(isPivotFailure(badAddr) && badAddr.error.message).toBe("'10.0.0.256' is not an IP address");
  });

  it('hostFlows() lists the host flows newest first with paging', async () => {
    const page = await hostFlows(store, A, { limit: 3 });
    if (isPivotFailure(page)) throw new Error('failed');
    expect(page.rows.map((r) => r.dstPort)).toEqual([50003, 50001, 21]);
    expect(page.rows[0]).toMatchObject({ srcAddr: A, dstAddr: F, packets: 1, bytes: 100, revBytes: null, evidenceId: 1 });
    const next = await hostFlows(store, A, { limit: 3, offset: 3 });
    if (isPivotFailure(next)) throw new Error('failed');
    expect(next.rows.map((r) => r.dstPort)).toEqual([23, 22, 22]);
  });

  it('flowsBetween() returns the flows of two hosts in both directions', async () => {
    const r = await flowsBetween(store, E, A);
    if (isPivotFailure(r)) throw new Error('failed');
    expect(r.rows.map((f) => f.dstPort)).toEqual([50001, 21]);
  });

  it('hostHistogram() puts each flow in the bin of its start', async () => {
    const h = await hostHistogram(store, A, { bins: 11, fromUs: T0, toUs: T0 + 660 * S });
    if (isPivotFailure(h)) throw new Error('failed');
    expect(h.binUs).toBe(60 * S);
    expect(h.bins.map((b) => b.flows)).toEqual([1, 1, 1, 2, 0, 0, 0, 0, 0, 0, 3]);
    expect(h.bins.reduce((t, b) => t + b.bytesOut, 0)).toBe(105520);
  });

  it('rebuildHostIndex() appends a new evidence file as a run and pivots include it', async () => {
    await addEvidence(store, 2, EVIDENCE_2, 10);
    expect(await hostIndexIsCurrent(store)).toBe(false);
    expect(await rebuildHostIndex(store)).toMatchObject({ mode: 'append', rows: 20, runs: 2 });
    expect(summary(await hostSummary(store, B)).flows).toBe(3);
    expect((await rebuildHostIndex(store, { full: true })).runs).toBe(1);
    expect(summary(await hostSummary(store, B)).flows).toBe(3);
  });

  it('flowTimeSeries() splits by service with the passive-FTP rule, by protocol and by direction', async () => {
    const series = async (split: 'service' | 'proto' | 'direction') => {
      const r = await flowTimeSeries(store, { fromUs: T0, toUs: T0 + 900 * S, binUs: 300 * S, split });
      if (isOverviewFailure(r)) throw new Error(r.error.message);
      return r;
    };
    const flat = (r: TimeSeries) => r.bins.map((b) => `${(b.startUs - T0) / S} ${b.key} ${b.flows} ${b.bytes}`);
    const svc = await series('service');
    expect(flat(svc)).toEqual(['0 https 2 9500', '0 ssh 2 7300', '0 telnet 1 60', '600 ftp 1 1700', '600 ftp-data 1 103000', '600 mdns 1 200', '600 other 1 100']);
    expect(svc.keys[0]).toBe('ftp-data');
    expect(svc.bins[0].bps).toBeCloseTo((9500 * 8) / 300, 9);
    expect(flat(await series('proto'))).toEqual(['0 tcp 5 16860', '600 tcp 3 104800', '600 udp 1 200']);
    expect(flat(await series('direction'))).toEqual(['0 inbound 2 360', '0 internal 1 7000', '0 outbound 2 9500', '600 outbound 4 105000']);
  });

  it('chooseBinUs() picks 5 minutes up to two days, hours up to 60 days, then days', () => {
    expect(chooseBinUs(2 * 86400 * S)).toBe(300 * S);
    expect(chooseBinUs(3 * 86400 * S)).toBe(3600 * S);
    expect(chooseBinUs(61 * 86400 * S)).toBe(86400 * S);
  });

  it('topTalkers() ranks hosts and estimates bandwidth over their active time', async () => {
    const r = await topTalkers(store, { by: 'bytes', limit: 2, toUs: T0 + 900 * S, fromUs: T0 });
    if (isOverviewFailure(r)) throw new Error('failed');
    expect(r[0]).toMatchObject({ addr: A, internal: true, flows: 8, bytes: 121660 });
    expect(r[0].bps).toBeCloseTo((121660 * 8) / 660, 6);
    expect(r[1].addr).toBe(E);
    const byFlows = await topTalkers(store, { by: 'flows', limit: 1 });
    expect(!isOverviewFailure(byFlows) && byFlows[0]).toMatchObject({ addr: A, flows: 9 });
  });

  it('incomingConnectionAttempts() counts outside-in attempts per port and which were answered', async () => {
    const r = await incomingConnectionAttempts(store);
    expect(r).toEqual([
      { proto: 6, port: 22, attempts: 1, answered: 1, refused: 0, unanswered: 0, sources: 1, targets: 1 },
      { proto: 6, port: 23, attempts: 1, answered: 0, refused: 0, unanswered: 1, sources: 1, targets: 1 },
    ]);
  });

  it('hostCounts() counts hosts inside and outside and flows by protocol', async () => {
    expect(await hostCounts(store, { toUs: T0 + 900 * S })).toMatchObject({ hosts: 8, internalHosts: 3, externalHosts: 5, flows: 9, tcp: 8, udp: 1, icmp: 0 });
  });

  it('setInternalNetworks() validates, normalises, changes direction and writes the audit log', async () => {
    expect(await getInternalNetworks(store)).toEqual(DEFAULT_INTERNAL_NETWORKS);
    expect(await setInternalNetworks(store, ['10.0.0.0/33'])).toEqual({ ok: false, message: "'10.0.0.0/33' is not a network (write e.g. 10.0.0.0/8 or 2001:db8::/32)" });
    expect(await setInternalNetworks(store, ['10.0.0.7/24', '198.51.100.0/24'])).toEqual({ ok: true, networks: ['10.0.0.0/24', '198.51.100.0/24'] });
    const audit = await store.one<{ action: string; detail: string }>(`SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1`);
    expect(audit?.action).toBe('settings.internal_networks');
    expect(JSON.parse(audit!.detail).after).toEqual(['10.0.0.0/24', '198.51.100.0/24']);
    const r = await flowTimeSeries(store, { fromUs: T0 + 600 * S, toUs: T0 + 900 * S, binUs: 300 * S, split: 'direction' });
    expect(!isOverviewFailure(r) && r.bins.map((b) => `${b.key} ${b.flows}`)).toEqual(['external 1', 'internal 3']);
    await setInternalNetworks(store, DEFAULT_INTERNAL_NETWORKS);
  });
});

describe('rebuildHostIndex() on a case indexed by an earlier layout', () => {
  it('rebuilds the index instead of reading columns that are not there', async () => {
    const tmp = tempDir();
    const store = await CaseStore.open(`${tmp.dir}/old.duckdb`);
    try {
      await addEvidence(store, 1, EVIDENCE_1, 1);
      await store.run(`CREATE TABLE host_flows AS SELECT src_ip AS addr, dst_ip AS peer, start_us, flow_id FROM flows`);
      await store.run(`CREATE TABLE host_flows_runs AS SELECT evidence_id, 1 AS run FROM evidence`);
      expect(await hostIndexIsCurrent(store)).toBe(false);
      expect(summary(await hostSummary(store, A)).flows).toBe(8);
      expect(await rebuildHostIndex(store)).toMatchObject({ mode: 'full', rows: 18 });
      expect(summary(await hostSummary(store, A)).flows).toBe(8);
    } finally {
      store.close();
      tmp.cleanup();
    }
  });
});
