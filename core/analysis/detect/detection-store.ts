import { ipToBigInt, parseIp } from '../../model/ip';
import type { CaseStore } from '../../store/case-store';
import type {
  Detection, DetectionKind, DetectionRun, DetectionStatus, DetectorThreshold, Exclusion, ExclusionScope, HostAlertScore, Severity,
} from './detection-types';
import { exclusionMatches, scopeText } from './exclusion-match';
import { DETECTORS } from './registry';
import { ipText, num } from './detect-sql';

/**
 * The detections tables (schema 7): runs, detections, exclusions, thresholds. Every change an
 * analyst makes (exclusion, threshold) and every run writes an audit_log row.
 */

// ---- thresholds ----------------------------------------------------------------------------

/** Every detector's thresholds: the registry's defaults with the case's overrides. */
export async function listThresholds(store: CaseStore): Promise<DetectorThreshold[]> {
  const overrides = await store.all<{ detector: string; name: string; value: number }>(`SELECT detector, name, value FROM detector_thresholds`);
  const out: DetectorThreshold[] = [];
  for (const d of DETECTORS) {
    for (const [name, spec] of Object.entries(d.thresholds)) {
      const o = overrides.find((x) => x.detector === d.kind && x.name === name);
      out.push({ detector: d.kind, name, value: o ? Number(o.value) : spec.value, defaultValue: spec.value, help: spec.help });
    }
  }
  return out;
}

export async function thresholdsOf(store: CaseStore): Promise<Map<string, Record<string, number>>> {
  const map = new Map<string, Record<string, number>>();
  for (const t of await listThresholds(store)) {
    const m = map.get(t.detector) ?? {};
    m[t.name] = t.value;
    map.set(t.detector, m);
  }
  return map;
}

export class DetectionInputError extends Error {
  constructor(readonly code: 'not-found' | 'bad-arguments', message: string) {
    super(message);
    this.name = 'DetectionInputError';
  }
}

/** Sets (value) or resets to the default (null) one threshold; audited. */
export async function setThreshold(store: CaseStore, detector: string, name: string, value: number | null, actor = 'user'): Promise<DetectorThreshold> {
  const current = (await listThresholds(store)).find((t) => t.detector === detector && t.name === name);
  if (!current) {
    const names = (await listThresholds(store)).filter((t) => t.detector === detector).map((t) => t.name);
    throw new DetectionInputError('not-found', names.length ? `${detector} has no threshold '${name}' (it has ${names.join(', ')})`
      : `no detector '${detector}' (detectors: ${DETECTORS.map((d) => d.kind).join(', ')})`);
  }
  if (value !== null && (!Number.isFinite(value) || value < 0)) throw new DetectionInputError('bad-arguments', `a threshold is a number of 0 or more, not ${value}`);
  await store.transaction(async () => {
    if (value === null) await store.run(`DELETE FROM detector_thresholds WHERE detector = $d AND name = $n`, { d: detector, n: name });
    else {
      await store.run(`INSERT OR REPLACE INTO detector_thresholds VALUES ($d, $n, $v, $at)`, { d: detector, n: name, v: value, at: BigInt(Date.now() * 1000) });
    }
    await store.audit('detections.threshold', { detector, name, before: current.value, after: value ?? current.defaultValue, reset: value === null }, actor);
  });
  return { ...current, value: value ?? current.defaultValue };
}

// ---- exclusions ----------------------------------------------------------------------------

function exclusionOf(r: Record<string, unknown>): Exclusion {
  return {
    id: num(r.exclusion_id), detector: r.detector as DetectionKind | 'all', src: (r.src as string) ?? null, dst: (r.dst as string) ?? null,
    host: (r.host as string) ?? null, port: r.port === null || r.port === undefined ? null : num(r.port), reason: String(r.reason),
    createdUs: num(r.created_us), fromDetectionId: r.from_detection_id === null || r.from_detection_id === undefined ? null : num(r.from_detection_id),
    active: !!r.active,
  };
}

export async function listExclusions(store: CaseStore, includeInactive = false): Promise<Exclusion[]> {
  const rows = await store.all(`SELECT * FROM exclusions ${includeInactive ? '' : 'WHERE active'} ORDER BY exclusion_id`);
  return rows.map(exclusionOf);
}

export async function getExclusion(store: CaseStore, id: number): Promise<Exclusion> {
  const r = await store.one(`SELECT * FROM exclusions WHERE exclusion_id = $id`, { id: BigInt(id) });
  if (!r) throw new DetectionInputError('not-found', `no exclusion #${id}`);
  return exclusionOf(r);
}

