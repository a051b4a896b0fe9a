import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listDetections } from '../../../../core/analysis/detect/detection-store';
import type { DetectionKind } from '../../../../core/analysis/detect/detection-types';
import { runDetections } from '../../../../core/analysis/detect/run-detections';
import { compileUserFilter } from '../../../../core/query/user-filter';
import { CaseStore } from '../../../../core/store/case-store';
import { buildScenario, writeScenario } from '../../../helpers/scenario';
import { tempDir } from '../../../helpers/temp';
import { us, writeEvidence, type VFlow } from '../../../helpers/victim-case';

const SYN = 2, ACK = 16, PSH = 8, FIN = 1, RST = 4;
let cleanups: (() => void)[] = [];
afterEach(() => { cleanups.forEach((c) => c()); cleanups = []; });

async function caseWith(flows: VFlow[]): Promise<CaseStore> {
  const tmp = tempDir('flowcase-detect-');
  const store = await CaseStore.open(join(tmp.dir, 'c.duckdb'));
  cleanups.push(() => { store.close(); tmp.cleanup(); });
  if (flows.length) await writeEvidence(store, [{ name: 'capture.argus', format: 'argus', flows }]);
  return store;
}

function rng(seed: number): () => number {
  let a = seed;
  return () => { a = (a * 1103515245 + 12345) % 2147483648; return a / 2147483648; };
}

const conn = (c: string, s: string, dp: number, t0: number, dur: number, out: number, back: number, sp = 40000 + Math.floor(t0) % 20000): VFlow => ({
  src: c, dst: s, sp, dp, t0, t1: t0 + dur, pkts: Math.max(3, Math.ceil(out / 1400)), bytes: out, flags: SYN | ACK | PSH | FIN,
  revPkts: Math.max(3, Math.ceil(back / 1400)), revBytes: back, revFlags: SYN | ACK | PSH | FIN,
});

async function detect(store: CaseStore, only?: DetectionKind[]) {
  await runDetections(store, { only });
  const found = await listDetections(store);
  for (const d of found) {
    const f = compileUserFilter(d.evidence);
    expect(Number(await store.value(`SELECT count(*) FROM flows WHERE ${f.sql}`, f.params)), d.evidence).toBe(d.flows);
  }
  return found;
}

describe('beacon', () => {
  it('finds a callback every 10 minutes with ±30 % jitter and similar sizes', async () => {
    const r = rng(7);
    const flows: VFlow[] = [];
    for (let t = 0; t < 6 * 3600; t += 600 * (0.7 + 0.6 * r())) flows.push(conn('10.0.0.7', '185.1.1.1', 443, t, 0.4, 1900 + Math.floor(r() * 300), 3200 + Math.floor(r() * 300)));
    const found = await detect(await caseWith(flows), ['beacon']);
    expect(found).toHaveLength(1);
    expect([found[0].src, found[0].dst, found[0].attack]).toEqual(['10.0.0.7', '185.1.1.1', 'T1071']);
    expect(found[0].score).toBeGreaterThanOrEqual(0.7);
    expect(Number(found[0].facts.median_interval_s)).toBeGreaterThan(500);
    expect(found[0].summary).toMatch(/^10\.0\.0\.7 called 185\.1\.1\.1:443 \d+ times over [56]\.\d h, every (9|10|11) min \(±\d+ %\)/);
  });

  it('stays quiet on irregular use of one site (random gaps, varied sizes)', async () => {
    const r = rng(3);
    const flows: VFlow[] = [];
    for (let t = 0; t < 6 * 3600; t += -600 * Math.log(1 - r())) flows.push(conn('10.0.0.7', '185.1.1.1', 443, t, 5, Math.floor(500 + 50_000 * r() ** 3), Math.floor(1000 + 2e6 * r() ** 2)));
    expect(await detect(await caseWith(flows), ['beacon'])).toEqual([]);
  });

  it('leaves internal pollers and NTP alone', async () => {
    const flows: VFlow[] = [];
    for (let t = 0; t < 4 * 3600; t += 60) flows.push(conn('10.0.0.200', '10.0.0.9', 443, t, 0.2, 700, 3000));
    for (let t = 0; t < 4 * 3600; t += 64) flows.push({ src: '10.0.0.123', dst: '162.159.200.1', sp: 123, dp: 123, proto: 17, t0: t, pkts: 1, bytes: 76, revPkts: 1, revBytes: 76 });
    expect(await detect(await caseWith(flows), ['beacon'])).toEqual([]);
  });
});

