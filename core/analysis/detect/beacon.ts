import { bytesText, countText } from '../timeline/wording';
import { ipText, isInternal, num, windowSessions } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/**
 * Beacons, scored as RITA does: over the connection start times of an internal -> external
 * pair, the intervals' Bowley skewness and median absolute deviation (relative to the median
 * interval), and how many connections over the time the pair was seen; the same skew and
 * dispersion over bytes per connection, plus how small they are. Score = mean of the time
 * score and the size score. DNS and NTP are left out (periodic by design); internal pairs
 * (monitoring polls) too.
 */
export const beacon: Detector = {
  kind: 'beacon',
  version: '1',
  attack: 'T1071',
  thresholds: {
    min_connections: { value: 20, help: 'connections of the pair' },
    min_score: { value: 0.7, help: 'beacon score (0–1) to report' },
    min_interval_s: { value: 5, help: 'median interval, seconds (faster is a stream, not a beacon)' },
  },
  async run(ctx, t) {
    const base = windowSessions(ctx);
    const inO = isInternal(ctx, 'o', 'io');
    const inR = isInternal(ctx, 'r', 'ir');
    const rows = await ctx.store.all(
      `WITH s AS (${base.sql}),
       a AS (SELECT o, r, rp, p, ts, end_us, oby + rby AS tot FROM s
              WHERE ${inO.sql} AND NOT ${inR.sql} AND NOT (rp IN (53, 123) AND p IN (6, 17)) AND p IN (6, 17)),
       n AS (SELECT o, r FROM a GROUP BY o, r HAVING count(*) >= $min_n),
       d AS (SELECT a.o, a.r, a.rp, a.p, a.ts, a.end_us, a.tot, a.ts - lag(a.ts) OVER (PARTITION BY a.o, a.r ORDER BY a.ts) AS gap
              FROM a SEMI JOIN n ON n.o = a.o AND n.r = a.r),
       q AS (SELECT o, r, count(*) AS conns, min(ts) AS t0, max(end_us) AS t1, max(ts) AS last_start, mode(rp) AS port, mode(p) AS proto,
                    count(DISTINCT rp) AS nports, list(DISTINCT rp) AS ports,
                    quantile_cont(gap, [0.25, 0.5, 0.75]) AS gq, quantile_cont(tot, [0.25, 0.5, 0.75]) AS bq, sum(tot) AS bytes
               FROM d GROUP BY o, r),
       m AS (SELECT d.o, d.r, median(abs(d.gap - q.gq[2])) AS gmad, median(abs(d.tot - q.bq[2])) AS bmad
               FROM d JOIN q ON q.o = d.o AND q.r = d.r GROUP BY d.o, d.r)
       SELECT q.*, m.gmad, m.bmad FROM q JOIN m ON m.o = q.o AND m.r = q.r WHERE q.gq[2] >= $min_gap * 1e6`,
      { ...base.params, ...inO.params, ...inR.params, min_n: t.min_connections, min_gap: t.min_interval_s },
    );
    const out: Finding[] = [];
    for (const row of rows) {
      const [g1, g2, g3] = (row.gq as number[]).map(Number);
      const [b1, b2, b3] = (row.bq as number[]).map(Number);
      const bowley = (q1: number, q2: number, q3: number) => (q3 - q1 > 0 ? (q1 + q3 - 2 * q2) / (q3 - q1) : 0);
      const conns = num(row.conns);
      const t0 = num(row.t0), t1 = Math.max(num(row.t1), num(row.last_start));
      const seenSpan = Math.max(1, num(row.last_start) - t0);
      const tsSkew = 1 - Math.abs(bowley(g1, g2, g3));
      const tsMadm = clamp01(1 - (num(row.gmad) / Math.max(g2, 1)) / 0.5);
      // Connections against what the median interval predicts over the span the pair was seen.
      const tsCount = clamp01(conns / (seenSpan / Math.max(g2, 1) + 1));
      const dsSkew = 1 - Math.abs(bowley(b1, b2, b3));
      const dsMadm = clamp01(1 - (num(row.bmad) / Math.max(b2, 1)) / 0.5);
      const dsSmall = clamp01(1 - b2 / 65535);
      const tsScore = (tsSkew + tsMadm + tsCount) / 3;
      const dsScore = (dsSkew + dsMadm + dsSmall) / 3;
      const score = (tsScore + dsScore) / 2;
      if (score < t.min_score) continue;
      const src = ipText(row.o), dst = ipText(row.r);
      const ports = ((row.ports as unknown[]) ?? []).map(num).sort((a, b) => a - b);
      const jitter = num(row.gmad) / Math.max(g2, 1);
      out.push({
        kind: 'beacon', severity: severityOf(score, 'medium'), score, src, dst, targets: 1, ports: ports.slice(0, 20), portsTotal: ports.length,
        startUs: t0, endUs: t1, attack: 'T1071',
        summary: `${src} called ${dst}${ports.length === 1 ? `:${ports[0]}` : ''} ${countText(conns)} times over ${spanText(t1 - t0)}, `
          + `every ${spanText(g2)} (±${Math.round(jitter * 100)} %), ${bytesText(b2)} each: beacon score ${score.toFixed(2)}`,
        evidence: evidenceFilter({ src, dst, dstPorts: ports, fromUs: t0, toUs: t1 }),
        facts: { connections: conns, median_interval_s: g2 / 1e6, interval_madm_ratio: Number(jitter.toFixed(3)), interval_skew_score: Number(tsSkew.toFixed(3)),
          interval_dispersion_score: Number(tsMadm.toFixed(3)), count_score: Number(tsCount.toFixed(3)), size_skew_score: Number(dsSkew.toFixed(3)),
          size_dispersion_score: Number(dsMadm.toFixed(3)), size_smallness_score: Number(dsSmall.toFixed(3)), median_bytes: b2 },
      });
    }
    return out;
  },
};
