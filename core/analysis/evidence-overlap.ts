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
 * the two records of unidirectional NetFlow are one conversation). Two sighting sources
 * (exporter, else evidence set, else evidence file, as sessions group them) saw the same
 * conversation when their records of it overlap in time (the sessions' duplicate tolerance
 * allowed). The richest source is counted: packets (pcap/pcapng) over bidirectional flows
 * over unidirectional flows, unsampled over sampled, then the file imported first. A record
 * that a richer source's record overlaps gets a flow_shadow row per richer evidence file,
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
 * The records of the window whose conversation the new files hold and at least two sources
 * saw. Parameters: $ids (new evidence), $lo, $hi.
 */
const CANDIDATES_SQL = `
CREATE OR REPLACE TEMP TABLE _ov_cand AS
WITH keyed AS (
  SELECT f.flow_id, f.evidence_id, f.start_us, f.end_us, ${KEY_SQL} AS kk, ${SOURCE_SQL} AS src,
    (f.rev_packets IS NOT NULL OR f.rev_bytes IS NOT NULL) AS bidir, coalesce(f.sampling, 1) > 1 AS sampled,
    e.format IN (${PACKET_LIST}) AS metered
  FROM flows f JOIN evidence e USING (evidence_id)
  WHERE f.end_us >= $lo AND f.start_us <= $hi
), cand AS (
  SELECT * FROM keyed WHERE kk IN (SELECT kk FROM keyed WHERE list_contains($ids, evidence_id))
)
SELECT * FROM cand WHERE kk IN (SELECT kk FROM cand GROUP BY kk HAVING count(DISTINCT src) > 1)`;

/**
 * Each source's preference: the richness of its richest file over these records (packets 3,
 * bidirectional 2, unidirectional 1; doubled, plus one when unsampled), ties to the source
 * whose file was imported first. Parameters: none.
 */
const PREFERENCE_SQL = `
CREATE OR REPLACE TEMP TABLE _ov_pref AS
WITH ev AS (
  SELECT evidence_id, any_value(src) AS src,
    (CASE WHEN bool_or(metered) THEN 3 WHEN avg(bidir::INTEGER) >= 0.5 THEN 2 ELSE 1 END) * 2 + CASE WHEN avg(sampled::INTEGER) >= 0.5 THEN 0 ELSE 1 END AS rich
  FROM _ov_cand GROUP BY evidence_id
)
SELECT src, max(rich) * 4294967296 - min(evidence_id) AS pref FROM ev GROUP BY src`;

/**
 * Each record of a poorer source with every record of a richer source of the same
 * conversation that overlaps it in time (within $tol); one side a new file. Parameters: $ids, $tol.
 */
const MATCH_SQL = `
CREATE OR REPLACE TEMP TABLE _ov_match AS
WITH c AS (SELECT c.flow_id, c.evidence_id, c.start_us, c.end_us, c.kk, p.pref FROM _ov_cand c JOIN _ov_pref p USING (src))
SELECT a.flow_id, a.evidence_id, b.flow_id AS by_flow, b.evidence_id AS by_evidence, a.kk
FROM c a JOIN c b ON a.kk = b.kk AND b.pref > a.pref AND b.start_us <= a.end_us + $tol AND a.start_us <= b.end_us + $tol
WHERE list_contains($ids, a.evidence_id) OR list_contains($ids, b.evidence_id)`;

/** New shadow rows: a record, once per richer file that saw its conversation. */
const SHADOW_SQL = `INSERT INTO flow_shadow (flow_id, evidence_id, shadowed_by) SELECT DISTINCT flow_id, evidence_id, by_evidence FROM _ov_match`;

/** The pairs of files sharing conversations (one of them new), lower id first. Parameters: $at. */
const PAIRS_SQL = `
INSERT OR REPLACE INTO evidence_overlap
WITH m AS (
  SELECT least(evidence_id, by_evidence) AS x, greatest(evidence_id, by_evidence) AS y, evidence_id < by_evidence AS x_poorer, *
  FROM _ov_match
)
SELECT x, y, count(DISTINCT kk),
  count(DISTINCT CASE WHEN x_poorer THEN flow_id ELSE by_flow END), count(DISTINCT CASE WHEN x_poorer THEN by_flow ELSE flow_id END),
  count(DISTINCT flow_id) FILTER (WHERE x_poorer), count(DISTINCT flow_id) FILTER (WHERE NOT x_poorer),
  CASE WHEN count(DISTINCT flow_id) FILTER (WHERE x_poorer) >= count(DISTINCT flow_id) FILTER (WHERE NOT x_poorer) THEN y ELSE x END, $at
FROM m GROUP BY x, y`;

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
      await store.run(CANDIDATES_SQL, { ids: idList, lo: BigInt(span.lo) - tol, hi: BigInt(span.hi) + tol });
      await store.run(PREFERENCE_SQL);
      await store.run(MATCH_SQL, { ids: idList, tol });
    }
    await store.transaction(async () => {
      if (others > 1 && span?.lo != null && span.hi != null) {
        await store.run(SHADOW_SQL);
        shadowRows = toNumber(await store.value(`SELECT count(*) FROM (SELECT DISTINCT flow_id, by_evidence FROM _ov_match)`));
        await store.run(PAIRS_SQL, { at: BigInt(Date.now() * 1000) });
      }
      await store.run(`INSERT OR IGNORE INTO overlap_done SELECT unnest($ids)`, { ids: idList });
    });
    pairs = (await listOverlaps(store)).filter((p) => ids.includes(p.evidenceId) || ids.includes(p.otherId));
    if (pairs.length) await store.audit('evidence-overlap', { checked: ids, shadow_rows: shadowRows, pairs }, 'flowcase');
  } finally {
    for (const t of ['_ov_cand', '_ov_pref', '_ov_match']) await store.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
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
