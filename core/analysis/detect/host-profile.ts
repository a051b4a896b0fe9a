import { countText } from '../timeline/wording';
import { FAILED_SQL, ipText, isInternal, num, S_COLS } from './detect-sql';
import { clamp01, type DetectContext, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/**
 * Host profiles (flow-host-profile): the baseline is activity before --baseline-until, or
 * evidence whose evidence set is named 'baseline'. Without either there is nothing to
 * compare with and these detectors report nothing.
 */
async function baselineSql(ctx: DetectContext): Promise<{ base: string; now: string; params: Record<string, bigint> } | null> {
  const params: Record<string, bigint> = {};
  let base: string;
  let now: string;
  if (ctx.range.baselineUntilUs !== null) {
    params.bu = BigInt(ctx.range.baselineUntilUs);
    base = `ts < $bu`;
    now = `ts >= $bu`;
  } else {
    const marked = Number(await ctx.store.value(`SELECT count(*) FROM evidence WHERE lower(evidence_set) = 'baseline'`));
    if (!marked) return null;
    const inBase = `list_has_any(evidence_ids, (SELECT list(evidence_id) FROM evidence WHERE lower(evidence_set) = 'baseline'))`;
    base = inBase;
    now = `NOT ${inBase}`;
  }
  if (ctx.range.fromUs !== null) { params.wf = BigInt(ctx.range.fromUs); now += ' AND ts >= $wf'; }
  if (ctx.range.toUs !== null) { params.wt = BigInt(ctx.range.toUs); now += ' AND ts < $wt'; }
  return { base, now, params };
}

/** An internal host that was silent in the baseline and now sends or answers traffic (an address only written to is not a host). */
export const newHost: Detector = {
  kind: 'new_host',
  version: '1',
  attack: 'T1200',
  thresholds: {
    min_peers: { value: 1, help: 'peers the new host must exchange answered traffic with' },
  },
  async run(ctx, t) {
    const b = await baselineSql(ctx);
    if (!b) return [];
    const inH = isInternal(ctx, 'h', 'ih');
    const rows = await ctx.store.all(
      `WITH s AS (SELECT ${S_COLS}, ${b.now} AS is_now FROM sessions WHERE (${b.base}) OR (${b.now})),
       real AS (SELECT * FROM s WHERE NOT ${FAILED_SQL} AND (p <> 6 OR opk + rpk >= 4)),
       act AS (SELECT o AS h, r AS peer, ts, end_us, is_now FROM real WHERE opk > 0
               UNION ALL SELECT r, o, ts, end_us, is_now FROM real WHERE rpk > 0),
       seen AS (SELECT DISTINCT h FROM act WHERE NOT is_now)
       SELECT h, count(DISTINCT peer) AS peers, count(*) AS n, min(ts) AS t0, max(end_us) AS t1, max(ts) AS last_start FROM act
        WHERE is_now AND ${inH.sql} AND h NOT IN (SELECT h FROM seen)
        GROUP BY h HAVING count(DISTINCT peer) >= $min_peers ORDER BY t0 LIMIT 200`,
      { ...b.params, ...inH.params, min_peers: t.min_peers },
    );
    return rows.map((row): Finding => {
      const host = ipText(row.h), t0 = num(row.t0), t1 = Math.max(num(row.t1), num(row.last_start)), peers = num(row.peers);
      const score = clamp01(0.3 + 0.1 * Math.min(3, Math.log10(peers + 1)));
      return {
        kind: 'new_host', severity: 'low', score, src: host, dst: null, targets: peers, ports: [], portsTotal: 0, startUs: t0, endUs: t1, attack: 'T1200',
        summary: `${host} is new: silent in the baseline, it exchanged traffic with ${countText(peers)} ${peers === 1 ? 'peer' : 'peers'} from the first flow on`,
        evidence: evidenceFilter({ host, fromUs: t0, toUs: t1 }),
        facts: { peers, sessions: num(row.n) },
      };
    });
  },
};

/**
 * A service (port answered with a real exchange, not a half-open probe) that the host did not
 * offer in the baseline, while the host itself was there; used from outside, or by several
 * internal clients.
 */
export const newService: Detector = {
  kind: 'new_service',
  version: '1',
  attack: 'T1543',
  thresholds: {
    min_clients: { value: 1, help: 'clients that must be answered on the new port' },
    ephemeral_min_clients: { value: 3, help: 'clients needed when the port is 49152 or above (likely a client port)' },
    internal_min_clients: { value: 2, help: 'internal clients needed when no external one used it (one admin session is lateral movement\'s business)' },
  },
  async run(ctx, t) {
    const b = await baselineSql(ctx);
    if (!b) return [];
    const inR = isInternal(ctx, 'r', 'ir');
    const inO = isInternal(ctx, 'o', 'io');
    const rows = await ctx.store.all(
      `WITH s AS (SELECT ${S_COLS}, ${b.now} AS is_now FROM sessions WHERE ((${b.base}) OR (${b.now})) AND ip_proto IN (6, 17)),
       ok AS (SELECT * FROM s WHERE NOT ${FAILED_SQL} AND (p <> 6 OR opk + rpk >= 4)),
       hosts_then AS (SELECT DISTINCT o AS h FROM s WHERE NOT is_now UNION SELECT DISTINCT r FROM ok WHERE NOT is_now),
       served_then AS (SELECT DISTINCT r, rp, p FROM ok WHERE NOT is_now)
       SELECT r, rp, p, count(DISTINCT o) AS clients, count(*) AS n, min(ts) AS t0, max(end_us) AS t1, max(ts) AS last_start, list(DISTINCT o)[1:5] AS some
         FROM ok WHERE is_now AND ${inR.sql} AND r IN (SELECT h FROM hosts_then)
          AND NOT EXISTS (SELECT 1 FROM served_then x WHERE x.r = ok.r AND x.rp = ok.rp AND x.p = ok.p)
        GROUP BY r, rp, p
       HAVING count(DISTINCT o) >= CASE WHEN rp >= 49152 THEN $eph ELSE $min_c END
          AND (count(DISTINCT o) >= $several OR bool_or(NOT ${inO.sql}))
        ORDER BY t0 LIMIT 200`,
      { ...b.params, ...inR.params, ...inO.params, min_c: t.min_clients, eph: t.ephemeral_min_clients, several: t.internal_min_clients },
    );
    return rows.map((row): Finding => {
      const host = ipText(row.r), port = num(row.rp), p = num(row.p), clients = num(row.clients);
      const t0 = num(row.t0), t1 = Math.max(num(row.t1), num(row.last_start));
      const some = ((row.some as unknown[]) ?? []).map(ipText);
      const score = clamp01(0.45 + 0.1 * Math.min(3, Math.log10(clients + 1)));
      return {
        kind: 'new_service', severity: 'medium', score, src: clients === 1 ? some[0] : null, dst: host, targets: clients, ports: [port], portsTotal: 1,
        startUs: t0, endUs: t1, attack: 'T1543',
        summary: `${host} answered on ${port}/${p === 17 ? 'udp' : 'tcp'}, a port it did not serve in the baseline, for ${countText(clients)} `
          + `${clients === 1 ? `client (${some[0]})` : 'clients'}`,
        evidence: evidenceFilter({ dst: host, src: clients === 1 ? some[0] : null, proto: p, dstPorts: [port], fromUs: t0, toUs: t1 }),
        facts: { clients, sessions: num(row.n), some_clients: some },
      };
    });
  },
};