/** Adds an exclusion (audited) and suppresses the stored detections it matches. */
export async function addExclusion(store: CaseStore, scope: ExclusionScope, reason: string, fromDetectionId: number | null = null, actor = 'user'):
  Promise<{ exclusion: Exclusion; suppressed: number }> {
  return store.transaction(async () => {
    const id = Number(await store.value(`SELECT nextval('exclusion_seq')`));
    await store.run(
      `INSERT INTO exclusions (exclusion_id, detector, src, dst, host, port, reason, created_us, from_detection_id, active)
       VALUES ($id, $det, $src, $dst, $host, $port, $reason, $at, $from, TRUE)`,
      { id: BigInt(id), det: scope.detector, src: scope.src ?? null, dst: scope.dst ?? null, host: scope.host ?? null,
        port: scope.port ?? null, reason, at: BigInt(Date.now() * 1000), from: fromDetectionId === null ? null : BigInt(fromDetectionId) },
    );
    const exclusion = await getExclusion(store, id);
    const suppressed = await applyExclusions(store);
    await store.audit('detections.exclusion.add', { id, scope: scopeText(scope), reason, fromDetectionId, suppressed }, actor);
    return { exclusion, suppressed };
  });
}

/** Deactivates an exclusion (the row stays); detections it alone suppressed reopen. Audited. */
export async function removeExclusion(store: CaseStore, id: number, actor = 'user'): Promise<Exclusion> {
  return store.transaction(async () => {
    const x = await getExclusion(store, id);
    await store.run(`UPDATE exclusions SET active = FALSE, removed_us = $at WHERE exclusion_id = $id`, { id: BigInt(id), at: BigInt(Date.now() * 1000) });
    await applyExclusions(store);
    await store.audit('detections.exclusion.remove', { id, scope: scopeText(x), reason: x.reason }, actor);
    return { ...x, active: false };
  });
}

/**
 * Sets every stored detection's status from the active exclusions (first matching one wins);
 * returns how many are suppressed.
 */
export async function applyExclusions(store: CaseStore): Promise<number> {
  const active = await listExclusions(store);
  const rows = await store.all(`SELECT detection_id, kind, src_ip, dst_ip, ports, exclusion_id FROM detections`);
  let suppressed = 0;
  for (const r of rows) {
    const subject = { kind: String(r.kind), src: r.src_ip === null ? null : ipText(r.src_ip), dst: r.dst_ip === null ? null : ipText(r.dst_ip),
      ports: ((r.ports as unknown[]) ?? []).map(num) };
    const x = active.find((e) => exclusionMatches(e, subject));
    const want = x ? x.id : null;
    if (want !== null) suppressed++;
    const have = r.exclusion_id === null || r.exclusion_id === undefined ? null : num(r.exclusion_id);
    if (want !== have) {
      await store.run(`UPDATE detections SET status = $st, exclusion_id = $x WHERE detection_id = $id`,
        { st: want === null ? 'open' : 'suppressed', x: want === null ? null : BigInt(want), id: BigInt(num(r.detection_id)) });
    }
  }
  return suppressed;
}

// ---- detections ----------------------------------------------------------------------------

const COLS = `detection_id, run_id, kind, severity, score, src_ip, dst_ip, targets, ports, start_us, end_us, flows, bytes, attack, summary,
  evidence, status, detector, detector_version, ports_total, exclusion_id, facts`;

function detectionOf(r: Record<string, unknown>): Detection {
  return {
    id: num(r.detection_id), runId: num(r.run_id), kind: r.kind as DetectionKind, severity: r.severity as Severity, score: Number(r.score),
    src: r.src_ip === null || r.src_ip === undefined ? null : ipText(r.src_ip), dst: r.dst_ip === null || r.dst_ip === undefined ? null : ipText(r.dst_ip),
    targets: num(r.targets), ports: ((r.ports as unknown[]) ?? []).map(num), portsTotal: num(r.ports_total), startUs: num(r.start_us), endUs: num(r.end_us),
    flows: num(r.flows), bytes: num(r.bytes), attack: (r.attack as string) ?? null, summary: String(r.summary), evidence: String(r.evidence),
    status: r.status as DetectionStatus, exclusionId: r.exclusion_id === null || r.exclusion_id === undefined ? null : num(r.exclusion_id),
    detector: String(r.detector), detectorVersion: String(r.detector_version), facts: JSON.parse(String(r.facts ?? '{}')) as Detection['facts'],
  };
}

export interface DetectionListQuery {
  fromUs?: number;
  toUs?: number;
  host?: string;
  kinds?: readonly DetectionKind[];
  severities?: readonly Severity[];
  status?: 'open' | 'suppressed' | 'all';
  limit?: number;
}

