import { countText } from '../timeline/wording';
import { FAILED_SQL, FLAGLESS_SQL, ipText, isInternal, num, windowSessions } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/**
 * Horizontal scan or sweep: one source tries one port (or ICMP echo) on many hosts. It alarms
 * when most attempts fail, or when it is a single pass over internal addresses (a sweep of
 * live hosts answers, but a monitoring poller returns to the same hosts again and again).
 * A peer-to-peer client also reaches many hosts, but on many different high ports: a
 * source that used more than `p2p_ports` distinct high ports is not called a scanner on a
 * high port.
 */
export const hostScan: Detector = {
  kind: 'host_scan',
  version: '1',
  attack: 'T1046',
  thresholds: {
    min_hosts: { value: 15, help: 'distinct hosts a source must try on one port' },
    min_failed_ratio: { value: 0.6, help: 'share of tried hosts that must fail (unless a one-pass sweep of internal hosts)' },
    max_repeat: { value: 2, help: 'attempts per host (median) below which a sweep of internal hosts alarms even when answered' },
    max_gap_s: { value: 10, help: 'typical (median) seconds between probes; slower probing is a slow scan' },
    p2p_ports: { value: 50, help: 'distinct high ports a source uses before its high-port contacts count as peer-to-peer' },
  },
  async run(ctx, t) {
    const base = windowSessions(ctx);
    const inR = isInternal(ctx, 'r', 'ni');
    const rows = await ctx.store.all(
      `WITH s AS (${base.sql}),
       a AS (SELECT *, ${FAILED_SQL} AS failed, ${FLAGLESS_SQL} AS flagless,
                    CASE WHEN p IN (1, 58) THEN -1 ELSE rp END AS port_key
               FROM s WHERE p IN (6, 17) OR (p = 1 AND op = 8) OR (p = 58 AND op = 128)),
       hi AS (SELECT o, count(DISTINCT rp) AS high_ports FROM a WHERE p IN (6, 17) AND rp >= 1024 GROUP BY o),
       per_host AS (
         SELECT o, p, port_key, r, min(ts) AS t0, max(end_us) AS t1, max(ts) AS last_start, count(*) AS tries,
                bool_and(failed) AS failed, bool_or(flagless) AS flagless, ${inR.sql} AS internal
           FROM a GROUP BY o, p, port_key, r),
       -- The probing itself: the failed first contacts when failures are what makes it a scan, else all; their typical gap.
       timed AS (SELECT o, p, port_key, t0, failed, count(*) FILTER (WHERE failed) OVER w AS nf, count(*) OVER w AS nall FROM per_host
                 WINDOW w AS (PARTITION BY o, p, port_key)),
       tp AS (SELECT o, p, port_key, t0, t0 - lag(t0) OVER (PARTITION BY o, p, port_key ORDER BY t0) AS gap FROM timed
               WHERE failed OR nf < $min_failed * nall),
       tg AS (SELECT o, p, port_key, median(gap) AS mgap, min(t0) AS f0, max(t0) AS f1 FROM tp GROUP BY ALL)
       SELECT h.o, h.p, h.port_key, any_value(tg.f0) AS f0, any_value(tg.f1) AS f1, any_value(tg.mgap) AS mgap, count(*) AS hosts, count(*) FILTER (WHERE NOT failed) AS answered,
              avg(failed::INTEGER) AS failed_ratio, median(tries) AS repeat, avg(internal::INTEGER) AS internal_share,
              min(t0) AS t0, max(t1) AS t1, max(last_start) AS last_start, bool_or(flagless) AS flagless, any_value(coalesce(hi.high_ports, 0)) AS high_ports
         FROM per_host h LEFT JOIN hi ON hi.o = h.o JOIN tg ON tg.o = h.o AND tg.p = h.p AND tg.port_key = h.port_key
        GROUP BY h.o, h.p, h.port_key
       HAVING count(*) >= $min_hosts
          AND (avg(failed::INTEGER) >= $min_failed OR (median(tries) <= $max_repeat AND avg(internal::INTEGER) >= 0.9))
          AND coalesce(any_value(tg.mgap), 0) <= $max_gap * 1e6
          AND NOT (h.port_key >= 1024 AND any_value(coalesce(hi.high_ports, 0)) > $p2p)
        ORDER BY count(*) DESC LIMIT 500`,
      { ...base.params, ...inR.params, min_hosts: t.min_hosts, min_failed: t.min_failed_ratio, max_repeat: t.max_repeat, p2p: t.p2p_ports, max_gap: t.max_gap_s },
    );
    return rows.map((row): Finding => {
      const src = ipText(row.o), p = num(row.p), port = num(row.port_key);
      const hosts = num(row.hosts), answered = num(row.answered);
      const t0 = num(row.f0), t1 = num(row.f1);
      const icmp = port < 0;
      const score = clamp01(0.45 + 0.35 * Math.min(1, Math.log10(hosts / t.min_hosts + 1) / 2) + 0.2 * num(row.failed_ratio));
      const flagless = !!row.flagless;
      const what = icmp ? 'with ICMP echo' : `on ${port}/${p === 17 ? 'udp' : 'tcp'}`;
      return {
        kind: 'host_scan', severity: severityOf(score, hosts >= 256 ? 'high' : 'medium'), score,
        src, dst: null, targets: hosts, ports: icmp ? [] : [port], portsTotal: icmp ? 0 : 1, startUs: t0, endUs: t1, attack: icmp ? 'T1018' : 'T1046',
        summary: `${src} ${icmp ? 'swept' : 'probed'} ${countText(hosts)} hosts ${what} in ${spanText(t1 - t0)}; ${countText(answered)} answered`
          + (flagless ? ' (no TCP flags in the evidence: answers inferred from packet counts)' : ''),
        evidence: evidenceFilter({ src, proto: p, dstPorts: icmp ? [] : [port], fromUs: t0, toUs: t1 }),
        facts: { failed_ratio: Number(num(row.failed_ratio).toFixed(3)), hosts_tried: hosts, answered, proto: p, icmp_sweep: icmp,
          internal_targets_share: Number(num(row.internal_share).toFixed(3)), no_tcp_flags: flagless,
          median_gap_s: num(row.mgap) / 1e6 },
      };
    });
  },
};
