import type { CaseStore } from '../../store/case-store';
import { SESSION_AGG_SQL, SESSION_EVIDENCE_SQL, SESSION_REPLACE_SPLIT_SQL, SESSION_SOURCE_SQL, SESSION_SPLIT_SQL, insertSessionsSql } from './session-sql';

/** Zeek's default tcp_inactivity_timeout is 5 min; NetFlow exporters' inactive timeout is 15-60 s. */
export const DEFAULT_IDLE_LIMIT_S = 300;
/** Two sightings of one conversation may disagree on their clocks by this much. */
export const DEFAULT_DUPLICATE_TOLERANCE_S = 1;

export interface RebuildSessionsOptions {
  /** Rebuild only around these evidence files' time ranges (default: the whole case). */
  readonly evidenceIds?: readonly number[];
  /** Records of one conversation further apart than this start a new session (seconds). */
  readonly idleLimitS?: number;
  /** Clock disagreement allowed between two sightings of one session (seconds). */
  readonly duplicateToleranceS?: number;
}

export interface RebuildSessionsResult {
  /** Sessions written in the rebuilt time range. */
  readonly sessions: number;
  /** Sessions removed from the window before it was rebuilt. */
  readonly replaced: number;
  /** Flow rows read. */
  readonly flows: number;
  /** The rebuilt window in UTC microseconds; null when nothing needed building. */
  readonly window: { readonly fromUs: number; readonly toUs: number } | null;
  readonly ms: number;
}

const MIN_US = -(2n ** 62n);
const MAX_US = 2n ** 62n;

/**
 * Rebuilds the `sessions` table from `flows`. With evidenceIds, only the time range those
 * files cover (widened by the idle limit, and by any existing session it touches) is
 * deleted and rebuilt, so an import costs time in proportion to its own span. Runs in
 * one transaction unless the caller already opened one.
 */
export async function rebuildSessions(store: CaseStore, opts: RebuildSessionsOptions = {}): Promise<RebuildSessionsResult> {
  const started = performance.now();
  const idleUs = BigInt(Math.round((opts.idleLimitS ?? DEFAULT_IDLE_LIMIT_S) * 1e6));
  const tolUs = BigInt(Math.round((opts.duplicateToleranceS ?? DEFAULT_DUPLICATE_TOLERANCE_S) * 1e6));

  type Prepared = { lo: bigint; hi: bigint; flows: number; sources: number };
  const empty = (): RebuildSessionsResult => ({ sessions: 0, replaced: 0, flows: 0, window: null, ms: performance.now() - started });

  // Builds the new sessions into temp tables (connection-private). Run before this
  // function's own BEGIN: DuckDB scans rows written inside an open transaction on one
  // thread, so the final insert from temp tables made inside it took 1.5x as long.
  const prepare = async (): Promise<Prepared | null> => {
    let lo = MIN_US;
    let hi = MAX_US;
    if (opts.evidenceIds) {
      if (opts.evidenceIds.length === 0) return null;
      const ids = opts.evidenceIds.map((id) => Math.trunc(id));
      // Read the range from flows (the evidence row may not be written yet inside an import).
      const r = await store.one<{ lo: bigint | null; hi: bigint | null }>(
        `SELECT min(start_us) AS lo, max(end_us) AS hi FROM flows WHERE list_contains($ids::UINTEGER[], evidence_id)`,
        { ids: `[${ids.join(',')}]` },
      );
      if (r?.lo == null || r.hi == null) return null;
      lo = BigInt(r.lo) - idleUs;
      hi = BigInt(r.hi) + idleUs;
      // Sessions that reach into the window are rebuilt whole, so the window grows to cover
      // them; a session reaching into the grown part must be covered too, until none does
      // (a fixpoint: the window only grows, and usually stops after one or two rounds).
      for (;;) {
        const touched = await store.one<{ lo: bigint | null; hi: bigint | null }>(
          `SELECT min(ts) AS lo, max(end_us) AS hi FROM sessions WHERE end_us >= $lo AND ts <= $hi`, { lo, hi },
        );
        const tlo = touched?.lo == null ? lo : BigInt(touched.lo);
        const thi = touched?.hi == null ? hi : BigInt(touched.hi);
        if (tlo >= lo && thi <= hi) break;
        if (tlo < lo) lo = tlo;
        if (thi > hi) hi = thi;
      }
    }
    await store.run(SESSION_AGG_SQL, { lo, hi });
    const flows = Number(await store.value<bigint>(`SELECT coalesce(sum(n_rows), 0) FROM _sess_agg`));
    await store.run(SESSION_SPLIT_SQL, { lo, hi, idle: idleUs });
    if (Number(await store.value<bigint>(`SELECT count(*) FROM _sess_split`)) > 0) {
      for (const sql of SESSION_REPLACE_SPLIT_SQL) await store.run(sql, sql.startsWith('DELETE') ? { idle: idleUs } : undefined);
    }
    if (Number(await store.value<bigint>(`SELECT count(*) FROM _sess_agg WHERE ev_min <> ev_max`)) > 0) await store.run(SESSION_EVIDENCE_SQL);
    await store.run(SESSION_SOURCE_SQL);
    // Duplicate sightings need two sources; most windows hold one, and skip the grouping.
    const sources = Number(await store.value<bigint>(`SELECT count(DISTINCT src) FROM _sess_agg`));
    return { lo, hi, flows, sources };
  };

  // Replaces the window's sessions with the prepared ones (inside the transaction).
  const write = async ({ lo, hi, flows, sources }: Prepared): Promise<RebuildSessionsResult> => {
    const replaced = Number(await store.value<bigint>(`SELECT count(*) FROM sessions WHERE end_us >= $lo AND ts <= $hi`, { lo, hi }));
    await store.run(`DELETE FROM sessions WHERE end_us >= $lo AND ts <= $hi`, { lo, hi });
    const before = Number(await store.value<bigint>(`SELECT count(*) FROM sessions`));
    await store.run(insertSessionsSql(sources > 1), sources > 1 ? { dup_tol: tolUs } : undefined);
    const after = Number(await store.value<bigint>(`SELECT count(*) FROM sessions`));
    return {
      sessions: after - before, replaced, flows,
      window: flows === 0 && lo === MIN_US ? null : { fromUs: Number(lo), toUs: Number(hi) },
      ms: performance.now() - started,
    };
  };

  const dropTemps = async (): Promise<void> => {
    await store.run(`DROP VIEW IF EXISTS _sess_src`);
    await store.run(`DROP TABLE IF EXISTS _sess_agg`);
    await store.run(`DROP TABLE IF EXISTS _sess_split`);
  };

  // DuckDB refuses a nested BEGIN: inside the caller's transaction (the ingest calls this
  // before its commit) the work simply joins it.
  try {
    const prepared = await prepare();
    if (!prepared) return empty();
    try {
      await store.run('BEGIN TRANSACTION');
    } catch {
      return await write(prepared);
    }
    try {
      const out = await write(prepared);
      await store.run('COMMIT');
      return out;
    } catch (err) {
      await store.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    await dropTemps().catch(() => undefined);
  }
}
