import { bytesText, countText } from '../timeline/wording';
import { ipText, isInternal, num, windowSessions } from './detect-sql';
import { clamp01, severityOf, spanText, type Detector, type Finding } from './detector';
import { evidenceFilter } from './evidence';

/**
 * DNS tunnelling from flows: many DNS exchanges from one client to one resolver with queries
 * well above the usual 60–90 IP bytes a packet, or a very high query count to an external
 * resolver. A site resolver's own traffic upstream has ordinary sizes and stays quiet.
 */
export const dnsTunnel: Detector = {
  kind: 'dns_tunnel',
  version: '1',
  attack: 'T1071.004',
  thresholds: {
    min_queries: { value: 200, help: 'DNS exchanges from one client to one resolver' },
    min_query_bytes: { value: 130, help: 'mean IP bytes per query packet' },
    volume_queries: { value: 5000, help: 'exchanges to one external resolver that alarm whatever their size' },
  },
  async run(ctx, t) {
    const base = windowSessions(ctx);
    const inR = isInternal(ctx, 'r', 'ir');
    const rows = await ctx.store.all(
      `WITH s AS (${base.sql})
       SELECT o, r, count(*) AS n, sum(oby) / greatest(sum(opk), 1) AS qsize, sum(rby) / greatest(sum(rpk), 1) AS asize, sum(oby) AS out_b,
              min(ts) AS t0, max(end_us) AS t1, max(ts) AS last_start, ${inR.sql} AS internal, list(DISTINCT p) AS protos
         FROM s WHERE rp = 53 AND p IN (6, 17)
        GROUP BY o, r
       HAVING count(*) >= $min_n AND (sum(oby) / greatest(sum(opk), 1) >= $min_q OR (count(*) >= $vol AND NOT ${inR.sql}))
        ORDER BY n DESC LIMIT 100`,
      { ...base.params, ...inR.params, min_n: t.min_queries, min_q: t.min_query_bytes, vol: t.volume_queries },
    );
    return rows.map((row): Finding => {
      const src = ipText(row.o), dst = ipText(row.r), n = num(row.n), q = num(row.qsize);
      const t0 = num(row.t0), t1 = Math.max(num(row.t1), num(row.last_start));
      const external = !row.internal;
      const score = clamp01(0.45 + 0.3 * clamp01((q - 90) / 150) + 0.15 * Math.min(1, Math.log10(n / t.min_queries + 1)) + (external ? 0.1 : 0));
      const protos = ((row.protos as unknown[]) ?? []).map(num);
      return {
        kind: 'dns_tunnel', severity: severityOf(score, 'medium'), score, src, dst, targets: 1, ports: [53], portsTotal: 1, startUs: t0, endUs: t1,
        attack: 'T1071.004',
        summary: `${src} sent ${countText(n)} DNS queries to ${external ? 'external ' : ''}resolver ${dst} in ${spanText(t1 - t0)}, `
          + `${Math.round(q)} bytes a query on average (usual: 60–90); ${bytesText(num(row.out_b))} out`,
        evidence: evidenceFilter({ src, dst, proto: protos.length === 1 ? protos[0] : null, dstPorts: [53], fromUs: t0, toUs: t1 }),
        facts: { queries: n, mean_query_bytes: Math.round(q), mean_answer_bytes: Math.round(num(row.asize)), external_resolver: external, bytes_out: num(row.out_b) },
      };
    });
  },
};
