import { formatIpBigInt, ipToBigInt, parseIp } from '../../model/ip';
import type { CaseStore } from '../../store/case-store';

/**
 * The detections the detect feature (#12) records, read through the columns the
 * cross-branch contract names. Cases without the table (older cases, or before any run)
 * simply have none.
 */
export interface DetectionRow {
  detectionId: number;
  runId: number;
  kind: string;
  severity: string;
  score: number;
  /** Null when many sources (or targets) are involved. */
  src: string | null;
  dst: string | null;
  targets: number;
  ports: number[];
  startUs: number;
  endUs: number;
  flows: number;
  bytes: number;
  attack: string | null;
  summary: string;
  /** The filter expression selecting the detection's flows. */
  evidence: string;
  status: string;
}

export interface DetectionQuery {
  /** Detections naming any of these addresses as source or destination. */
  hosts?: readonly string[];
  fromUs?: number;
  toUs?: number;
  includeSuppressed?: boolean;
}

export async function tableExists(store: CaseStore, name: string): Promise<boolean> {
  return Number(await store.value(`SELECT count(*) FROM information_schema.tables WHERE table_name = $name`, { name })) > 0;
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const addr = (v: unknown): string | null => (v === null || v === undefined ? null : formatIpBigInt(BigInt(v as bigint)));

/** Detections overlapping the window, oldest first; [] when the case has no detections table. */
export async function readDetections(store: CaseStore, q: DetectionQuery = {}): Promise<DetectionRow[]> {
  if (!(await tableExists(store, 'detections'))) return [];
  const where: string[] = [];
  const params: Record<string, string | bigint> = {};
  if (!q.includeSuppressed) where.push(`coalesce(status, 'open') <> 'suppressed'`);
  if (q.fromUs !== undefined) { where.push('end_us >= $from_us'); params.from_us = BigInt(Math.floor(q.fromUs)); }
  if (q.toUs !== undefined) { where.push('start_us <= $to_us'); params.to_us = BigInt(Math.ceil(q.toUs)); }
  if (q.hosts && q.hosts.length) {
    const ors: string[] = [];
    q.hosts.forEach((h, i) => {
      const ip = parseIp(h);
      if (ip === null) return;
      params[`h${i}`] = ipToBigInt(ip).toString();
      ors.push(`src_ip = CAST($h${i} AS UHUGEINT) OR dst_ip = CAST($h${i} AS UHUGEINT)`);
    });
    where.push(ors.length ? `(${ors.join(' OR ')})` : 'FALSE');
  }
  const rows = await store.all(
    `SELECT detection_id, run_id, kind, severity, score, src_ip, dst_ip, targets, ports, start_us, end_us, flows, bytes, attack,
            summary, evidence, status
       FROM detections ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY start_us, detection_id`,
    params,
  );
  return rows.map((r) => ({
    detectionId: n(r.detection_id), runId: n(r.run_id), kind: String(r.kind), severity: String(r.severity ?? ''),
    score: n(r.score), src: addr(r.src_ip), dst: addr(r.dst_ip), targets: n(r.targets),
    ports: ((r.ports as unknown[] | null) ?? []).map(n), startUs: n(r.start_us), endUs: n(r.end_us), flows: n(r.flows),
    bytes: n(r.bytes), attack: (r.attack as string) ?? null, summary: String(r.summary ?? ''), evidence: String(r.evidence ?? ''),
    status: String(r.status ?? 'open'),
  }));
}

/**
 * How the detections were made: the rows of the detect feature's run table when it has one
 * (detector, version, thresholds, exclusions), as plain JSON-safe records in run order.
 */
export async function readDetectionRuns(store: CaseStore): Promise<Record<string, string | number | boolean | null>[]> {
  for (const table of ['detection_runs', 'detect_runs']) {
    if (!(await tableExists(store, table))) continue;
    const cols = await store.all<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = $t ORDER BY ordinal_position`, { t: table },
    );
    const order = cols.some((c) => c.column_name === 'run_id') ? 'run_id' : '1';
    const rows = await store.all(`SELECT * FROM ${table} ORDER BY ${order}`);
    return rows.map((r) => {
      const out: Record<string, string | number | boolean | null> = {};
      for (const [k, v] of Object.entries(r)) {
        out[k] = v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : typeof v === 'number' || typeof v === 'boolean' ? v
          : typeof v === 'string' ? v : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
      }
      return out;
    });
  }
  return [];
}
