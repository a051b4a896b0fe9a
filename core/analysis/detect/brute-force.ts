import { microsToIso } from '../../model/time';
import { bytesText, countText } from '../timeline/wording';
import { FAILED_SQL, ipText, num, windowSessions } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/** Login services by port (SSH, Telnet, FTP, mail, SMB, LDAP, databases, RDP, VNC, WinRM). */
export const LOGIN_PORTS = [21, 22, 23, 25, 110, 139, 143, 389, 445, 465, 587, 636, 993, 995, 1433, 3306, 3389, 5432, 5900, 5985, 5986];
const WEB_PORTS = [80, 443, 8080, 8443];
const LOGIN_SERVICES = ['ssh', 'telnet', 'ftp', 'smtp', 'pop3', 'imap', 'smb', 'rdp', 'ldap', 'mysql', 'vnc', 'krb'];

/**
 * Many short sessions from one source to one service with similar sizes (password guessing,
 * credential stuffing). Login ports need fewer sessions than web ports, and any other port
 * (SSH moved to 902) needs a fast, very uniform series. A monitoring poller (one session a
 * minute) stays under the rate. A session counts as reaching the service when something came back or
 * the originator sent enough packets to be past a handshake (a capture of one direction only). The first session clearly longer or larger than the series'
 * median is reported as the likely success.
 */
export const bruteForce: Detector = {
  kind: 'brute_force',
  version: '1',
  attack: 'T1110',
  thresholds: {
    min_sessions: { value: 10, help: 'sessions to a login port (SSH, RDP, SMB, mail...)' },
    min_rate_per_min: { value: 2, help: 'sessions per minute on average over the series' },
    min_similar_share: { value: 0.5, help: 'share of sessions within ±25 % of the median bytes (similar sizes)' },
    max_median_s: { value: 30, help: 'median session duration, seconds' },
    web_min_sessions: { value: 100, help: 'sessions to a web port (80, 443, 8080, 8443)' },
    web_min_rate_per_min: { value: 10, help: 'sessions per minute to a web port' },
    other_min_sessions: { value: 30, help: 'sessions to any other TCP port' },
    other_min_rate_per_min: { value: 20, help: 'sessions per minute to any other TCP port' },
    other_min_similar_share: { value: 0.6, help: 'share of similar sizes required on other ports' },
  },
  async run(ctx, t) {
    const base = windowSessions(ctx);
    const rows = await ctx.store.all(
      `WITH s AS (${base.sql}),
       a AS (SELECT *, (end_us - ts) AS dur, oby + rby AS tot FROM s WHERE p = 6),
       g AS (
         SELECT o, r, rp, count(*) AS n, min(ts) AS t0, max(end_us) AS t1, max(ts) AS last_start, median(tot) AS mb,
                median(dur) AS md, avg((NOT ${FAILED_SQL} OR opk >= 4)::INTEGER) AS answered,
                CASE WHEN rp IN (${LOGIN_PORTS.join(', ')}) OR lower(any_value(service)) IN (${LOGIN_SERVICES.map((x) => `'${x}'`).join(', ')}) THEN 'login'
                     WHEN rp IN (${WEB_PORTS.join(', ')}) THEN 'web' ELSE 'other' END AS cls
           FROM a GROUP BY o, r, rp HAVING count(*) >= least($min_n, $web_n, $other_n)),
       gs AS (SELECT g.*, sim.share AS sim_share FROM g JOIN (
                SELECT a.o, a.r, a.rp, avg((abs(a.tot - g.mb) <= 0.25 * g.mb)::INTEGER) AS share FROM a JOIN g ON g.o = a.o AND g.r = a.r AND g.rp = a.rp
                 GROUP BY a.o, a.r, a.rp) sim ON sim.o = g.o AND sim.r = g.r AND sim.rp = g.rp),
       hit AS (
         SELECT *, n / greatest((last_start - t0) / 60e6, 1) AS rate FROM gs
          WHERE answered >= 0.5 AND md <= $max_md * 1e6 AND (
                (cls = 'login' AND n >= $min_n AND n / greatest((last_start - t0) / 60e6, 1) >= $min_rate AND sim_share >= $share)
             OR (cls = 'web' AND n >= $web_n AND n / greatest((last_start - t0) / 60e6, 1) >= $web_rate AND sim_share >= $share)
             OR (cls = 'other' AND n >= $other_n AND n / greatest((last_start - t0) / 60e6, 1) >= $other_rate AND sim_share >= $other_share)))
       SELECT h.*, (SELECT arg_min(struct_pack(ts := a.ts, dur := a.dur, tot := a.tot), a.ts) FROM a
                     WHERE a.o = h.o AND a.r = h.r AND a.rp = h.rp
                       AND ((a.dur > 3 * h.md AND a.dur > h.md + 5e6) OR a.tot > 2 * h.mb + 1000)) AS odd
         FROM hit h ORDER BY n DESC LIMIT 200`,
      { ...base.params, min_n: t.min_sessions, web_n: t.web_min_sessions, other_n: t.other_min_sessions, min_rate: t.min_rate_per_min,
        web_rate: t.web_min_rate_per_min, other_rate: t.other_min_rate_per_min, share: t.min_similar_share, other_share: t.other_min_similar_share, max_md: t.max_median_s },
    );
    return rows.map((row): Finding => {
      const src = ipText(row.o), dst = ipText(row.r), port = num(row.rp), n = num(row.n);
      const t0 = num(row.t0), t1 = Math.max(num(row.t1), num(row.last_start));
      const odd = row.odd as { ts: bigint; dur: bigint; tot: bigint } | null;
      const score = clamp01(0.5 + 0.3 * Math.min(1, Math.log10(n / 10 + 1)) + 0.2 * num(row.sim_share) + (odd ? 0.1 : 0));
      const oddText = odd
        ? `; the session at ${microsToIso(num(odd.ts))} is different (${spanText(num(odd.dur))}, ${bytesText(num(odd.tot))}): likely success`
        : '; no session stands out (no sign of success)';
      return {
        kind: 'brute_force', severity: severityOf(score, odd ? 'high' : 'medium'), score, src, dst, targets: 1, ports: [port], portsTotal: 1,
        startUs: t0, endUs: t1, attack: 'T1110',
        summary: `${src} opened ${countText(n)} short sessions to ${dst}:${port} in ${spanText(t1 - t0)} `
          + `(median ${bytesText(num(row.mb))}, ${spanText(num(row.md))})${oddText}`,
        evidence: evidenceFilter({ src, dst, proto: 6, dstPorts: [port], fromUs: t0, toUs: t1 }),
        facts: { sessions: n, rate_per_min: Number(num(row.rate).toFixed(2)), median_bytes: num(row.mb), similar_size_share: Number(num(row.sim_share).toFixed(3)),
          median_duration_s: num(row.md) / 1e6, port_class: String(row.cls),
          likely_success_at: odd ? microsToIso(num(odd.ts)) : null, likely_success_bytes: odd ? num(odd.tot) : null,
          likely_success_duration_s: odd ? num(odd.dur) / 1e6 : null },
      };
    });
  },
};
