import { compileUserFilter } from '../../query/user-filter';
import { getInternalNetworks } from '../../query/internal-networks';
import { ipToBigInt, parseIp } from '../../model/ip';
import type { CaseStore } from '../../store/case-store';
import { ensureSessions } from '../sessions/ensure-sessions';
import type { DetectionKind, DetectionRun } from './detection-types';
import { applyExclusions, lastRun, listExclusions, thresholdsOf } from './detection-store';
import type { DetectContext, Detector, Finding } from './detector';
import { DETECTORS } from './registry';

export interface RunOptions {
  fromUs?: number | null;
  toUs?: number | null;
  baselineUntilUs?: number | null;
  only?: readonly DetectionKind[] | null;
  nowUs?: number;
  actor?: string;
}

/** At most this many detections per detector and run (the strongest); the run records how many were cut. */
export const MAX_PER_DETECTOR = 200;

interface Counted extends Finding { detector: Detector; flows: number; bytes: number }

/**
 * Runs the detectors and replaces the stored detections of the kinds that ran. A detection an
 * active exclusion matches is stored as 'suppressed' (never dropped). The run, its window,
 * thresholds, detector versions and the exclusions in force are recorded and audited.
 */
export async function runDetections(store: CaseStore, o: RunOptions = {}): Promise<DetectionRun> {
  const started = performance.now();
  const nowUs = o.nowUs ?? Date.now() * 1000;
  await ensureSessions(store);
  const ctx: DetectContext = {
    store, internal: await getInternalNetworks(store), nowUs,
    range: { fromUs: o.fromUs ?? null, toUs: o.toUs ?? null, baselineUntilUs: o.baselineUntilUs ?? null },
  };
  const thresholds = await thresholdsOf(store);
  const detectors = DETECTORS.filter((d) => !o.only || o.only.includes(d.kind));
  const found: Counted[] = [];
  const cut: Record<string, number> = {};
  for (const d of detectors) {
    let list = await d.run(ctx, thresholds.get(d.kind) ?? {});
    // A detector that fires hundreds of times is describing the network, not an attack: keep its strongest.
    if (list.length > MAX_PER_DETECTOR) {
      cut[d.kind] = list.length - MAX_PER_DETECTOR;
      list = [...list].sort((a, b) => b.score - a.score).slice(0, MAX_PER_DETECTOR);
    }
    found.push(...(await countEvidence(store, list)).map((f) => ({ ...f, detector: d })));
  }
  const exclusions = await listExclusions(store);
  const run = await store.transaction(async () => {
    const runId = Number(await store.value(`SELECT nextval('detection_run_seq')`));
    if (o.only) {
      for (const k of o.only) await store.run(`DELETE FROM detections WHERE kind = $k`, { k });
    } else await store.run(`DELETE FROM detections`);
    for (const f of found) await insertFinding(store, runId, f);
    const suppressed = await applyExclusions(store);
    const used = detectors.map((d) => ({ name: d.kind, version: d.version, thresholds: thresholds.get(d.kind) ?? {},
      ...(cut[d.kind] ? { cut: cut[d.kind] } : {}) }));
    const elapsedMs = performance.now() - started;
    await store.run(
      `INSERT INTO detection_runs VALUES ($id, $at, $from, $to, $base, $only, $detectors, $exclusions, $n, $sup, $ms, NULL)`,
      { id: BigInt(runId), at: BigInt(Math.round(nowUs)), from: big(o.fromUs), to: big(o.toUs), base: big(o.baselineUntilUs),
        only: o.only ? JSON.stringify(o.only) : null, detectors: JSON.stringify(used), exclusions: JSON.stringify(exclusions),
        n: found.length, sup: suppressed, ms: elapsedMs },
    );
    await store.audit('detections.run', { runId, fromUs: o.fromUs ?? null, toUs: o.toUs ?? null, baselineUntilUs: o.baselineUntilUs ?? null,
      only: o.only ?? null, detections: found.length, suppressed, exclusions: exclusions.map((x) => x.id), cut }, o.actor ?? 'user');
    return runId;
  });
  void run;
  return (await lastRun(store))!;
}

