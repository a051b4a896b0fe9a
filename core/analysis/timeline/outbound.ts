import { formatIpBigInt } from '../../model/ip';
import type { CaseStore } from '../../store/case-store';
import type { HostScope } from './host-scope';
import { portText } from './wording';

/**
 * What the hosts sent to one destination outside the internal networks. `bytes` is the
 * best estimate (records from a sampled exporter scaled by their sampling rate);
 * `bytesRecorded` is the sum the evidence holds, unscaled.
 */
export interface OutboundDestination {
  addr: string;
  bytes: number;
  bytesRecorded: number;
  packets: number;
  flows: number;
  firstUs: number;
  lastUs: number;
  /** Service (responder) ports of the conversations that carried the bytes, most bytes first. */
  ports: number[];
  /** The same as "443/tcp". */
  services: string[];
  /** Some of the bytes come from sampled records. */
  sampled: boolean;
}

export interface OutboundWindow {
  sinceUs: number;
  untilUs?: number;
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** The SQL condition of the hosts' outbound rows in the window (over the scope's flows table). */
export function outboundWhere(w: OutboundWindow): { sql: string; params: Record<string, bigint> } {
  const params: Record<string, bigint> = { since: BigInt(Math.floor(w.sinceUs)) };
  let sql = 'NOT peer_internal AND bytes_out > 0 AND start_us >= $since';
  if (w.untilUs !== undefined) { sql += ' AND start_us < $until'; params.until = BigInt(Math.ceil(w.untilUs)); }
  return { sql, params };
}

/** Destinations outside the internal networks by bytes sent (estimate), largest first. */
export async function outboundByDestination(store: CaseStore, scope: HostScope, w: OutboundWindow, limit = 1000): Promise<OutboundDestination[]> {
  const where = outboundWhere(w);
  const rows = await store.all(
    `WITH o AS (SELECT * FROM ${scope.flows} WHERE ${where.sql}),
     per_port AS (SELECT peer, svc_port, proto, sum(bytes_out * sampling) AS b FROM o GROUP BY ALL)
     SELECT d.peer, d.est, d.rec, d.pk, d.flows, d.first_us, d.last_us, d.sampled, p.ports, p.protos
       FROM (SELECT peer, sum(bytes_out * sampling) AS est, sum(bytes_out) AS rec, sum(pkts_out * sampling) AS pk, count(*) AS flows,
                    min(start_us) AS first_us, max(end_us) AS last_us, bool_or(sampling > 1) AS sampled
               FROM o GROUP BY peer) d
       JOIN (SELECT peer, list(svc_port ORDER BY b DESC, svc_port, proto) AS ports, list(proto ORDER BY b DESC, svc_port, proto) AS protos
               FROM per_port GROUP BY peer) p USING (peer)
      ORDER BY d.est DESC, d.peer LIMIT ${Math.max(1, Math.floor(limit))}`,
    where.params,
  );
  return rows.map((r) => {
    const ports = (r.ports as unknown[]).map(n);
    const protos = (r.protos as unknown[]).map(n);
    const seen = new Set<number>();
    const uniquePorts = ports.filter((p) => (seen.has(p) ? false : (seen.add(p), true)));
    return {
      addr: formatIpBigInt(BigInt(r.peer as bigint)), bytes: n(r.est), bytesRecorded: n(r.rec), packets: n(r.pk), flows: n(r.flows),
      firstUs: n(r.first_us), lastUs: n(r.last_us), ports: uniquePorts, services: ports.map((p, i) => portText(p, protos[i])),
      sampled: !!r.sampled,
    };
  });
}
