import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../core/formats/index';
import type { ImportDoneEvent } from '../../../core/api/contract';
import { FlowcaseService } from '../../../core/api/flowcase-service';
import { CaseStore } from '../../../core/store/case-store';
import { RecentCases } from '../../../core/store/recent-cases';
import { BREACH, writeBreachCapture } from '../../helpers/breach-capture';
import { writeRouterExport } from '../../helpers/router-export';
import { runFlowcase } from '../../helpers/run-cli';
import { writeEvidence } from '../../helpers/victim-case';
import { tempDir } from '../../helpers/temp';

/**
 * #11 "the same traffic imported twice doubles every total": the breach capture and an
 * nfcapd file of the same conversations as a router exports them (one unidirectional record
 * per direction) in one case must total what the capture alone totals.
 */
const t = tempDir('flowcase-overlap-');
const pcap = join(t.dir, 'sensor.pcap');
const nfcapd = join(t.dir, 'router.nfcapd');
const shifted = join(t.dir, 'router-next-day.nfcapd');
const single = join(t.dir, 'single.duckdb');

interface Json { [k: string]: unknown }
const cli = async (...args: string[]): Promise<Json> => {
  const r = await runFlowcase(args);
  if (r.code !== 0) throw new Error(`flowcase ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Json;
};
/** The pivot with its ports in a fixed order (ties in flows and bytes come in any order). */
const sortedPorts = (p: Json): Json => ({ ...p, ports: [...(p.ports as Json[])].sort((a, b) => Number(a.port) - Number(b.port) || String(a.role).localeCompare(String(b.role))) });
const exfilPeer = (p: Json) => (p.peers as Json[]).find((x) => x.addr === BREACH.exfil)!;

let alone: Json;
let alonePivot: Json;
let routerRecords = 0;
let aloneBytesOut = 0;
let svc: FlowcaseService;

/** Imports in process, as the CLI's import does (one service, one case at a time). */
async function importInto(casePath: string, paths: string[]): Promise<ImportDoneEvent['results']> {
  await svc.openCase(casePath);
  const done = new Promise<ImportDoneEvent>((resolve) => {
    const off = svc.on('import.done', (e) => { off(); resolve(e); });
  });
  await svc.call('import.start', { paths });
  const r = (await done).results;
  await svc.closeCase();
  return r;
}

beforeAll(async () => {
  svc = new FlowcaseService({ transport: 'web', recent: new RecentCases(join(t.dir, 'home')) });
  writeBreachCapture(pcap);
  await importInto(single, [pcap]);
  await svc.openCase(single);
  aloneBytesOut = (await svc.invoke('assess.run', { hosts: [BREACH.victim], sinceUs: BREACH.t0Us })).bytes_out;
  await svc.closeCase();
  routerRecords = await writeRouterExport(single, nfcapd);
  await writeRouterExport(single, shifted, 86_400_000);
  alone = await cli('stats', single, '--json');
  alonePivot = await cli('pivot', single, BREACH.victim, '--json');
}, 180_000);
afterAll(async () => {
  await svc?.dispose();
  t.cleanup();
});

const both = (first: 'pcap' | 'nfcapd') => join(t.dir, `both-${first}-first.duckdb`);

describe('overlapping evidence (#11)', () => {
  it('the router export holds two records for most conversations, and alone it totals what the capture totals', async () => {
    const c = join(t.dir, 'router-only.duckdb');
    await importInto(c, [nfcapd]);
    await svc.openCase(c);
    const s = await svc.invoke('flows.stats', {});
    await svc.closeCase();
    expect(s.flows).toBe(routerRecords);
    expect(routerRecords).toBeGreaterThan(Number(alone.flows));
    expect(s.bytes).toBe(alone.bytes);
    expect(s.packets).toBe(alone.packets);
  }, 120_000);

  for (const first of ['pcap', 'nfcapd'] as const) {
    it(`with the ${first} imported first: the import says the files overlap, figures count each conversation once, 'all' gives the raw sums`, async () => {
      const files = { pcap, nfcapd };
      const c = both(first);
      await importInto(c, [files[first]]);
      const second = await importInto(c, [first === 'pcap' ? nfcapd : pcap]);
      const notice = (second[0].issues ?? []).find((i) => i.code === 'overlap');
      expect(notice, JSON.stringify(second[0].issues)).toBeDefined();
      expect(notice!.message).toMatch(/the same traffic as evidence #1 (sensor\.pcap|router\.nfcapd): \d+ conversations/);
      // The capture is the richer source: its records are counted, whichever came first.
      expect(notice!.message).toContain(first === 'pcap' ? 'the records of #1 sensor.pcap are counted' : "this file's records are counted");

      await svc.openCase(c);
      try {
        const s = await svc.invoke('flows.stats', {});
        expect({ flows: s.flows, packets: s.packets, bytes: s.bytes, first: s.first, last: s.last })
          .toEqual({ flows: alone.flows, packets: alone.packets, bytes: alone.bytes, first: alone.first, last: alone.last });
        expect(s.excludedFlows).toBe(routerRecords);
        const all = await svc.invoke('flows.stats', { evidence: 'all' });
        expect(all.flows).toBe(Number(alone.flows) + routerRecords);
        expect(all.bytes).toBe(2 * Number(alone.bytes));
        // One file alone: the router's records are its own totals (nothing richer in the choice).
        const routerOnly = await svc.invoke('flows.stats', { evidence: [first === 'nfcapd' ? 1 : 2] });
        expect({ flows: routerOnly.flows, bytes: routerOnly.bytes }).toEqual({ flows: routerRecords, bytes: alone.bytes });

        const h = await svc.invoke('pivot.host', { addr: BREACH.victim });
        const hAll = await svc.invoke('pivot.host', { addr: BREACH.victim, evidence: 'all' });
        expect(hAll.bytesOut).toBe(2 * h.bytesOut);
        expect(h.peers.find((p) => p.addr === BREACH.exfil)!.bytes).toBe(exfilPeer(alonePivot).bytes);
        const hist = await svc.invoke('pivot.histogram', { addr: BREACH.victim });
        expect(hist.bins.reduce((a, b) => a + b.bytesOut, 0)).toBe(h.bytesOut);

        const counts = await svc.invoke('overview.counts', {});
        expect({ flows: counts.flows, bytes: counts.bytes }).toEqual({ flows: alone.flows, bytes: alone.bytes });
        const talkers = await svc.invoke('overview.talkers', { by: 'bytes', limit: 5 });
        expect(talkers.find((x) => x.addr === BREACH.victim)!.bytes).toBe(h.bytesOut + h.bytesIn);
        const series = await svc.invoke('overview.series', { split: 'total' });
        expect(series.bins.reduce((a, b) => a + b.bytes, 0)).toBe(alone.bytes);

        // The breach assessment (what a report cites) counts the exfiltration once, and says so.
        const a = await svc.invoke('assess.run', { hosts: [BREACH.victim], sinceUs: BREACH.t0Us });
        expect(a.bytes_out).toBe(aloneBytesOut);
        expect(a.bytes_out).toBeGreaterThan(400_000);
        expect(a.qualifiers.map((q) => q.code)).toContain('counted-once');

        // The evidence view tells the analyst too.
        const ev = await svc.invoke('evidence.list', {});
        expect(ev.every((e) => e.overlaps.length === 1)).toBe(true);
        expect(ev.find((e) => e.format === 'nfcapd')!.overlaps[0]).toMatchObject({ otherName: 'sensor.pcap', counted: false, shadowedFlows: routerRecords });
      } finally {
        await svc.closeCase();
      }
    }, 180_000);
  }

  it('flowcase stats --json and pivot --json print the de-duplicated figures; --evidence all the raw ones', async () => {
    const c = both('nfcapd');
    const s = await cli('stats', c, '--json');
    expect({ flows: s.flows, packets: s.packets, bytes: s.bytes, first: s.first, last: s.last })
      .toEqual({ flows: alone.flows, packets: alone.packets, bytes: alone.bytes, first: alone.first, last: alone.last });
    expect(s.excluded_flows).toBe(routerRecords);
    expect(sortedPorts(await cli('pivot', c, BREACH.victim, '--json'))).toEqual(sortedPorts(alonePivot));
    const all = await cli('pivot', c, BREACH.victim, '--json', '--evidence', 'all');
    expect(exfilPeer(all).bytes).toBe(2 * Number(exfilPeer(alonePivot).bytes));
  }, 180_000);

  it('does not merge evidence of the same hosts and ports at other times', async () => {
    const c = join(t.dir, 'disjoint.duckdb');
    await importInto(c, [pcap]);
    const second = await importInto(c, [shifted]);
    expect((second[0].issues ?? []).filter((i) => i.code === 'overlap')).toEqual([]);
    await svc.openCase(c);
    const s = await svc.invoke('flows.stats', {});
    await svc.closeCase();
    expect(s.flows).toBe(Number(alone.flows) + routerRecords);
    expect(s.bytes).toBe(2 * Number(alone.bytes));
    expect(s.excludedFlows).toBe(0);
  }, 120_000);

  it('compares evidence imported before overlap detection when the case is next opened', async () => {
    const c = join(t.dir, 'older.duckdb');
    const store = await CaseStore.open(c);
    const flow = { src: BREACH.victim, dst: BREACH.exfil, sp: 52000, dp: 443, t0: 1200, t1: 1206, pkts: 300, bytes: 420_000 };
    // Written straight into the case (no import hooks), as a case from before schema 8 holds them.
    await writeEvidence(store, [{ name: 'old.pcap', format: 'pcap', flows: [flow] }, { name: 'old.nfcapd', format: 'nfcapd', flows: [flow] }]);
    store.close();
    await svc.openCase(c);
    try {
      expect(await svc.invoke('flows.stats', {})).toMatchObject({ flows: 1, bytes: 420_000, excludedFlows: 1 });
    } finally {
      await svc.closeCase();
    }
  }, 60_000);

  it('refuses an --evidence value it cannot read', async () => {
    const r = await runFlowcase(['stats', single, '--evidence', 'most']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--evidence is all, counted or evidence ids (1,3), not 'most'");
  }, 60_000);
});
