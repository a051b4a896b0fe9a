import { listValue } from '@duckdb/node-api';
import type { CaseStore } from './case-store';

/**
 * The host index: every flow stored under each of its two addresses, in runs sorted by
 * (addr_hi, addr_lo, start_us). DuckDB keeps min/max per row group (zone maps), so `WHERE addr = $a`
 * reads only the row groups of that address: one or two per run instead of the whole
 * flows table. Each import appends one sorted run; `rebuildHostIndex(store, {full: true})`
 * (or more than MAX_RUNS runs) rewrites the table as one run.
 *
 * Columns: addr_hi/addr_lo (the host), peer_hi/peer_lo (the other address), dir (0 = addr was the flow's
 * source/originator, 1 = its destination), then the flow's own columns unchanged
 * (HOST_INDEX_FLOW_COLUMNS).
 */
export const HOST_INDEX_TABLE = 'host_flows';

const RUNS_TABLE = 'host_flows_runs';

/** Beyond this many runs a point lookup touches too many row groups; merge into one. */
const MAX_RUNS = 24;

/**
 * The flows columns the index carries besides its own: enough to show a flow row without
 * touching the flows table, whose rows for one host are spread thinly over the whole
 * file. src_ip and dst_ip are not stored: they are addr and peer, by dir.
 */
export const HOST_INDEX_FLOW_COLUMNS = [
  'flow_id', 'evidence_id', 'src_pos', 'start_us', 'end_us', 'proto', 'ip_version', 'src_port', 'dst_port',
  'packets', 'bytes', 'rev_packets', 'rev_bytes', 'tcp_flags', 'rev_tcp_flags', 'icmp_type', 'icmp_code', 'tos', 'in_if', 'out_if',
  'src_as', 'dst_as', 'exporter_ip', 'sampling', 'state', 'history', 'service', 'uid', 'label', 'bad_checksums', 'last_packet_us',
] as const;

const COLS = HOST_INDEX_FLOW_COLUMNS.join(', ');
const LOW64 = '18446744073709551615';

/**
 * Both orientations of each flow as host_flows rows; a flow from a host to itself is
 * listed once. `where` is a fixed fragment from this module's callers (no user text).
 *
 * Both addresses are kept as two UBIGINT halves: DuckDB (1.5) decompresses a bit-packed
 * UHUGEINT column about 30 times slower than two bit-packed UBIGINT columns, which made
 * a point lookup decode a whole row group of addresses slowly and a heavy host's summary
 * spend seconds reading its peers.
 */
export function hostRowsFromFlows(where: string): string {
  return `SELECT (src_ip >> 64)::UBIGINT AS addr_hi, (src_ip & ${LOW64})::UBIGINT AS addr_lo,
         (dst_ip >> 64)::UBIGINT AS peer_hi, (dst_ip & ${LOW64})::UBIGINT AS peer_lo, 0::UTINYINT AS dir, ${COLS}
    FROM flows ${where ? `WHERE ${where}` : ''}
  UNION ALL
  SELECT (dst_ip >> 64)::UBIGINT AS addr_hi, (dst_ip & ${LOW64})::UBIGINT AS addr_lo,
         (src_ip >> 64)::UBIGINT AS peer_hi, (src_ip & ${LOW64})::UBIGINT AS peer_lo, 1::UTINYINT AS dir, ${COLS}
    FROM flows WHERE ${where ? `(${where}) AND ` : ''}src_ip <> dst_ip`;
}

/** SQL for the whole peer address from its halves. */
export const PEER_SQL = '((peer_hi::UHUGEINT << 64) | peer_lo)';
/** SQL for the whole host address from its halves. */
export const ADDR_SQL = '((addr_hi::UHUGEINT << 64) | addr_lo)';

/** WHERE fragment selecting one host's rows; parameters addr_hi and addr_lo (see addrParams). */
export const ADDR_MATCH_SQL = 'addr_hi = CAST($addr_hi AS UBIGINT) AND addr_lo = CAST($addr_lo AS UBIGINT)';

/** The parameters for ADDR_MATCH_SQL. */
export function addrParams(addr: bigint): { addr_hi: string; addr_lo: string } {
  return { addr_hi: (addr >> 64n).toString(), addr_lo: (addr & 0xffffffffffffffffn).toString() };
}

/**
 * Index rows (from `source`, a SELECT with the host_flows columns) with peer, src_ip and
 * dst_ip put back, so that compiled filters, which name flows columns, apply to them.
 * DuckDB computes only the derived columns a query uses.
 */
export function withFlowAddresses(source: string): string {
  return `SELECT *, ${ADDR_SQL} AS addr, ${PEER_SQL} AS peer,
      CASE WHEN dir = 0 THEN ${ADDR_SQL} ELSE ${PEER_SQL} END AS src_ip, CASE WHEN dir = 0 THEN ${PEER_SQL} ELSE ${ADDR_SQL} END AS dst_ip
    FROM (${source})`;
}

export interface HostIndexStats {
  /** 'none': already current; 'append': new evidence added as runs; 'full': rewritten. */
  readonly mode: 'none' | 'append' | 'full';
  readonly rows: number;
  readonly runs: number;
  readonly ms: number;
}

