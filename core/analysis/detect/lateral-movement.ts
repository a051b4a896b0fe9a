import { microsToIso } from '../../model/time';
import { countText, listText } from '../timeline/wording';
import { FAILED_SQL, ipText, isInternal, num, windowSessions } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/** Admin services lateral movement uses: SSH, RPC, NetBIOS, SMB, RDP, WinRM. */
export const ADMIN_PORTS = [22, 135, 139, 445, 3389, 5985, 5986];

/**
 * Lateral movement: an internal host that was reached on an admin port (answered) and
 * afterwards connects to many internal hosts on admin ports it had not contacted before.
 * A monitoring or management server does the same from the start of the evidence, so its
 * targets are not new and it stays quiet.
 */
export const lateralMovement: Detector = {
  kind: 'lateral_movement',
  version: '1',
  attack: 'T1021',
  thresholds: {
    min_targets: { value: 5, help: 'new internal hosts reached on admin ports after the host was itself reached' },
  },
  async run(ctx, t) {
    const base = windowSessions(ctx);
    const inO = isInternal(ctx, 'o', 'io');
    const inR = isInternal(ctx, 'r', 'ir');
    const rows = await ctx.store.all(
      `WITH s AS (${base.sql}),
       adm AS (SELECT * FROM s WHERE p = 6 AND rp IN (${ADMIN_PORTS.join(', ')}) AND ${inR.sql}),
       hit AS (SELECT r AS h, min(ts) AS hit_at, arg_min(o, ts) AS by_host FROM adm WHERE NOT ${FAILED_SQL} GROUP BY r),
       before AS (SELECT DISTINCT a.o, a.r FROM adm a JOIN hit ON hit.h = a.o WHERE a.ts < hit.hit_at),
       after AS (SELECT a.* FROM adm a JOIN hit ON hit.h = a.o WHERE a.ts > hit.hit_at AND ${inO.sql} AND a.r <> hit.by_host
                   AND NOT EXISTS (SELECT 1 FROM before b WHERE b.o = a.o AND b.r = a.r))
       SELECT after.o, any_value(hit.hit_at) AS hit_at, any_value(hit.by_host) AS by_host, count(DISTINCT r) AS targets,
              count(DISTINCT r) FILTER (WHERE NOT ${FAILED_SQL}) AS answered, list(DISTINCT rp) AS ports, min(ts) AS t0, max(end_us) AS t1, max(ts) AS last_start
         FROM after JOIN hit ON hit.h = after.o GROUP BY after.o HAVING count(DISTINCT r) >= $min_t ORDER BY targets DESC LIMIT 100`,
      { ...base.params, ...inO.params, ...inR.params, min_t: t.min_targets },
    );
    return rows.map((row): Finding => {
      const src = ipText(row.o), targets = num(row.targets), answered = num(row.answered);
      const ports = ((row.ports as unknown[]) ?? []).map(num).sort((a, b) => a - b);
      const t0 = num(row.t0), t1 = Math.max(num(row.t1), num(row.last_start));
      const score = clamp01(0.55 + 0.25 * Math.min(1, Math.log10(targets / t.min_targets + 1)) + 0.2 * (answered / targets));
      return {
        kind: 'lateral_movement', severity: severityOf(score, 'high'), score, src, dst: null, targets, ports, portsTotal: ports.length,
        startUs: t0, endUs: t1, attack: 'T1021',
        summary: `${src}, reached on an admin port by ${ipText(row.by_host)} at ${microsToIso(num(row.hit_at))}, then connected to `
          + `${countText(targets)} internal hosts on ${listText(ports)} in ${spanText(t1 - t0)}; ${countText(answered)} answered`,
        evidence: evidenceFilter({ src, proto: 6, dstPorts: ports, fromUs: t0, toUs: t1 }),
        facts: { reached_at: microsToIso(num(row.hit_at)), reached_by: ipText(row.by_host), targets, answered },
      };
    });
  },
};