describe('peer-to-peer', () => {
  it('hundreds of peers on high ports, both ways and half failing, raise nothing', async () => {
    const s = await caseWith([]);
    await writeScenario(s, buildScenario(5, [], 3, ['p2p']), 'bidirectional');
    expect(await detect(s)).toEqual([]);
  });
});

describe('brute force', () => {
  it('reports many similar short SSH sessions and the first different one as the likely success', async () => {
    const flows: VFlow[] = [];
    for (let i = 0; i < 40; i++) flows.push(conn('203.0.113.5', '10.0.0.22', 22, 100 + i * 2, 1.5, 2200 + (i % 5) * 20, 2700 + (i % 3) * 30, 50000 + i));
    flows.push(conn('203.0.113.5', '10.0.0.22', 22, 190, 1200, 80_000, 400_000, 51000));
    const found = await detect(await caseWith(flows), ['brute_force']);
    expect(found).toHaveLength(1);
    const d = found[0];
    expect([d.src, d.dst, d.ports, d.attack, d.flows]).toEqual(['203.0.113.5', '10.0.0.22', [22], 'T1110', 41]);
    expect(d.facts.likely_success_at).toBe('2024-03-12T09:03:10.000Z');
    expect(d.summary).toMatch(/opened 41 short sessions to 10\.0\.0\.22:22 .* likely success$/);
    expect(d.startUs).toBe(us(100));
  });

  it('a monitoring check every minute is not brute force', async () => {
    const flows: VFlow[] = [];
    for (let i = 0; i < 240; i++) flows.push(conn('10.0.0.200', '10.0.0.22', 22, i * 60, 1, 2200, 2700, 50000 + i));
    expect(await detect(await caseWith(flows), ['brute_force'])).toEqual([]);
  });
});

describe('slow scan (TRW)', () => {
  it('declares a source whose first contacts keep failing, two minutes apart', async () => {
    const flows: VFlow[] = [];
    for (let i = 0; i < 30; i++) flows.push({ src: '198.51.100.9', dst: `10.0.0.${i + 10}`, sp: 40000 + i, dp: 22, t0: i * 120, pkts: 1, bytes: 44, flags: SYN, ...(i % 3 ? {} : { revPkts: 1, revBytes: 40, revFlags: RST | ACK }) });
    const found = await detect(await caseWith(flows), ['slow_scan', 'host_scan', 'port_scan']);
    expect(found.map((d) => [d.kind, d.src])).toEqual([['slow_scan', '198.51.100.9']]);
    expect(found[0].facts.declared_after).toBe(4);
  });

  it('a client whose connections work is benign, however many hosts it reaches', async () => {
    const flows: VFlow[] = [];
    for (let i = 0; i < 60; i++) flows.push(conn('10.0.0.5', `10.0.1.${i + 1}`, 445, i * 120, 2, 3000, 9000));
    expect(await detect(await caseWith(flows), ['slow_scan', 'host_scan'])).toEqual([]);
  });
});

describe('exfiltration', () => {
  it('finds 40 MB leaving in small flows over hours, not the large downloads', async () => {
    const flows: VFlow[] = [];
    for (let i = 0; i < 160; i++) flows.push(conn('10.0.0.44', '45.77.1.9', 443, i * 90, 5, 250_000, 5_000));
    for (let i = 0; i < 5; i++) flows.push(conn('10.0.0.44', `151.101.0.${i + 1}`, 443, i * 3000, 60, 40_000, 300e6));
    for (let i = 0; i < 5; i++) flows.push(conn('10.0.0.44', `151.101.1.${i + 1}`, 443, i * 3000 + 7, 5, 3_000, 90_000));
    const found = await detect(await caseWith(flows), ['exfiltration']);
    expect(found).toHaveLength(1);
    expect([found[0].src, found[0].dst, found[0].bytes, found[0].attack]).toEqual(['10.0.0.44', '45.77.1.9', 40_000_000, 'T1048']);
    expect(found[0].facts.slow).toBe(true);
  });
});
