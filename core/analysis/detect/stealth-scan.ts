import { countText, listText } from '../timeline/wording';
import { ipText, num, windowSql } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/**
 * Stealth scans: TCP probes with neither SYN nor ACK (FIN, NULL, Xmas), which no normal
 * stack sends to open a connection. Needs TCP flags: evidence files that never recorded a
 * SYN (exporters without flags, VPC logs) are left out, as their zero flags mean "unknown".
 */
export const stealthScan: Detector = {
  kind: 'stealth_scan',
  version: '1',
  attack: 'T1046',
  thresholds: {
    min_probes: { value: 10, help: 'distinct host:port pairs probed without SYN or ACK' },
  },
  async run(ctx, t) {
    const w = windowSql(ctx, 'start_us');
    const rows = await ctx.store.all(
      `WITH ev AS (SELECT DISTINCT evidence_id FROM flows_counted WHERE proto = 6 AND (tcp_flags & 2) <> 0),
       f AS (SELECT src_ip, dst_ip, dst_port, start_us, end_us, tcp_flags FROM flows_counted
              WHERE ${w.sql} AND proto = 6 AND tcp_flags IS NOT NULL AND (tcp_flags & 18) = 0 AND packets <= 3
                AND evidence_id IN (SELECT evidence_id FROM ev))
       SELECT src_ip, count(DISTINCT (dst_ip, dst_port)) AS probes, count(DISTINCT dst_ip) AS hosts, count(DISTINCT dst_port) AS ports,
              any_value(dst_ip) AS one_dst, list(DISTINCT dst_port ORDER BY dst_port) AS port_list, list(DISTINCT tcp_flags) AS kinds,
              min(start_us) AS t0, max(end_us) AS t1, max(start_us) AS last_start
         FROM f GROUP BY src_ip HAVING count(DISTINCT (dst_ip, dst_port)) >= $min ORDER BY probes DESC LIMIT 100`,
      { ...w.params, min: t.min_probes },
    );
    return rows.map((row): Finding => {
      const src = ipText(row.src_ip), hosts = num(row.hosts), probes = num(row.probes);
      const dst = hosts === 1 ? ipText(row.one_dst) : null;
      const ports = ((row.port_list as unknown[]) ?? []).map(num);
      const kinds = ((row.kinds as unknown[]) ?? []).map(num).map((f) => (f === 0 ? 'NULL' : (f & 41) === 41 ? 'Xmas' : (f & 1) ? 'FIN' : `flags 0x${f.toString(16)}`));
      const t0 = num(row.t0), t1 = Math.max(num(row.t1), num(row.last_start));
      const score = clamp01(0.6 + 0.3 * Math.min(1, Math.log10(probes / t.min_probes + 1)));
      return {
        kind: 'stealth_scan', severity: severityOf(score, 'high'), score, src, dst, targets: dst ? ports.length : hosts, ports: ports.slice(0, 100),
        portsTotal: ports.length, startUs: t0, endUs: t1, attack: 'T1046',
        summary: `${src} sent ${countText(probes)} ${listText([...new Set(kinds)])} probes (no SYN, no ACK) to ${dst ?? `${countText(hosts)} hosts`} `
          + `on ${countText(ports.length)} ports in ${spanText(t1 - t0)}`,
        evidence: evidenceFilter({ src, dst, proto: 6, dstPorts: ports, extra: ['not src flags S', 'not src flags A'], fromUs: t0, toUs: t1 }),
        facts: { probes, hosts, ports: ports.length, probe_kinds: [...new Set(kinds)] },
      };
    });
  },
};
