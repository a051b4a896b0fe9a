import { countText, plural } from '../timeline/wording';
import { FAILED_SQL, ipText, num, windowSessions } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/**
 * Slow scans by sequential hypothesis testing (TRW, Jung et al. 2004, as SiLK's rwscan): per
 * source, each first contact to a host:port is a success or a failure; the log likelihood ratio
 * of "scanner" against "benign" moves by ln(θ1/θ0) on a success and ln((1−θ1)/(1−θ0)) on a
 * failure. Crossing ln η1 declares a scanner whatever the rate; falling to ln η0 declares
 * the source benign and the walk starts again (a host may start scanning later). Only sources
 * whose first contacts mostly fail, over at least `min_span_min`, are walked, and only slow
 * ones (a median gap of `min_gap_s` or more between first contacts) are reported here: faster
 * scans are the port and host scan detectors' findings.
 */
export const slowScan: Detector = {
  kind: 'slow_scan',
  version: '1',
  attack: 'T1046',
  thresholds: {
    theta0: { value: 0.8, help: "chance a benign source's first contact succeeds" },
    theta1: { value: 0.2, help: "chance a scanner's first contact succeeds" },
    p_detect: { value: 0.99, help: 'wanted detection probability (η1 = P_D/P_F)' },
    p_false: { value: 0.01, help: 'tolerated false-positive probability' },
    min_targets: { value: 10, help: 'first contacts (host:port) of the source' },
    min_failed_ratio: { value: 0.8, help: 'share of first contacts that failed' },
    min_span_min: { value: 10, help: 'minutes between first and last contact' },
    min_gap_s: { value: 10, help: 'typical (median) seconds between first contacts; faster is a port/host scan' },
  },
  async run(ctx, t) {
    const base = windowSessions(ctx);
    const rows = await ctx.store.all(
      `WITH s AS (${base.sql}),
       a AS (SELECT o, r, CASE WHEN p = 1 THEN -1 ELSE rp END AS port_key, ts, end_us, ${FAILED_SQL} AS failed FROM s
              WHERE p = 6 OR (p = 1 AND op = 8)),
       first AS (SELECT o, r, port_key, min(ts) AS ts, max(end_us) AS end_us, arg_min(failed, ts) AS failed FROM a GROUP BY o, r, port_key),
       src AS (SELECT o FROM first GROUP BY o
                HAVING count(*) >= $min_t AND avg(failed::INTEGER) >= $min_f AND (max(ts) - min(ts)) >= $min_span * 60e6)
       SELECT o, list(struct_pack(ts := ts, e := end_us, f := failed, r := r, k := port_key) ORDER BY ts) AS contacts FROM first SEMI JOIN src USING (o) GROUP BY o`,
      { ...base.params, min_t: t.min_targets, min_f: t.min_failed_ratio, min_span: t.min_span_min },
    );
    const up = Math.log(t.p_detect / t.p_false);
    const down = Math.log((1 - t.p_detect) / (1 - t.p_false));
    const onSuccess = Math.log(t.theta1 / t.theta0);
    const onFailure = Math.log((1 - t.theta1) / (1 - t.theta0));
    const out: Finding[] = [];
    for (const row of rows) {
      const contacts = row.contacts as { ts: bigint; e: bigint; f: boolean; r: bigint; k: number }[];
      let llr = 0, start = 0, declaredAt = -1;
      for (let i = 0; i < contacts.length && declaredAt < 0; i++) {
        llr += contacts[i].f ? onFailure : onSuccess;
        if (llr >= up) declaredAt = i;
        else if (llr <= down) { llr = 0; start = i + 1; }
      }
      if (declaredAt < 0) continue;
      const run = contacts.slice(start);
      const src = ipText(row.o);
      const hosts = new Set(run.map((c) => String(c.r))).size;
      const ports = [...new Set(run.filter((c) => c.k >= 0).map((c) => num(c.k)))].sort((a, b) => a - b);
      const failed = run.filter((c) => c.f).length;
      const t0 = num(run[0].ts), t1 = Math.max(...run.map((c) => num(c.ts)));
      const rate = run.length / Math.max(1, (t1 - t0) / 60e6);
      // Slow means the typical gap between first contacts is long, whatever a few late ones add to the span.
      const gaps = run.slice(1).map((c, i) => num(c.ts) - num(run[i].ts)).sort((a, b) => a - b);
      const medianGap = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
      if (medianGap < t.min_gap_s * 1e6) continue;
      const dst = hosts === 1 ? ipText(run[0].r) : null;
      const score = clamp01(0.5 + 0.3 * (failed / run.length) + 0.2 * Math.min(1, Math.log10(run.length / t.min_targets + 1)));
      out.push({
        kind: 'slow_scan', severity: severityOf(score, 'medium'), score, src, dst, targets: dst ? ports.length : hosts, ports: ports.slice(0, 100),
        portsTotal: ports.length, startUs: t0, endUs: t1, attack: 'T1046',
        summary: `${src} made ${countText(run.length)} first contacts (${plural(hosts, 'host')}, ${plural(ports.length, 'port')}) over ${spanText(t1 - t0)}, `
          + `${rate < 1 ? `${(rate * 60).toFixed(1)} an hour` : `${rate.toFixed(1)} a minute`}; ${countText(failed)} failed: a scanner by sequential test after ${countText(declaredAt - start + 1)} contacts`,
        evidence: evidenceFilter({ src, dst, fromUs: t0, toUs: t1 }),
        facts: { first_contacts: run.length, median_gap_s: Math.round(medianGap / 1e6), failed, hosts, ports: ports.length, declared_after: declaredAt - start + 1, rate_per_min: Number(rate.toFixed(3)) },
      });
    }
    return out;
  },
};
