import { countText, listText } from '../timeline/wording';
import { FAILED_SQL, FLAGLESS_SQL, ipText, num, windowSessions } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/**
 * Vertical scan: one source tries many ports of one host, most attempts failing (Zeek's
 * scan policy counts 15 ports; here over the whole window, so a slower sweep still counts).
 * A client with many answered connections to one server (FTP data, RPC) fails the
 * failure-ratio test and stays quiet, unless it tried that many well-known ports (below 1024)
 * within a few minutes: a connect scan that found them open.
 */
export const portScan: Detector = {
  kind: 'port_scan',
  version: '1',
  attack: 'T1046',
  thresholds: {
    min_ports: { value: 15, help: 'distinct ports of one host a source must try' },
    min_failed_ratio: { value: 0.6, help: 'share of tried ports that must fail (no answer, reset)' },
    well_known_window_s: { value: 300, help: 'min_ports ports below 1024 tried within this many seconds alarm even when they answered' },
    max_gap_s: { value: 10, help: 'typical (median) seconds between failed probes; slower probing is a slow scan' },
  },
  async run(ctx, t) {
    const base = windowSessions(ctx);
    const rows = await ctx.store.all(
      `WITH s AS (${base.sql}),
       per_port AS (
         SELECT o, r, p, rp, min(ts) AS t0, max(end_us) AS t1, bool_and(${FAILED_SQL}) AS failed, bool_or(${FLAGLESS_SQL}) AS flagless
           FROM s WHERE p IN (6, 17) GROUP BY ALL),
       -- The probing itself: first and last failed probe, and the typical gap between them.
       fp AS (SELECT o, r, p, t0, t0 - lag(t0) OVER (PARTITION BY o, r, p ORDER BY t0) AS gap FROM per_port WHERE failed),
       fg AS (SELECT o, r, p, median(gap) AS mgap, min(t0) AS f0, max(t0) AS f1 FROM fp GROUP BY ALL)
       SELECT pp.o, pp.r, pp.p, count(*) AS ports, count(*) FILTER (WHERE NOT failed) AS answered,
              list(rp ORDER BY rp) FILTER (WHERE NOT failed) AS open_ports, list(rp ORDER BY rp) AS all_ports,
              avg(failed::INTEGER) AS failed_ratio, coalesce(any_value(fg.f0), min(pp.t0)) AS t0, coalesce(any_value(fg.f1), max(pp.t0)) AS t1,
              bool_or(flagless) AS flagless, any_value(fg.mgap) AS mgap, count(*) FILTER (WHERE rp < 1024) AS low_ports
         FROM per_port pp LEFT JOIN fg ON fg.o = pp.o AND fg.r = pp.r AND fg.p = pp.p
        GROUP BY pp.o, pp.r, pp.p
        HAVING count(*) >= $min_ports
           AND ((avg(failed::INTEGER) >= $min_failed AND coalesce(any_value(fg.mgap), 0) <= $max_gap * 1e6)
             -- Many well-known ports in a few minutes, whether they answered or not (a connect scan).
             OR (count(*) FILTER (WHERE rp < 1024) >= $min_ports AND max(pp.t0) - min(pp.t0) <= $burst * 1e6))
        ORDER BY count(*) DESC LIMIT 500`,
      { ...base.params, min_ports: t.min_ports, min_failed: t.min_failed_ratio, max_gap: t.max_gap_s, burst: t.well_known_window_s },
    );
    return rows.map((row): Finding => {
      const src = ipText(row.o), dst = ipText(row.r), p = num(row.p);
      const ports = num(row.ports), answered = num(row.answered);
      const open = ((row.open_ports as unknown[] | null) ?? []).map(num);
      const all = ((row.all_ports as unknown[]) ?? []).map(num);
      const t0 = num(row.t0), t1 = num(row.t1);
      const score = clamp01(0.45 + 0.35 * Math.min(1, Math.log10(ports / t.min_ports + 1) / 2) + 0.2 * num(row.failed_ratio));
      const flagless = !!row.flagless;
      return {
        kind: 'port_scan', severity: severityOf(score, ports >= 1000 ? 'high' : 'medium'), score,
        src, dst, targets: ports, ports: all.slice(0, 100), portsTotal: ports, startUs: t0, endUs: t1, attack: 'T1046',
        summary: `${src} probed ${countText(ports)} ${p === 17 ? 'UDP' : 'TCP'} ports on ${dst} in ${spanText(t1 - t0)}; `
          + `${countText(answered)} answered${answered ? ` (${listText(open.map((x) => x))})` : ''}`
          + (flagless ? ' (no TCP flags in the evidence: answers inferred from packet counts)' : ''),
        evidence: evidenceFilter({ src, dst, proto: p, dstPorts: all, fromUs: t0, toUs: t1 }),
        facts: { answered_ports: open.slice(0, 50), failed_ratio: Number(num(row.failed_ratio).toFixed(3)), ports_tried: ports, no_tcp_flags: flagless,
          proto: p, answered, median_gap_s: num(row.mgap) / 1e6 },
      };
    });
  },
};

