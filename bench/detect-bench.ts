import { thresholdsOf } from '../core/analysis/detect/detection-store';
import { DETECTORS } from '../core/analysis/detect/registry';
import { runDetections } from '../core/analysis/detect/run-detections';
import { rebuildSessions } from '../core/analysis/sessions/rebuild-sessions';
import { DEFAULT_INTERNAL_NETWORKS } from '../core/query/internal-networks';
import { CaseStore } from '../core/store/case-store';
import { timed, type Reporter } from './report';

const V4 = 281470681743360n; // ::ffff:0:0
const BASE_US = 1_710_201_600_000_000n; // 2024-03-12T00:00Z

/**
 * All detectors over a synthetic day of N flow records: 5,000 internal hosts talking to
 * 20,000 external ones on 443 (each conversation as two unidirectional NetFlow records with
 * flags), plus a 1,000-port scan. Sessions are built first (as an import does); the figures
 * are the detectors alone: each one, then a whole run (with evidence counting and storing).
 */
export async function runStage(o: { outDir: string; count: number; report: Reporter; fresh: (name: string) => string }): Promise<void> {
  const store = await CaseStore.open(o.fresh('detect.duckdb'), { memoryLimit: '2GB' });
  try {
    const n = BigInt(o.count);
    await store.run(`INSERT INTO evidence (evidence_id, path, name, size, sha256, format, position_unit, imported_at_us, tool_version, records, rejected)
      VALUES (1, 'bench', 'bench', 0, $sha, 'nfcapd', 'byte', 0, 'bench', $n, 0)`, { sha: '1'.repeat(64), n });
    await store.run(`
      INSERT INTO flows (flow_id, evidence_id, src_pos, start_us, end_us, proto, ip_version, src_ip, dst_ip, src_port, dst_port, packets, bytes, tcp_flags)
      SELECT r + 1, 1, r * 48, t, t + 5000000, 6, 4,
        CASE WHEN rev = 1 THEN ext ELSE int END, CASE WHEN rev = 1 THEN int ELSE ext END,
        CASE WHEN rev = 1 THEN 443 ELSE cport END, CASE WHEN rev = 1 THEN cport ELSE 443 END,
        5, CASE WHEN rev = 1 THEN 6000 ELSE 900 END, 27
      FROM (SELECT r, r % 2 AS rev, $base + (r // 2) * (86400000000 // ($n // 2 + 1)) AS t,
              ($v4::UHUGEINT + 167772160 + ((r // 2) % 5000))::UHUGEINT AS int,
              ($v4::UHUGEINT + 3323068416 + ((r // 2) % 20000))::UHUGEINT AS ext,
              (1024 + (r // 2) % 60000)::USMALLINT AS cport
            FROM range($n::BIGINT) t(r))`, { n, base: BASE_US, v4: V4.toString() });
    await store.run(`
      INSERT INTO flows (flow_id, evidence_id, src_pos, start_us, end_us, proto, ip_version, src_ip, dst_ip, src_port, dst_port, packets, bytes, tcp_flags)
      SELECT $n + p, 1, 0, $base + 28800000000 + p * 40000, $base + 28800000000 + p * 40000, 6, 4,
        ($v4::UHUGEINT + 3405803785)::UHUGEINT, ($v4::UHUGEINT + 167772165)::UHUGEINT, 61000, p, 1, 44, 2
      FROM range(1, 1001) t(p)`, { n, base: BASE_US, v4: V4.toString() });
    const built = await timed(() => rebuildSessions(store));
    o.report({ name: 'detect: sessions built first', flows: o.count, ms: built.ms });
    const thresholds = await thresholdsOf(store);
    const ctx = { store, internal: DEFAULT_INTERNAL_NETWORKS, nowUs: Date.now() * 1000, range: { fromUs: null, toUs: null, baselineUntilUs: null } };
    for (const d of DETECTORS) {
      const r = await timed(() => d.run(ctx, thresholds.get(d.kind) ?? {}));
      o.report({ name: `detect: ${d.kind}`, flows: o.count, ms: r.ms, found: r.value.length });
    }
    const run = await timed(() => runDetections(store));
    o.report({ name: 'detect: all detectors (one run, stored)', flows: o.count, ms: run.ms, detections: run.value.detections,
      flows_per_s: Math.round(o.count / (run.ms / 1000)) });
  } finally {
    store.close();
  }
}