const big = (v: number | null | undefined): bigint | null => (v === null || v === undefined ? null : BigInt(Math.round(v)));

/**
 * Flows, bytes and first/last flow of each finding, counted through its evidence filter (the
 * language's own compiler), so `flowcase flows --filter <evidence>` lists exactly these flows.
 * A finding whose filter selects nothing is dropped: it could not be shown to anyone.
 */
async function countEvidence(store: CaseStore, list: Finding[]): Promise<(Finding & { flows: number; bytes: number })[]> {
  const out: (Finding & { flows: number; bytes: number })[] = [];
  for (let i = 0; i < list.length; i += 40) {
    const chunk = list.slice(i, i + 40);
    const params: Record<string, bigint | number | string | boolean | null> = {};
    const parts = chunk.map((f, j) => {
      const c = compileUserFilter(f.evidence, { paramPrefix: `e${letters(j)}x` });
      Object.assign(params, c.params);
      return `SELECT ${j} AS j, count(*) AS n, coalesce(sum(bytes), 0) AS b, min(start_us) AS t0, max(end_us) AS t1 FROM flows_counted WHERE ${c.sql}`;
    });
    const rows = await store.all(parts.join(' UNION ALL '), params);
    for (const r of rows) {
      const f = chunk[Number(r.j)];
      const n = Number(r.n);
      if (n === 0) continue;
      out.push({ ...f, flows: n, bytes: Number(r.b), startUs: Number(r.t0), endUs: Number(r.t1) });
    }
  }
  return out;
}

function letters(i: number): string {
  let s = '';
  do { s = String.fromCharCode(97 + (i % 26)) + s; i = Math.floor(i / 26); } while (i > 0);
  return s;
}

const addr = (a: string | null): string | null => {
  if (!a) return null;
  const ip = parseIp(a);
  return ip === null ? null : ipToBigInt(ip).toString();
};

async function insertFinding(store: CaseStore, runId: number, f: Counted): Promise<void> {
  const id = Number(await store.value(`SELECT nextval('detection_seq')`));
  await store.run(
    `INSERT INTO detections (detection_id, run_id, kind, severity, score, src_ip, dst_ip, targets, ports, start_us, end_us, flows, bytes, attack,
       summary, evidence, status, detector, detector_version, ports_total, exclusion_id, facts)
     VALUES ($id, $run, $kind, $sev, $score, CAST($src AS UHUGEINT), CAST($dst AS UHUGEINT), $targets, CAST($ports AS USMALLINT[]), $t0, $t1, $flows,
       $bytes, $attack, $summary, $evidence, 'open', $det, $ver, $ptotal, NULL, $facts)`,
    { id: BigInt(id), run: BigInt(runId), kind: f.kind, sev: f.severity, score: Math.round(f.score * 1000) / 1000, src: addr(f.src), dst: addr(f.dst),
      targets: f.targets, ports: `[${f.ports.join(',')}]`, t0: BigInt(f.startUs), t1: BigInt(f.endUs), flows: BigInt(f.flows), bytes: BigInt(f.bytes),
      attack: f.attack, summary: f.summary, evidence: f.evidence, det: f.detector.kind, ver: f.detector.version, ptotal: f.portsTotal,
      facts: JSON.stringify(f.facts) },
  );
}

/**
 * After an import: when the detectors ran on this case before, run them again with the last
 * run's window, baseline and kinds, so stored detections follow the evidence. A case nobody
 * ran detections on is left alone (no cost to imports of cases that do not use them).
 */
export async function rerunAfterImport(store: CaseStore): Promise<DetectionRun | null> {
  const last = await lastRun(store);
  if (!last) return null;
  return runDetections(store, { fromUs: last.fromUs, toUs: last.toUs, baselineUntilUs: last.baselineUntilUs, only: last.only, actor: 'flowcase' });
}
