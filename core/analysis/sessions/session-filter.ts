import { compileUserFilter, NO_FILTER, type SqlFilter } from '../../query/user-filter';

/**
 * The sessions table's columns under the flows column names the filter language compiles
 * to, so one filter box works on flows and on sessions. Flags come from Zeek's history
 * letters (upper case: originator, lower case: responder); fields sessions do not have
 * (interfaces, AS, ToS, exporter, label) are NULL and match nothing.
 */
const SESSION_AS_FLOW = `SELECT uid, uid_hash,
    "id.orig_h" AS src_ip, "id.resp_h" AS dst_ip, "id.orig_p" AS src_port, "id.resp_p" AS dst_port, ip_proto AS proto,
    CASE WHEN ("id.orig_h" >> 32) = 65535 THEN 4 ELSE 6 END AS ip_version,
    orig_pkts AS packets, orig_ip_bytes AS bytes, resp_pkts AS rev_packets, resp_ip_bytes AS rev_bytes,
    ts AS start_us, end_us, conn_state AS state, history, service, NULL::VARCHAR AS label,
    ((CASE WHEN contains(history, 'S') THEN 2 ELSE 0 END) | (CASE WHEN contains(history, 'F') THEN 1 ELSE 0 END)
      | (CASE WHEN contains(history, 'R') THEN 4 ELSE 0 END) | (CASE WHEN contains(history, 'A') OR contains(history, 'D') THEN 16 ELSE 0 END)
      | (CASE WHEN contains(history, 'D') THEN 8 ELSE 0 END))::UTINYINT AS tcp_flags,
    ((CASE WHEN contains(history, 's') THEN 2 WHEN contains(history, 'h') THEN 18 ELSE 0 END) | (CASE WHEN contains(history, 'f') THEN 1 ELSE 0 END)
      | (CASE WHEN contains(history, 'r') THEN 4 ELSE 0 END) | (CASE WHEN contains(history, 'a') OR contains(history, 'd') THEN 16 ELSE 0 END)
      | (CASE WHEN contains(history, 'd') THEN 8 ELSE 0 END))::UTINYINT AS rev_tcp_flags,
    CASE WHEN ip_proto IN (1, 58) THEN "id.orig_p" END::UTINYINT AS icmp_type,
    CASE WHEN ip_proto IN (1, 58) THEN "id.resp_p" END::UTINYINT AS icmp_code,
    NULL::UTINYINT AS tos, NULL::UINTEGER AS in_if, NULL::UINTEGER AS out_if, NULL::UINTEGER AS src_as, NULL::UINTEGER AS dst_as,
    evidence_ids[1] AS evidence_id, NULL::UHUGEINT AS exporter_ip
  FROM sessions`;

/**
 * A filter-language expression as a WHERE fragment over `sessions` (a semi-join on uid_hash);
 * a bad expression throws BadFilterError.
 */
export function sessionFilterSql(expr: string | undefined, timeZone = 'UTC'): SqlFilter {
  const f = compileUserFilter(expr, { alias: 'sv', paramPrefix: 'sf', timeZone });
  if (f === NO_FILTER) return f;
  // The join key is the stored uid_hash (uid is computed from it when read; the filter's
  // `uid:` field still compares the text).
  return { sql: `uid_hash IN (SELECT sv.uid_hash FROM (${SESSION_AS_FLOW}) sv WHERE ${f.sql})`, params: f.params };
}
