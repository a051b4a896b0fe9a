import { countText } from '../timeline/wording';
import type { DetectionKind } from './detection-types';
import { FLAGLESS_SQL, ipText, num, windowSessions, windowSql, type WindowSql } from './detect-sql';
import { clamp01, severityOf, spanText, type DetectContext, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

interface FloodKind {
  kind: DetectionKind;
  attack: string;
  proto: number | null;
  unit: string;
  minRate: number;
  /** SQL giving (r, o, ts, m): what arrives at destination r from o at ts (µs), m units. */
  units(ctx: DetectContext): { sql: string; params: WindowSql['params'] };
}

/**
 * Packets per second from flow records: a short record counts at its start; a long, heavy one
 * (a NetFlow record carrying a whole flood) is spread evenly over its seconds.
 */
function packetUnits(protoSql: string) {
  return (ctx: DetectContext) => {
    const w = windowSql(ctx, 'start_us');
    return {
      sql: `SELECT dst_ip AS r, src_ip AS o, start_us AS ts, packets AS m FROM flows_counted WHERE ${w.sql} AND ${protoSql} AND end_us - start_us < 2000000
            UNION ALL
            SELECT r, o, unnest(range(s0, s1 + 1)) * 1000000 AS ts, m FROM (
              SELECT dst_ip AS r, src_ip AS o, start_us // 1000000 AS s0, end_us // 1000000 AS s1, packets / (end_us // 1000000 - start_us // 1000000 + 1) AS m
                FROM flows_counted WHERE ${w.sql} AND ${protoSql} AND end_us - start_us >= 2000000)`,
      params: w.params,
    };
  };
}

const KINDS: FloodKind[] = [
  // Half-open or refused handshakes: a spoofed SYN flood leaves one S0 session per forged source.
  { kind: 'syn_flood', attack: 'T1499', proto: 6, unit: 'half-open TCP connections', minRate: 200,
    units: (ctx) => {
      const b = windowSessions(ctx);
      return { sql: `SELECT r, o, ts, 1 AS m FROM (${b.sql}) WHERE p = 6 AND (cs IN ('S0', 'REJ', 'RSTOS0', 'SH') OR (${FLAGLESS_SQL} AND opk <= 2 AND rpk <= 1))`, params: b.params };
    } },
  { kind: 'udp_flood', attack: 'T1498', proto: 17, unit: 'UDP packets', minRate: 2000, units: packetUnits('proto = 17') },
  { kind: 'icmp_flood', attack: 'T1498', proto: null, unit: 'ICMP packets', minRate: 500, units: packetUnits('proto IN (1, 58)') },
];

/**
 * Floods: a destination's per-second rate over `min_rate` for `min_seconds` seconds, and that
 * burst's rate `min_factor` times the destination's own rate in the rest of the window, so a
 * busy resolver or server at its usual load stays quiet.
 */
function floodDetector(k: FloodKind): Detector {
  return {
    kind: k.kind,
    version: '1',
    attack: k.attack,
    thresholds: {
      min_rate: { value: k.minRate, help: `${k.unit} per second to one destination` },
      min_seconds: { value: 3, help: 'seconds at or above the rate' },
      min_factor: { value: 10, help: "burst rate against the destination's own rate in the rest of the window" },
    },
    async run(ctx, t) {
      const u = k.units(ctx);
      const rows = await ctx.store.all(
        `WITH a AS (${u.sql}),
         span AS (SELECT greatest(1, (max(ts) - min(ts)) / 1e6) AS secs FROM a),
         sec AS (SELECT r, ts // 1000000 AS sec, sum(m) AS m FROM a GROUP BY r, sec),
         hot AS (SELECT r, min(sec) AS s0, max(sec) AS s1, count(*) AS nsec, max(m) AS peak FROM sec WHERE m >= $min_rate GROUP BY r
                  HAVING count(*) >= $min_sec),
         tot AS (SELECT a.r, sum(m) AS total, sum(m) FILTER (WHERE a.ts // 1000000 BETWEEN h.s0 AND h.s1) AS in_burst,
                        count(DISTINCT a.o) FILTER (WHERE a.ts // 1000000 BETWEEN h.s0 AND h.s1) AS sources,
                        any_value(a.o) FILTER (WHERE a.ts // 1000000 BETWEEN h.s0 AND h.s1) AS one_src
                   FROM a JOIN hot h ON h.r = a.r GROUP BY a.r),
         bsrc AS (SELECT a.r, a.o, sum(m) AS m FROM a JOIN hot h ON h.r = a.r WHERE a.ts // 1000000 BETWEEN h.s0 AND h.s1 GROUP BY a.r, a.o),
         top AS (SELECT r, arg_max(o, m) AS top_src, max(m) AS top_m FROM bsrc GROUP BY r)
         SELECT h.*, t.total, t.in_burst, t.sources, t.one_src, top.top_src, top.top_m, span.secs
           FROM hot h JOIN tot t ON t.r = h.r JOIN top ON top.r = h.r, span`,
        { ...u.params, min_rate: t.min_rate, min_sec: t.min_seconds },
      );
      const out: Finding[] = [];
      for (const row of rows) {
        const dst = ipText(row.r);
        const s0 = num(row.s0), s1 = num(row.s1);
        const burstSecs = s1 - s0 + 1;
        const inBurst = num(row.in_burst);
        const rate = inBurst / burstSecs;
        const otherSecs = Math.max(300, num(row.secs) - burstSecs);
        const usual = (num(row.total) - inBurst) / otherSecs;
        const factor = rate / Math.max(usual, 0.01);
        if (factor < t.min_factor) continue;
        const sources = num(row.sources);
        // One source carrying nearly all of it is named (a poller's few packets beside it do not hide it).
        const topShare = num(row.top_m) / Math.max(inBurst, 1);
        const src = sources === 1 ? ipText(row.one_src) : topShare >= 0.9 ? ipText(row.top_src) : null;
        const score = clamp01(0.5 + 0.25 * Math.min(1, Math.log10(rate / t.min_rate + 1)) + 0.25 * Math.min(1, Math.log10(factor) / 3));
        const fromUs = s0 * 1e6, toUs = (s1 + 1) * 1e6 - 1;
        out.push({
          kind: k.kind, severity: severityOf(score, 'high'), score, src, dst, targets: 1, ports: [], portsTotal: 0, startUs: fromUs, endUs: toUs,
          attack: k.attack,
          summary: `${dst} received ${countText(inBurst)} ${k.unit} from ${sources === 1 ? src : src ? `${src} (${Math.round(topShare * 100)} %; ${countText(sources)} sources)` : `${countText(sources)} sources`} in ${spanText(toUs - fromUs)} `
            + `(${countText(rate)}/s, peak ${countText(num(row.peak))}/s; ${usual < 0.01 ? 'next to nothing otherwise' : `${countText(factor)}× its usual rate`})`,
          evidence: evidenceFilter({ dst, src: sources === 1 ? src : null, proto: k.proto, fromUs, toUs, extra: k.proto === null ? ['(icmp or icmp6)'] : [] }),
          facts: { rate_per_s: Math.round(rate), peak_per_s: num(row.peak), usual_per_s: Number(usual.toFixed(3)), seconds_over: num(row.nsec), sources },
        });
      }
      return out;
    },
  };
}

export const [synFlood, udpFlood, icmpFlood] = KINDS.map(floodDetector);
