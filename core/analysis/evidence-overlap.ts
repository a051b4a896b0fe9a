import { listValue } from '@duckdb/node-api';
import { toNumber } from '../model/bigint';
import type { CaseStore } from '../store/case-store';
import type { IssueView } from '../store/evidence-rows';
import { DEFAULT_DUPLICATE_TOLERANCE_S } from './sessions/rebuild-sessions';

/**
 * Overlapping evidence (#11): the same traffic imported twice, e.g. a sensor's capture and
 * the router's NetFlow of it. Found at import, recorded, never deleted:
 *
 * A conversation is a canonical 5-tuple (lower endpoint first, both directions together, so
 * the two records of unidirectional NetFlow are one conversation) with its records clustered
 * by overlapping time (the sessions' duplicate tolerance allowed). When a cluster holds records
 * of two or more sighting sources (exporter, else evidence set, else evidence file, as sessions
 * group them), the richest source is counted: packets (pcap/pcapng) over bidirectional flows
 * over unidirectional flows, unsampled over sampled, then the file imported first. Every
 * record of a poorer source in that cluster gets a flow_shadow row per richer evidence file,
 * which takes it out of flows_counted.
 *
 * The work is one pass of SQL over the flows of the new files' time range whose 5-tuple the
 * new files also hold; a file whose time range meets no other evidence costs two small queries.
 */

/** Formats whose rows are metered from packets. */
export const PACKET_FORMATS: readonly string[] = ['pcap', 'pcapng'];

/** One pair of evidence files found to hold the same conversations. */
export interface EvidenceOverlap {
  readonly evidenceId: number;
  readonly otherId: number;
  readonly conversations: number;
  /** Records of evidenceId (resp. otherId) in those conversations. */
  readonly flows: number;
  readonly otherFlows: number;
  /** Records of evidenceId (resp. otherId) left out of the figures for them. */
  readonly shadowedFlows: number;
  readonly otherShadowedFlows: number;
  /** The file whose records are counted for the shared conversations. */
  readonly countedId: number;
}

export interface OverlapResult {
  /** Evidence files compared in this run. */
  readonly checked: readonly number[];
  /** New flow_shadow rows. */
  readonly shadowRows: number;
  readonly pairs: readonly EvidenceOverlap[];
  readonly ms: number;
}

const V4_ZERO = (0xffffn << 32n).toString();

/** The sighting source of a flow (alias f, evidence e): as the sessions group sightings. */
const SOURCE_SQL = `CASE WHEN f.exporter_ip IS NOT NULL AND f.exporter_ip <> 0 AND f.exporter_ip <> ${V4_ZERO}::UHUGEINT
    THEN hash(f.exporter_ip, 'exporter')
  WHEN e.evidence_set IS NOT NULL THEN hash(e.evidence_set, e.format, 'set')
  ELSE hash(f.evidence_id) END`;

/** The canonical conversation key (ICMP pairs by address: its types live in their own columns). */
const KEY_SQL = `CASE WHEN f.src_ip < f.dst_ip OR (f.src_ip = f.dst_ip AND f.src_port <= f.dst_port)
    THEN hash(f.proto, f.src_ip, CASE WHEN f.proto IN (1, 58) THEN 0 ELSE f.src_port END, f.dst_ip, CASE WHEN f.proto IN (1, 58) THEN 0 ELSE f.dst_port END)
    ELSE hash(f.proto, f.dst_ip, CASE WHEN f.proto IN (1, 58) THEN 0 ELSE f.dst_port END, f.src_ip, CASE WHEN f.proto IN (1, 58) THEN 0 ELSE f.src_port END) END`;

const PACKET_LIST = PACKET_FORMATS.map((f) => `'${f}'`).join(', ');

/**
 * Records of the window whose conversation the new files hold and at least two sources saw,
 * clustered by overlapping time per conversation. Parameters: $ids (new evidence), $lo, $hi, $tol.
 */
const CLUSTER_SQL = `
CREATE OR REPLACE TEMP TABLE _ov_rows AS
WITH keyed AS (
  SELECT f.flow_id, f.evidence_id, f.start_us, f.end_us, ${KEY_SQL} AS kk, ${SOURCE_SQL} AS src,
    (f.rev_packets IS NOT NULL OR f.rev_bytes IS NOT NULL) AS bidir, coalesce(f.sampling, 1) > 1 AS sampled,
    e.format IN (${PACKET_LIST}) AS metered
  FROM flows f JOIN evidence e USING (evidence_id)
  WHERE f.end_us >= $lo AND f.start_us <= $hi
), fresh AS (
  SELECT DISTINCT kk FROM keyed WHERE list_contains($ids, evidence_id)
), cand AS (
  SELECT * FROM keyed WHERE kk IN (SELECT kk FROM fresh)
), multi AS (
  SELECT kk FROM cand GROUP BY kk HAVING count(DISTINCT src) > 1
), m AS (
  SELECT *, max(end_us) OVER (PARTITION BY kk ORDER BY start_us, flow_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
  FROM cand WHERE kk IN (SELECT kk FROM multi)
)
SELECT flow_id, evidence_id, kk, src, bidir, sampled, metered,
  sum(CASE WHEN prev_end IS NULL OR start_us > prev_end + $tol THEN 1 ELSE 0 END)
    OVER (PARTITION BY kk ORDER BY start_us, flow_id ROWS UNBOUNDED PRECEDING) AS cl
FROM m`;

