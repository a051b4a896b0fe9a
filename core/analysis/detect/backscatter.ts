import { countText } from '../timeline/wording';
import { ipText, num, windowSessions } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/**
 * Backscatter: a host answering (SYN-ACK, RST, ICMP replies or errors) many hosts that never
 * sent it anything: its answers to spoofed traffic, the echo of a DoS against it (FlowScan's
 * ACK→RST case). In sessions these are conversations whose originator sent no packet.
 */
export const backscatter: Detector = {
  kind: 'backscatter',
  version: '1',
  attack: 'T1498',
  thresholds: {
    min_hosts: { value: 20, help: 'distinct hosts receiving unsolicited answers from one host' },
  },
  async run(ctx, t) {
    const base = windowSessions(ctx);
    const rows = await ctx.store.all(
      `WITH s AS (${base.sql})
       SELECT r, p, count(DISTINCT o) AS hosts, count(*) AS n, min(ts) AS t0, max(end_us) AS t1, max(ts) AS last_start, list(DISTINCT history)[1:5] AS hist
         FROM s WHERE opk = 0 AND rpk > 0 GROUP BY r, p HAVING count(DISTINCT o) >= $min ORDER BY hosts DESC LIMIT 100`,
      { ...base.params, min: t.min_hosts },
    );
    return rows.map((row): Finding => {
      const src = ipText(row.r), p = num(row.p), hosts = num(row.hosts);
      const t0 = num(row.t0), t1 = Math.max(num(row.t1), num(row.last_start));
      const score = clamp01(0.4 + 0.3 * Math.min(1, Math.log10(hosts / t.min_hosts + 1)));
      const what = p === 6 ? 'TCP answers (SYN-ACK/RST)' : p === 1 || p === 58 ? 'ICMP answers' : 'answers';
      return {
        kind: 'backscatter', severity: severityOf(score, 'medium'), score, src, dst: null, targets: hosts, ports: [], portsTotal: 0,
        startUs: t0, endUs: t1, attack: 'T1498',
        summary: `${src} sent unsolicited ${what} to ${countText(hosts)} hosts that never contacted it, in ${spanText(t1 - t0)}: `
          + `backscatter of spoofed traffic (a DoS against ${src})`,
        evidence: evidenceFilter({ src, proto: p, fromUs: t0, toUs: t1 }),
        facts: { hosts, sessions: num(row.n), histories: ((row.hist as unknown[]) ?? []).map(String) },
      };
    });
  },
};
