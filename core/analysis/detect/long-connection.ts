import { bytesText } from '../timeline/wording';
import { ipText, isInternal, num, windowSessions } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/** Long connections (RITA): sessions between an internal and an external host lasting hours, per pair and port. */
export const longConnection: Detector = {
  kind: 'long_connection',
  version: '1',
  attack: 'T1071',
  thresholds: {
    min_hours: { value: 1, help: 'session duration, hours' },
  },
  async run(ctx, t) {
    const base = windowSessions(ctx);
    const inO = isInternal(ctx, 'o', 'io');
    const inR = isInternal(ctx, 'r', 'ir');
    const rows = await ctx.store.all(
      `WITH s AS (${base.sql})
       SELECT o, r, rp, p, count(*) AS n, min(ts) AS t0, max(end_us) AS t1, max(end_us - ts) AS longest, sum(oby) AS out_b, sum(rby) AS in_b
         FROM s WHERE end_us - ts >= $min_us AND (${inO.sql}) <> (${inR.sql})
        GROUP BY o, r, rp, p ORDER BY longest DESC LIMIT 200`,
      { ...base.params, ...inO.params, ...inR.params, min_us: BigInt(Math.round(t.min_hours * 3600e6)) },
    );
    return rows.map((row): Finding => {
      const src = ipText(row.o), dst = ipText(row.r), port = num(row.rp), p = num(row.p);
      const t0 = num(row.t0), t1 = num(row.t1), longest = num(row.longest);
      const score = clamp01(0.4 + 0.2 * Math.min(1, longest / (t.min_hours * 3600e6 * 8)));
      return {
        kind: 'long_connection', severity: severityOf(score), score, src, dst, targets: 1, ports: p === 6 || p === 17 ? [port] : [], portsTotal: 1,
        startUs: t0, endUs: t1, attack: 'T1071',
        summary: `${src} held a connection to ${dst}${p === 6 || p === 17 ? `:${port}` : ''} for ${spanText(longest)} `
          + `(${bytesText(num(row.out_b))} out, ${bytesText(num(row.in_b))} in)`,
        // Both directions' records: the connection is what matters, whoever sent each record.
        evidence: evidenceFilter({ host: src, extra: [`host ${dst}`, ...(p === 6 || p === 17 ? [`port ${port}`] : [])], proto: p, fromUs: t0, toUs: t1 }),
        facts: { sessions: num(row.n), longest_s: Math.round(longest / 1e6), bytes_out: num(row.out_b), bytes_in: num(row.in_b) },
      };
    });
  },
};
