import { ipToBigInt, parseIp } from '../../model/ip';
import { getInternalNetworks, internalSql } from '../../query/internal-networks';
import type { CaseStore } from '../../store/case-store';
import { evidenceScopeSql } from '../../store/evidence-choice';
import { ADDR_MATCH_SQL, ADDR_SQL, addrParams, HOST_INDEX_TABLE, hostIndexIsCurrent, PEER_SQL } from '../../store/host-index';
import { REGISTERED_SERVICE_PORTS } from '../../model/service-ports';

/**
 * The rows of a few hosts, read once into connection-private temp tables so that the
 * story, the timeline and the assessment each ask many small questions of a small table
 * instead of scanning the case again. Works on read-only cases (temp tables live in memory).
 *
 * `flows` (from flows_counted, each conversation counted once): one row per (host, flow);
 *   dir 0 = the host sent the record (src), 1 = it received it; peer_internal per the case's
 *   internal networks; bytes_out/bytes_in/pkts_out/pkts_in as recorded from the host's side
 *   (a unidirectional record has nothing in its other direction); src = the sighting source.
 * `sessions`: one row per (host, session) with role 'orig'/'resp' and the host's side's counts.
 */
export interface HostScope {
  readonly flows: string;
  readonly sessions: string;
  /** The hosts in the store's UHUGEINT form, as decimal strings (for CAST parameters). */
  readonly hosts: readonly string[];
}

let seq = 0;

/** The SQL of a flow's sighting source: exporter, else evidence set + format, else evidence file (as sessions group them). */
export const SOURCE_KEY_SQL = `CASE WHEN f.exporter_ip IS NOT NULL AND f.exporter_ip <> 0 AND f.exporter_ip <> ${(0xffffn << 32n).toString()}::UHUGEINT
    THEN 'exporter ' || ip_text(f.exporter_ip)
  WHEN e.evidence_set IS NOT NULL THEN 'evidence set ' || e.evidence_set || ' (' || e.format || ')'
  ELSE 'evidence ' || e.name END`;

const isService = (p: string): string => `(${p} < 1024 OR ${p} IN (${REGISTERED_SERVICE_PORTS.join(', ')}))`;

/**
 * The service (responder) port of a flow record: its destination port, unless the record
 * runs from the service back to its client (a reply in unidirectional NetFlow): the source
 * port is a known service port and the destination is not, or the destination port is
 * ephemeral (>= 32768) and above the source port.
 */
export const SERVICE_PORT_SQL = `CASE WHEN ${isService('f.src_port')} AND NOT ${isService('f.dst_port')} THEN f.src_port
  WHEN f.dst_port >= 32768 AND f.src_port < f.dst_port AND NOT ${isService('f.dst_port')} THEN f.src_port ELSE f.dst_port END`;

/** Parses addresses (text) to the store's form; throws on a bad one (callers check input first). */
export function hostValues(hosts: readonly string[]): string[] {
  return hosts.map((h) => {
    const ip = parseIp(h);
    if (ip === null) throw new Error(`not an IP address: ${h}`);
    return ipToBigInt(ip).toString();
  });
}

/** The scope's flow columns from a source with flows columns (alias f) and evidence (alias e). */
const scopeColumns = (host: string, peer: string, dir: string): string => `${host} AS host, ${peer} AS peer, ${dir}::UTINYINT AS dir,
  f.flow_id, f.evidence_id, f.src_pos, f.start_us, f.end_us, f.proto, f.src_port, f.dst_port, ${SERVICE_PORT_SQL} AS svc_port,
  CASE WHEN ${dir} = 0 THEN f.bytes ELSE coalesce(f.rev_bytes, 0) END AS bytes_out, CASE WHEN ${dir} = 0 THEN coalesce(f.rev_bytes, 0) ELSE f.bytes END AS bytes_in,
  CASE WHEN ${dir} = 0 THEN f.packets ELSE coalesce(f.rev_packets, 0) END AS pkts_out, CASE WHEN ${dir} = 0 THEN coalesce(f.rev_packets, 0) ELSE f.packets END AS pkts_in,
  f.rev_bytes IS NOT NULL AS bidir, coalesce(f.sampling, 1) AS sampling, ${SOURCE_KEY_SQL} AS src`;

/**
 * Runs fn with the hosts' temp tables and drops them afterwards. The flows come from the
 * host index when it is current (a point lookup: a few row groups per host), else from a
 * scan of flows_counted; the sessions table is scanned once.
 */