/**
 * Each evidence file's richness over its clustered records (packets 3, bidirectional 2,
 * unidirectional 1; doubled, plus one when unsampled), then each source's preference per
 * cluster: its richest file, ties to the file imported first. Parameters: none.
 */
const SOURCES_SQL = `
CREATE OR REPLACE TEMP TABLE _ov_src AS
WITH ev AS (
  SELECT evidence_id,
    (CASE WHEN bool_or(metered) THEN 3 WHEN avg(bidir::INTEGER) >= 0.5 THEN 2 ELSE 1 END) * 2 + CASE WHEN avg(sampled::INTEGER) >= 0.5 THEN 0 ELSE 1 END AS rich
  FROM _ov_rows GROUP BY evidence_id
), per AS (
  SELECT kk, cl, src, evidence_id, count(*) AS n FROM _ov_rows GROUP BY kk, cl, src, evidence_id
), multi AS (
  SELECT kk, cl FROM per GROUP BY kk, cl HAVING count(DISTINCT src) > 1
)
SELECT p.kk, p.cl, p.src, p.evidence_id, p.n,
  max(ev.rich) OVER s * 4294967296 - min(p.evidence_id) OVER s AS pref
FROM per p JOIN ev USING (evidence_id) JOIN multi USING (kk, cl)
WINDOW s AS (PARTITION BY p.kk, p.cl, p.src)`;

/** New shadow rows: a record of a poorer source, once per richer file in its cluster. Parameters: $ids. */
const SHADOW_SQL = `
INSERT INTO flow_shadow (flow_id, evidence_id, shadowed_by)
SELECT DISTINCT r.flow_id, r.evidence_id, better.evidence_id
FROM _ov_rows r
JOIN (SELECT DISTINCT kk, cl, src, pref FROM _ov_src) mine ON mine.kk = r.kk AND mine.cl = r.cl AND mine.src = r.src
JOIN _ov_src better ON better.kk = r.kk AND better.cl = r.cl AND better.pref > mine.pref
WHERE (list_contains($ids, r.evidence_id) OR list_contains($ids, better.evidence_id))
  AND NOT EXISTS (SELECT 1 FROM flow_shadow s WHERE s.flow_id = r.flow_id AND s.shadowed_by = better.evidence_id)`;

/** The pairs of files (of different sources) sharing conversations, one involving a new file. Parameters: $ids, $at. */
const PAIRS_SQL = `
INSERT OR REPLACE INTO evidence_overlap
WITH pc AS (
  SELECT a.kk, a.cl, a.evidence_id AS x, b.evidence_id AS y, a.n AS nx, b.n AS ny
  FROM _ov_src a JOIN _ov_src b ON a.kk = b.kk AND a.cl = b.cl AND a.src <> b.src AND a.evidence_id < b.evidence_id
  WHERE list_contains($ids, a.evidence_id) OR list_contains($ids, b.evidence_id)
), agg AS (
  SELECT x, y, count(DISTINCT (kk, cl)) AS conv, sum(nx) AS fx, sum(ny) AS fy FROM pc GROUP BY x, y
), sh AS (
  SELECT evidence_id, shadowed_by, count(DISTINCT flow_id) AS n FROM flow_shadow
  WHERE list_contains($ids, evidence_id) OR list_contains($ids, shadowed_by) GROUP BY ALL
)
SELECT agg.x, agg.y, agg.conv, agg.fx, agg.fy, coalesce(sx.n, 0), coalesce(sy.n, 0),
  CASE WHEN coalesce(sx.n, 0) >= coalesce(sy.n, 0) THEN agg.y ELSE agg.x END, $at
FROM agg
LEFT JOIN sh sx ON sx.evidence_id = agg.x AND sx.shadowed_by = agg.y
LEFT JOIN sh sy ON sy.evidence_id = agg.y AND sy.shadowed_by = agg.x`;

/**
 * Compares the evidence files not yet compared (the ones just imported; after an upgrade,
 * every file) with the rest of the case, records shadowed flows and overlapping pairs.
 * Runs in its own transaction, after the import committed.
 */
