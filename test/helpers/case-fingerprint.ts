import type { CaseStore } from '../../core/store/case-store';

/**
 * What a case holds, table by table (derived tables included), without what differs
 * between two runs of the same import: times, durations, and the logs of the runs
 * themselves (import_log rows of refused duplicates, audit entries). Each table is a row
 * count and an order-independent sum of row hashes.
 */
const VOLATILE: Record<string, string[]> = {
  evidence: ['imported_at_us', 'import_ms', 'mtime_us'],
  import_log: ['id', 'at_us', 'ms'],
  derived_state: ['stale_since_us'],
  // Which append run of the host index an evidence file went into follows how imports were
  // batched (one run per import run), not what it holds; host_flows' rows must still match.
  host_flows_runs: ['run'],
};
const SKIP = new Set(['audit_log', 'meta']);

export async function caseFingerprint(store: CaseStore): Promise<Record<string, string>> {
  const tables = (await store.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )).map((r) => r.table_name).filter((t) => !SKIP.has(t) && !t.startsWith('_'));
  const out: Record<string, string> = {};
  for (const t of tables) {
    const exclude = VOLATILE[t]?.length ? ` EXCLUDE (${VOLATILE[t].join(', ')})` : '';
    const where = t === 'import_log' ? `WHERE outcome <> 'duplicate'` : '';
    const r = await store.one<{ n: bigint; h: string | null }>(
      `SELECT count(*) AS n, sum(('0x' || substr(md5(x::VARCHAR), 1, 15))::BIGINT::HUGEINT)::VARCHAR AS h
         FROM (SELECT * ${exclude} FROM "${t}" ${where}) x`,
    );
    out[t] = `${r?.n ?? 0}:${r?.h ?? '0'}`;
  }
  return out;
}