export async function withHostScope<T>(store: CaseStore, hosts: readonly string[], fn: (scope: HostScope) => Promise<T>): Promise<T> {
  const id = ++seq;
  const scope: HostScope = { flows: `_tl_flows_${id}`, sessions: `_tl_sess_${id}`, hosts: hostValues(hosts) };
  const networks = await getInternalNetworks(store);
  const hostList = scope.hosts.map((_, i) => `CAST($h${i} AS UHUGEINT)`).join(', ');
  const params: Record<string, string> = {};
  scope.hosts.forEach((h, i) => { params[`h${i}`] = h; });
  const peerInt = internalSql('peer', networks, 'net');
  const hasSessions = Number(await store.value(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'sessions'`)) > 0;
  try {
    const fromIndex = await hostIndexIsCurrent(store);
    // The index holds every record: it gets flows_counted's condition (TRUE when nothing is shadowed).
    const ev = await evidenceScopeSql(store, 'counted', 'f');
    const counted = fromIndex && ev.sql !== 'TRUE' ? ` AND ${ev.sql}` : '';
    const selects = fromIndex
      // One lookup per host (an OR of hosts would defeat the index's zone maps).
      ? scope.hosts.map((h) => ({
        sql: `SELECT ${scopeColumns(ADDR_SQL, PEER_SQL, 'f.dir')} FROM ${HOST_INDEX_TABLE} f JOIN evidence e USING (evidence_id)
               WHERE ${ADDR_MATCH_SQL}${counted}`,
        params: addrParams(BigInt(h)),
      }))
      // Each side by its own filter (a join on "src = host OR dst = host" would not use a hash join).
      : [{
        sql: `SELECT ${scopeColumns('f.src_ip', 'f.dst_ip', '0')} FROM flows_counted f JOIN evidence e USING (evidence_id) WHERE f.src_ip IN (${hostList})
              UNION ALL
              SELECT ${scopeColumns('f.dst_ip', 'f.src_ip', '1')} FROM flows_counted f JOIN evidence e USING (evidence_id)
               WHERE f.dst_ip IN (${hostList}) AND f.src_ip <> f.dst_ip`,
        params,
      }];
    for (const [i, sel] of selects.entries()) {
      await store.run(
        i === 0 ? `CREATE TEMP TABLE ${scope.flows} AS SELECT *, ${peerInt.sql} AS peer_internal FROM (${sel.sql})`
          : `INSERT INTO ${scope.flows} SELECT *, ${peerInt.sql} AS peer_internal FROM (${sel.sql})`,
        { ...sel.params, ...peerInt.params },
      );
    }
    const sessPeerInt = internalSql('peer', networks, 'snet');
    await store.run(
      hasSessions
        ? `CREATE TEMP TABLE ${scope.sessions} AS
           SELECT *, ${sessPeerInt.sql} AS peer_internal FROM (
             SELECT h.host, CASE WHEN s."id.orig_h" = h.host THEN 'orig' ELSE 'resp' END AS role,
                    CASE WHEN s."id.orig_h" = h.host THEN s."id.resp_h" ELSE s."id.orig_h" END AS peer,
                    s.uid, s.ts, s.end_us, s.ip_proto, s.proto, s."id.orig_p" AS orig_p, s."id.resp_p" AS resp_p,
                    s.conn_state::VARCHAR AS conn_state, s.service,
                    CASE WHEN s."id.orig_h" = h.host THEN s.orig_ip_bytes ELSE s.resp_ip_bytes END AS bytes_out,
                    CASE WHEN s."id.orig_h" = h.host THEN s.resp_ip_bytes ELSE s.orig_ip_bytes END AS bytes_in,
                    s.orig_pkts, s.resp_pkts, s.orig_ip_bytes, s.resp_ip_bytes, s."id.orig_h" AS orig_h, s."id.resp_h" AS resp_h
               FROM sessions s JOIN (SELECT unnest([${hostList}]) AS host) h ON s."id.orig_h" = h.host OR s."id.resp_h" = h.host
           )`
        : `CREATE TEMP TABLE ${scope.sessions} (host UHUGEINT, role VARCHAR, peer UHUGEINT, uid VARCHAR, ts BIGINT, end_us BIGINT,
             ip_proto UTINYINT, proto VARCHAR, orig_p USMALLINT, resp_p USMALLINT, conn_state VARCHAR, service VARCHAR, bytes_out UBIGINT,
             bytes_in UBIGINT, orig_pkts UBIGINT, resp_pkts UBIGINT, orig_ip_bytes UBIGINT, resp_ip_bytes UBIGINT, orig_h UHUGEINT,
             resp_h UHUGEINT, peer_internal BOOLEAN)`,
      hasSessions ? { ...params, ...sessPeerInt.params } : undefined,
    );
    return await fn(scope);
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${scope.flows}`).catch(() => undefined);
    await store.run(`DROP TABLE IF EXISTS ${scope.sessions}`).catch(() => undefined);
  }
}