export async function detectOverlap(store: CaseStore): Promise<OverlapResult> {
  const started = performance.now();
  const ids = (await store.all<{ id: number }>(
    `SELECT evidence_id AS id FROM evidence WHERE evidence_id NOT IN (SELECT evidence_id FROM overlap_done) ORDER BY 1`,
  )).map((r) => Number(r.id));
  const done = (shadowRows: number, pairs: EvidenceOverlap[] = []): OverlapResult => ({ checked: ids, shadowRows, pairs, ms: performance.now() - started });
  if (ids.length === 0) return done(0);
  const idList = listValue(ids);
  const span = await store.one<{ lo: bigint | null; hi: bigint | null }>(
    `SELECT min(first_us) AS lo, max(last_us) AS hi FROM evidence WHERE list_contains($ids, evidence_id)`, { ids: idList },
  );
  const tol = BigInt(Math.round(DEFAULT_DUPLICATE_TOLERANCE_S * 1e6));
  // Another file (or a second new one) must share the time range for anything to overlap.
  const others = span?.lo == null || span.hi == null ? 0 : toNumber(await store.value(
    `SELECT count(*) FROM evidence WHERE first_us <= $hi AND last_us >= $lo`,
    { lo: BigInt(span.lo) - tol, hi: BigInt(span.hi) + tol },
  ));
  let shadowRows = 0;
  let pairs: EvidenceOverlap[];
  try {
    if (others > 1 && span?.lo != null && span.hi != null) {
      // The temp tables are built before BEGIN (rows written inside an open transaction are scanned on one thread).
      await store.run(CLUSTER_SQL, { ids: idList, lo: BigInt(span.lo) - tol, hi: BigInt(span.hi) + tol, tol });
      await store.run(SOURCES_SQL);
    }
    await store.transaction(async () => {
      if (others > 1 && span?.lo != null && span.hi != null) {
        const before = toNumber(await store.value(`SELECT count(*) FROM flow_shadow`));
        await store.run(SHADOW_SQL, { ids: idList });
        shadowRows = toNumber(await store.value(`SELECT count(*) FROM flow_shadow`)) - before;
        await store.run(PAIRS_SQL, { ids: idList, at: BigInt(Date.now() * 1000) });
      }
      await store.run(`INSERT OR IGNORE INTO overlap_done SELECT unnest($ids)`, { ids: idList });
    });
    pairs = (await listOverlaps(store)).filter((p) => ids.includes(p.evidenceId) || ids.includes(p.otherId));
    if (pairs.length) await store.audit('evidence-overlap', { checked: ids, shadow_rows: shadowRows, pairs }, 'flowcase');
  } finally {
    await store.run(`DROP TABLE IF EXISTS _ov_rows`).catch(() => undefined);
    await store.run(`DROP TABLE IF EXISTS _ov_src`).catch(() => undefined);
  }
  return done(shadowRows, pairs);
}

/** Every overlapping pair of the case (empty for a case from before schema 8 opened read-only). */
export async function listOverlaps(store: CaseStore): Promise<EvidenceOverlap[]> {
  const rows = await store.all(`SELECT * FROM evidence_overlap ORDER BY evidence_id, other_id`);
  return rows.map((r) => ({
    evidenceId: toNumber(r.evidence_id), otherId: toNumber(r.other_id), conversations: toNumber(r.conversations),
    flows: toNumber(r.flows), otherFlows: toNumber(r.other_flows), shadowedFlows: toNumber(r.shadowed_flows),
    otherShadowedFlows: toNumber(r.other_shadowed_flows), countedId: toNumber(r.counted_id),
  }));
}

/**
 * What the analyst is told about one file of a pair: an issue with code 'overlap' naming the
 * other file, how many conversations both hold and whose records are counted for them.
 */
export function overlapIssue(o: EvidenceOverlap, self: number, names: ReadonlyMap<number, string>): IssueView {
  const other = self === o.evidenceId ? o.otherId : o.evidenceId;
  const mine = self === o.evidenceId ? o.flows : o.otherFlows;
  const counted = o.countedId === self ? 'this file\'s records are counted for them' : `the records of #${o.countedId} ${names.get(o.countedId) ?? ''} are counted for them`.replace(/ +for/, ' for');
  const shadowed = self === o.evidenceId ? o.shadowedFlows : o.otherShadowedFlows;
  return {
    code: 'overlap', offset: 0,
    message: `the same traffic as evidence #${other} ${names.get(other) ?? ''}: ${o.conversations} conversation${o.conversations === 1 ? '' : 's'} `
      + `(${mine} record${mine === 1 ? '' : 's'} here) seen by both; ${counted}`
      + (shadowed ? `; ${shadowed} record${shadowed === 1 ? '' : 's'} of this file left out of totals (use evidence "all" to include them)` : ''),
  };
}
