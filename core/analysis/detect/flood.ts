import type { DetectionKind } from './detection-types';
import { countText } from '../timeline/wording';
import { FLAGLESS_SQL, ipText, num, windowSessions } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

interface FloodKind {
  kind: DetectionKind;
  attack: string;
  proto: number | null;
  /** Sessions that count, and what each contributes (sessions or packets). */
  where: string;
  measure: string;
  unit: string;
  minRate: number;
}

const KINDS: FloodKind[] = [
  // Half-open or refused handshakes: a spoofed SYN flood leaves S0 sessions from many sources.
  { kind: 'syn_flood', attack: 'T1499', proto: 6, unit: 'half-open TCP connections', minRate: 200,
    where: `p = 6 AND (cs IN ('S0', 'REJ', 'RSTOS0', 'SH') OR (${FLAGLESS_SQL} AND opk <= 2 AND rpk <= 1))`, measure: 'count(*)' },
  { kind: 'udp_flood', attack: 'T1498', proto: 17, unit: 'UDP packets', minRate: 2000, where: 'p = 17', measure: 'sum(opk)' },
  { kind: 'icmp_flood', attack: 'T1498', proto: null, unit: 'ICMP packets', minRate: 500, where: 'p IN (1, 58)', measure: 'sum(opk)' },
];

/**
 * Floods: a destination's per-second rate over `min_rate` for `min_seconds` seconds, and that
 * burst's rate `min_factor` times the destination's own rate in the rest of the window (per
 * 5-minute bin), so a busy resolver or server at its usual load stays quiet.
 */
function floodDetector(k: FloodKind): Detector {
  return {
    kind: k.kind,
    version: '1',
    attack: k.attack,
    thresholds: {
      min_rate: { value: k.minRate, help: `${k.unit} per second to one destination` },
      min_seconds: { value: 3, help: 'seconds at or above the rate' },
      min_factor: { value: 10, help: "burst rate against the destination's own rate in the other 5-minute bins" },
    },
    async run(ctx, t) {
      const base = windowSessions(ctx);
      const rows = await ctx.store.all(
        `WITH s AS (${base.sql}),
         a AS (SELECT * FROM s WHERE ${k.where}),
         span AS (SELECT greatest(1, ceil((max(ts) - min(ts)) / 300e6)) AS bins FROM s),
         sec AS (SELECT r, ts // 1000000 AS sec, ${k.measure} AS m FROM a GROUP BY r, sec),
         hot AS (SELECT r, min(sec) AS s0, max(sec) AS s1, count(*) AS nsec, sum(m) AS burst, max(m) AS peak FROM sec WHERE m >= $min_rate GROUP BY r
                  HAVING count(*) >= $min_sec),
         tot AS (SELECT a.r, ${k.measure.replace('count(*)', 'count(*)')} AS total, count(DISTINCT a.o) FILTER (WHERE a.ts // 1000000 BETWEEN h.s0 AND h.s1) AS sources,
                        any_value(a.o) FILTER (WHERE a.ts // 1000000 BETWEEN h.s0 AND h.s1) AS one_src,
                        sum(${k.measure === 'count(*)' ? '1' : 'opk'}) FILTER (WHERE a.ts // 1000000 BETWEEN h.s0 AND h.s1) AS in_burst
                   FROM a JOIN hot h ON h.r = a.r GROUP BY a.r)
         SELECT h.*, t.total, t.sources, t.one_src, t.in_burst, span.bins FROM hot h JOIN tot t ON t.r = h.r, span`,
        { ...base.params, min_rate: t.min_rate, min_sec: t.min_seconds },
      );
      const out: Finding[] = [];
      for (const row of rows) {
        const dst = ipText(row.r);
        const s0 = num(row.s0), s1 = num(row.s1);
        const burstSecs = s1 - s0 + 1;
        const inBurst = num(row.in_burst);
        const rate = inBurst / burstSecs;
        const burstBins = Math.ceil(burstSecs / 300);
        const otherBins = Math.max(1, num(row.bins) - burstBins);
        const usual = (num(row.total) - inBurst) / (otherBins * 300);
        const factor = rate / Math.max(usual, 0.01);
        if (factor < t.min_factor) continue;
        const sources = num(row.sources);
        const src = sources === 1 ? ipText(row.one_src) : null;
        const score = clamp01(0.5 + 0.25 * Math.min(1, Math.log10(rate / t.min_rate + 1)) + 0.25 * Math.min(1, Math.log10(factor) / 3));
        const fromUs = s0 * 1e6, toUs = (s1 + 1) * 1e6 - 1;
        out.push({
          kind: k.kind, severity: severityOf(score, 'high'), score, src, dst, targets: 1, ports: [], portsTotal: 0, startUs: fromUs, endUs: toUs,
          attack: k.attack,
          summary: `${dst} received ${countText(inBurst)} ${k.unit} from ${sources === 1 ? src : `${countText(sources)} sources`} in ${spanText(toUs - fromUs)} `
            + `(${countText(rate)}/s, peak ${countText(num(row.peak))}/s; ${usual < 0.01 ? 'none before' : `${countText(factor)}× its usual rate`})`,
          evidence: evidenceFilter({ dst, src, proto: k.proto, fromUs, toUs, extra: k.proto === null ? ['(icmp or icmp6)'] : [] }),
          facts: { rate_per_s: Math.round(rate), peak_per_s: num(row.peak), usual_per_s: Number(usual.toFixed(3)), seconds_over: num(row.nsec), sources },
        });
      }
      return out;
    },
  };
}

export const [synFlood, udpFlood, icmpFlood] = KINDS.map(floodDetector);