const SEVERITY_RANK = `CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;

/** Stored detections, strongest first (severity, score, then time). */
export async function listDetections(store: CaseStore, q: DetectionListQuery = {}): Promise<Detection[]> {
  const where: string[] = [];
  const params: Record<string, string | bigint | number> = {};
  const status = q.status ?? 'open';
  if (status !== 'all') { where.push('status = $status'); params.status = status; }
  if (q.fromUs !== undefined) { where.push('end_us >= $from'); params.from = BigInt(Math.floor(q.fromUs)); }
  if (q.toUs !== undefined) { where.push('start_us < $to'); params.to = BigInt(Math.ceil(q.toUs)); }
  if (q.host) {
    const ip = parseIp(q.host);
    if (ip === null) throw new DetectionInputError('bad-arguments', `'${q.host}' is not an address`);
    where.push('(src_ip = CAST($host AS UHUGEINT) OR dst_ip = CAST($host AS UHUGEINT))');
    params.host = ipToBigInt(ip).toString();
  }
  if (q.kinds?.length) where.push(`kind IN (${q.kinds.map((k, i) => { params[`k${i}`] = k; return `$k${i}`; }).join(', ')})`);
  if (q.severities?.length) where.push(`severity IN (${q.severities.map((k, i) => { params[`s${i}`] = k; return `$s${i}`; }).join(', ')})`);
  params.limit = q.limit ?? 10_000;
  const rows = await store.all(`SELECT ${COLS} FROM detections ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${SEVERITY_RANK} DESC, score DESC, start_us, detection_id LIMIT $limit`, params);
  return rows.map(detectionOf);
}

export async function getDetection(store: CaseStore, id: number): Promise<Detection> {
  const r = await store.one(`SELECT ${COLS} FROM detections WHERE detection_id = $id`, { id: BigInt(id) });
  if (!r) throw new DetectionInputError('not-found', `no detection #${id} (a new run replaces detections: list them again)`);
  return detectionOf(r);
}

/** The exclusions "not malicious" could add, narrowest first. */
export function proposeExclusions(d: Detection): ExclusionScope[] {
  const out: ExclusionScope[] = [];
  const port = d.ports.length === 1 ? d.ports[0] : null;
  if (d.src && d.dst) out.push({ detector: d.kind, src: d.src, dst: d.dst, ...(port !== null ? { port } : {}) });
  if (d.src && port !== null) out.push({ detector: d.kind, src: d.src, port });
  if (d.src) out.push({ detector: d.kind, src: d.src });
  if (d.dst) out.push({ detector: d.kind, dst: d.dst });
  if (d.src) out.push({ detector: 'all', host: d.src });
  return out;
}

export async function hostScores(store: CaseStore, hosts?: readonly string[]): Promise<HostAlertScore[]> {
  const rows = await store.all(`
    WITH h AS (SELECT src_ip AS ip, score, severity FROM detections WHERE status = 'open' AND src_ip IS NOT NULL
               UNION ALL SELECT dst_ip, score, severity FROM detections WHERE status = 'open' AND dst_ip IS NOT NULL)
    SELECT ip, max(score) AS score, arg_max(severity, ${SEVERITY_RANK} * 10 + score) AS severity, count(*) AS n FROM h GROUP BY ip ORDER BY score DESC`);
  const all = rows.map((r): HostAlertScore => ({ host: ipText(r.ip), score: Number(r.score), severity: r.severity as Severity, detections: num(r.n) }));
  if (!hosts) return all;
  return hosts.map((h) => all.find((a) => a.host === h) ?? { host: h, score: 0, severity: null, detections: 0 });
}

// ---- runs ----------------------------------------------------------------------------------

export async function lastRun(store: CaseStore): Promise<DetectionRun | null> {
  const r = await store.one(`SELECT * FROM detection_runs ORDER BY run_id DESC LIMIT 1`);
  if (!r) return null;
  return {
    id: num(r.run_id), atUs: num(r.at_us), fromUs: r.from_us === null ? null : num(r.from_us), toUs: r.to_us === null ? null : num(r.to_us),
    baselineUntilUs: r.baseline_until_us === null ? null : num(r.baseline_until_us),
    only: r.only_kinds ? (JSON.parse(String(r.only_kinds)) as DetectionKind[]) : null,
    detectors: JSON.parse(String(r.detectors)) as DetectionRun['detectors'], exclusions: (JSON.parse(String(r.exclusions)) as unknown[]).length,
    detections: num(r.detections), suppressed: num(r.suppressed), elapsedMs: Number(r.elapsed_ms),
  };
}
