import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectOverlap, listOverlaps } from '../../../core/analysis/evidence-overlap';
import { queryStats } from '../../../core/query/flow-stats';
import { hostSummary, isPivotFailure } from '../../../core/query/pivot-queries';
import { CaseStore } from '../../../core/store/case-store';
import { tempDir } from '../../helpers/temp';
import { D1, E1, V, writeEvidence, type VFlow } from '../../helpers/victim-case';

/**
 * One exfiltration (V -> D1:443, 10 MB out, 40 kB back) seen three ways: packets (pcap),
 * a bidirectional connection log (Zeek), and a router's unidirectional NetFlow cut by its
 * active timeout (two records each way). The router also holds a conversation nobody else
 * saw, and a long one split over two rotated files of the same exporter.
 */
const X_OUT = 10_000_000;
const X_IN = 40_000;
const capture: VFlow[] = [
  { src: V, dst: D1, sp: 53000, dp: 443, t0: 100, t1: 220, pkts: 7200, bytes: X_OUT, revPkts: 3600, revBytes: X_IN },
  { src: V, dst: '10.0.0.53', sp: 50000, dp: 53, proto: 17, t0: 130, t1: 130, pkts: 1, bytes: 70, revPkts: 1, revBytes: 120 },
];
const zeek: VFlow[] = [{ src: V, dst: D1, sp: 53000, dp: 443, t0: 100.4, t1: 219.8, pkts: 7200, bytes: X_OUT, revPkts: 3600, revBytes: X_IN }];
const router: VFlow[] = [
  { src: V, dst: D1, sp: 53000, dp: 443, t0: 100, t1: 160, pkts: 3600, bytes: X_OUT / 2 },
  { src: V, dst: D1, sp: 53000, dp: 443, t0: 160, t1: 220, pkts: 3600, bytes: X_OUT / 2 },
  { src: D1, dst: V, sp: 443, dp: 53000, t0: 100, t1: 160, pkts: 1800, bytes: X_IN / 2 },
  { src: D1, dst: V, sp: 443, dp: 53000, t0: 160, t1: 220, pkts: 1800, bytes: X_IN / 2 },
  { src: V, dst: '192.0.2.99', sp: 53100, dp: 22, t0: 150, t1: 170, pkts: 10, bytes: 1000 },
  { src: V, dst: '192.0.2.98', sp: 53200, dp: 8443, t0: 0, t1: 300, pkts: 10, bytes: 5000 },
];
const routerNext: VFlow[] = [{ src: V, dst: '192.0.2.98', sp: 53200, dp: 8443, t0: 300, t1: 600, pkts: 10, bytes: 5000 }];

const t = tempDir('flowcase-overlap-unit-');
let store: CaseStore;
let ids: Record<'pcap' | 'router' | 'next' | 'zeek', number>;

beforeAll(async () => {
  store = await CaseStore.open(`${t.dir}/c.duckdb`);
  const [pcap, r, next] = await writeEvidence(store, [
    { name: 'sensor.pcap', format: 'pcap', flows: capture },
    { name: 'router-1.nfcapd', format: 'nfcapd', exporter: E1, flows: router },
    { name: 'router-2.nfcapd', format: 'nfcapd', exporter: E1, flows: routerNext },
  ]);
  const first = await detectOverlap(store);
  expect(first.checked).toEqual([pcap, r, next]);
  // The Zeek log arrives later: only it is compared with the rest.
  const [z] = await writeEvidence(store, [{ name: 'conn.log', format: 'zeek-conn', flows: zeek }]);
  const second = await detectOverlap(store);
  expect(second.checked).toEqual([z]);
  ids = { pcap, router: r, next, zeek: z };
});
afterAll(() => {
  store?.close();
  t.cleanup();
});

const ALL_BYTES = 3 * (X_OUT + X_IN) + 70 + 120 + 1000 + 5000 + 5000;

describe('overlapping evidence', () => {
  it('counts the exfiltration once, from the capture; what only the router saw stays counted', async () => {
    const s = await queryStats(store);
    expect(s.bytes).toBe(X_OUT + X_IN + 70 + 120 + 1000 + 5000 + 5000);
    expect(s.flows).toBe(2 + 3);
    expect(s.excludedFlows).toBe(4 + 1);
    expect(Number(await store.value(`SELECT count(*) FROM flows_counted`))).toBe(5);
    const all = await queryStats(store, undefined, 'all');
    expect(all.bytes).toBe(ALL_BYTES);
    const h = await hostSummary(store, V);
    if (isPivotFailure(h)) throw new Error(h.error.message);
    expect(h.peers.find((p) => p.addr === D1)).toMatchObject({ bytes: X_OUT + X_IN, flows: 1 });
  });

  it('a choice of files counts each conversation once among them, from the richest of them', async () => {
    const zr = await queryStats(store, undefined, [ids.zeek, ids.router, ids.next]);
    expect(zr.bytes).toBe(X_OUT + X_IN + 1000 + 5000 + 5000);
    expect(zr.flows).toBe(1 + 3);
    const r = await queryStats(store, undefined, [ids.router]);
    expect(r.bytes).toBe(X_OUT + X_IN + 1000 + 5000);
    expect(r.flows).toBe(6);
  });

  it('records the pairs of files and whose records count, and not the rotated files of one exporter', async () => {
    const pairs = await listOverlaps(store);
    expect(pairs.map((p) => [p.evidenceId, p.otherId, p.conversations, p.flows, p.otherFlows, p.shadowedFlows, p.otherShadowedFlows, p.countedId])).toEqual([
      [ids.pcap, ids.router, 1, 1, 4, 0, 4, ids.pcap],
      [ids.pcap, ids.zeek, 1, 1, 1, 0, 1, ids.pcap],
      [ids.router, ids.zeek, 1, 4, 1, 4, 0, ids.zeek],
    ]);
    const shadowedNext = Number(await store.value(`SELECT count(*) FROM flow_shadow WHERE evidence_id = $e`, { e: ids.next }));
    expect(shadowedNext).toBe(0);
  });

  it('does nothing the second time', async () => {
    const again = await detectOverlap(store);
    expect(again).toMatchObject({ checked: [], shadowRows: 0, pairs: [] });
  });
});
