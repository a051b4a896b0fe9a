import { bytesText, countText } from '../timeline/wording';
import { ipText, isInternal, num, windowSessions } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/**
 * Exfiltration: bytes an internal host sent to one external destination, summed over the
 * window (slow transfers in many small flows count as much as one burst), large in absolute
 * terms, much more than came back (downloads, updates and video are inbound), and large
 * against the host's own habit: its median upload to its other external destinations, and
 * what it sent the same destination in the baseline (before --baseline-until), if any.
 */
export const exfiltration: Detector = {
  kind: 'exfiltration',
  version: '1',
  attack: 'T1048',
  thresholds: {
    min_bytes: { value: 20_000_000, help: 'bytes sent to one external destination in the window' },
    min_out_in_ratio: { value: 3, help: 'bytes out against bytes back' },
    min_factor: { value: 10, help: "against the host's median upload to its other external destinations" },
    baseline_share: { value: 0.3, help: 'a destination that got at least this share as much in the baseline is known' },
  },
  async run(ctx, t) {
    const base = windowSessions(ctx);
    const inO = isInternal(ctx, 'o', 'io');
    const inR = isInternal(ctx, 'r', 'ir');
    const baseUntil = ctx.range.baselineUntilUs;
    const rows = await ctx.store.all(
      `WITH s AS (${base.sql}),
       a AS (SELECT o, r, ts, end_us, oby, rby, rp FROM s WHERE ${inO.sql} AND NOT ${inR.sql}),
       pair AS (SELECT o, r, sum(oby) AS out_b, sum(rby) AS in_b, count(*) AS n, min(ts) AS t0, max(end_us) AS t1, max(ts) AS last_start,
                       list(DISTINCT rp) AS ports FROM a GROUP BY o, r),
       habit AS (SELECT o, median(out_b) AS med_out, count(*) AS dests FROM pair GROUP BY o)
       SELECT pair.*, habit.med_out, habit.dests,
              ${baseUntil === null ? '0' : `(SELECT coalesce(sum(orig_ip_bytes), 0) FROM sessions b WHERE b."id.orig_h" = pair.o AND b."id.resp_h" = pair.r AND b.ts < $bu)`} AS base_out
         FROM pair JOIN habit USING (o)
        WHERE out_b >= $min_b AND out_b >= $ratio * in_b ORDER BY out_b DESC LIMIT 200`,
      { ...base.params, ...inO.params, ...inR.params, min_b: t.min_bytes, ratio: t.min_out_in_ratio, ...(baseUntil === null ? {} : { bu: BigInt(baseUntil) }) },
    );
    const out: Finding[] = [];
    for (const row of rows) {
      const outB = num(row.out_b), dests = num(row.dests);
      // The host's habit: the median upload to its destinations other than this one (this one is among them; with few it dominates).
      const habit = dests > 2 ? num(row.med_out) : 0;
      const factor = outB / Math.max(habit, 1);
      if (habit > 0 && factor < t.min_factor) continue;
      if (num(row.base_out) >= t.baseline_share * outB) continue;
      const src = ipText(row.o), dst = ipText(row.r);
      const t0 = num(row.t0), t1 = Math.max(num(row.t1), num(row.last_start)), n = num(row.n);
      const ports = ((row.ports as unknown[]) ?? []).map(num).sort((a, b) => a - b);
      const slow = n >= 20 && t1 - t0 >= 3600e6;
      const score = clamp01(0.5 + 0.3 * Math.min(1, Math.log10(outB / t.min_bytes) / 2) + 0.2 * Math.min(1, Math.log10(factor) / 4));
      out.push({
        kind: 'exfiltration', severity: severityOf(score, outB >= 1e9 ? 'critical' : outB >= 1e8 ? 'high' : 'medium'), score, src, dst, targets: 1,
        ports: ports.slice(0, 20), portsTotal: ports.length, startUs: t0, endUs: t1, attack: 'T1048',
        summary: `${src} sent ${bytesText(outB)} to ${dst} in ${countText(n)} connections over ${spanText(t1 - t0)} `
          + `(${bytesText(num(row.in_b))} back${habit > 0 ? `; ${countText(factor)}× its usual upload to one destination` : ''})${slow ? ': slow, steady transfer' : ''}`,
        evidence: evidenceFilter({ src, dst, fromUs: t0, toUs: t1 }),
        facts: { bytes_out: outB, bytes_in: num(row.in_b), connections: n, usual_upload_bytes: habit, factor: Math.round(factor), slow,
          baseline_bytes: num(row.base_out), ports: ports.slice(0, 20) },
      });
    }
    return out;
  },
};