/**
 * Brings the host index up to date with the flows table. Idempotent: a second call with
 * nothing new returns mode 'none' at once. Call it outside any open transaction (it runs
 * its own, so a crash leaves the previous index intact); the ingest calls it after each
 * committed evidence file.
 */
export async function rebuildHostIndex(store: CaseStore, options: { full?: boolean } = {}): Promise<HostIndexStats> {
  const started = performance.now();
  const exists = await hostIndexExists(store);
  const evidence = (await store.all<{ evidence_id: number }>(`SELECT evidence_id FROM evidence ORDER BY evidence_id`)).map((r) => Number(r.evidence_id));
  let indexed: number[] = [];
  let runs = 0;
  if (exists) {
    indexed = (await store.all<{ evidence_id: number }>(`SELECT evidence_id FROM ${RUNS_TABLE} ORDER BY evidence_id`)).map((r) => Number(r.evidence_id));
    runs = Number(await store.value(`SELECT count(DISTINCT run)::INTEGER FROM ${RUNS_TABLE}`) ?? 0);
  }
  const have = new Set(indexed);
  const missing = evidence.filter((id) => !have.has(id));
  const gone = indexed.some((id) => !evidence.includes(id));
  const full = options.full || !exists || gone || runs + (missing.length ? 1 : 0) > MAX_RUNS;
  if (!full && missing.length === 0) {
    return { mode: 'none', rows: await countRows(store), runs, ms: performance.now() - started };
  }
  await store.transaction(async () => {
    if (full) {
      await store.run(`DROP TABLE IF EXISTS ${HOST_INDEX_TABLE}`);
      await store.run(`DROP TABLE IF EXISTS ${RUNS_TABLE}`);
      await store.run(`CREATE TABLE ${HOST_INDEX_TABLE} AS SELECT * FROM (${hostRowsFromFlows('')}) LIMIT 0`);
      await store.run(`CREATE TABLE ${RUNS_TABLE} (evidence_id UINTEGER PRIMARY KEY, run INTEGER NOT NULL)`);
      await store.run(`INSERT INTO ${HOST_INDEX_TABLE} SELECT * FROM (${hostRowsFromFlows('')}) ORDER BY addr_hi, addr_lo, start_us`);
      await store.run(`INSERT INTO ${RUNS_TABLE} SELECT evidence_id, 1 FROM evidence`);
    } else {
      const run = runs + 1;
      // Evidence ids are small integers from our own table; still passed as a list parameter.
      await store.run(`INSERT INTO ${HOST_INDEX_TABLE} SELECT * FROM (${hostRowsFromFlows('list_contains($ids, evidence_id)')}) ORDER BY addr_hi, addr_lo, start_us`, { ids: listParam(missing) });
      for (const id of missing) await store.run(`INSERT INTO ${RUNS_TABLE} VALUES ($id, $run)`, { id, run });
    }
  });
  indexSeen.add(store);
  const after = Number(await store.value(`SELECT count(DISTINCT run)::INTEGER FROM ${RUNS_TABLE}`) ?? 0);
  return { mode: full ? 'full' : 'append', rows: await countRows(store), runs: after, ms: performance.now() - started };
}

/**
 * SQL (a scalar boolean) that is TRUE when the index covers exactly the case's evidence.
 * Pivots read the index only then and otherwise compute the same rows from flows. It
 * fails when the index tables do not exist: use hostIndexIsCurrent(), which checks.
 */
export const HOST_INDEX_CURRENT_SQL = `(NOT EXISTS (SELECT 1 FROM evidence e ANTI JOIN ${RUNS_TABLE} r USING (evidence_id))
   AND NOT EXISTS (SELECT 1 FROM ${RUNS_TABLE} r ANTI JOIN evidence e USING (evidence_id)))`;

/** Stores whose index tables are known to exist (they are never dropped outside a rebuild). */
const indexSeen = new WeakSet<CaseStore>();

/**
 * Whether the index covers exactly the evidence in the case. Checks that the tables exist
 * first rather than letting a query fail, because a failed query would abort a caller's
 * open transaction.
 */
export async function hostIndexIsCurrent(store: CaseStore): Promise<boolean> {
  if (!indexSeen.has(store)) {
    if (!(await hostIndexExists(store))) return false;
    indexSeen.add(store);
  }
  return !!(await store.value<boolean>(`SELECT ${HOST_INDEX_CURRENT_SQL}`));
}

/** Both index tables exist and host_flows has this version's layout (earlier builds had one addr column). */
async function hostIndexExists(store: CaseStore): Promise<boolean> {
  const n = await store.value<number>(
    `SELECT (SELECT count(*) FROM information_schema.tables WHERE table_name IN ('${HOST_INDEX_TABLE}', '${RUNS_TABLE}'))
          + (SELECT count(*) FROM information_schema.columns WHERE table_name = '${HOST_INDEX_TABLE}' AND column_name IN ('addr_hi', 'peer_lo'))`,
  );
  return Number(n) === 4;
}

async function countRows(store: CaseStore): Promise<number> {
  return Number(await store.value(`SELECT count(*) FROM ${HOST_INDEX_TABLE}`) ?? 0);
}

/** A DuckDB LIST value, so that a set of ids binds as one parameter. */
function listParam(ids: number[]) {
  return listValue(ids);
}
