/**
 * The flows table, column by column: one list that the store's DDL, the batch buffers,
 * the chunk appender and the query allow-list all read, so they cannot drift apart.
 *
 * kind: how a batch holds the column before it reaches DuckDB.
 *   f64  -> JS numbers, written to DuckDB as BIGINT/UBIGINT (exact to 2^53)
 *   u32/u16/u8 -> typed arrays copied as they are
 *   ip   -> four 32-bit words per row, written as UHUGEINT (IPv4 mapped to ::ffff:0:0/96)
 *   text -> JS strings, written value by value (only text-heavy sources fill them)
 */
export type FlowColumnKind = 'i64' | 'u64' | 'u32' | 'u16' | 'u8' | 'ip' | 'text';

export interface FlowColumnSpec {
  readonly name: string;
  readonly kind: FlowColumnKind;
  readonly sqlType: string;
  readonly nullable: boolean;
  readonly doc: string;
  /** The schema version that added the column (absent: the first); later columns come last, in order. */
  readonly since?: number;
}

const c = (name: string, kind: FlowColumnKind, sqlType: string, nullable: boolean, doc: string, since?: number): FlowColumnSpec => ({
  name, kind, sqlType, nullable, doc, ...(since === undefined ? {} : { since }),
});

export const FLOW_COLUMNS = [
  c('flow_id', 'i64', 'BIGINT', false, 'case-wide id, assigned at import'),
  c('evidence_id', 'u32', 'UINTEGER', false, 'the evidence file the record came from'),
  c('src_pos', 'i64', 'BIGINT', false, 'byte offset (binary formats) or line number (text formats) of the record in its file'),
  c('start_us', 'i64', 'BIGINT', false, 'first packet, UTC microseconds'),
  c('end_us', 'i64', 'BIGINT', false, 'last packet, UTC microseconds'),
  c('proto', 'u8', 'UTINYINT', false, 'IP protocol number'),
  c('ip_version', 'u8', 'UTINYINT', false, '4 or 6'),
  c('src_ip', 'ip', 'UHUGEINT', false, 'source (originator) address, IPv4 mapped into ::ffff:0:0/96'),
  c('dst_ip', 'ip', 'UHUGEINT', false, 'destination (responder) address'),
  c('src_port', 'u16', 'USMALLINT', false, 'source port (0 where the protocol has none)'),
  c('dst_port', 'u16', 'USMALLINT', false, 'destination port (0 where the protocol has none)'),
  c('packets', 'u64', 'UBIGINT', false, 'packets source -> destination'),
  c('bytes', 'u64', 'UBIGINT', false, 'IP-layer bytes source -> destination'),
  c('rev_packets', 'u64', 'UBIGINT', true, 'packets destination -> source (NULL: the record is unidirectional)'),
  c('rev_bytes', 'u64', 'UBIGINT', true, 'IP-layer bytes destination -> source (NULL: unidirectional)'),
  c('tcp_flags', 'u8', 'UTINYINT', true, 'TCP flags OR-ed over source -> destination packets'),
  c('rev_tcp_flags', 'u8', 'UTINYINT', true, 'TCP flags OR-ed over destination -> source packets'),
  c('icmp_type', 'u8', 'UTINYINT', true, 'ICMP/ICMPv6 type'),
  c('icmp_code', 'u8', 'UTINYINT', true, 'ICMP/ICMPv6 code'),
  c('tos', 'u8', 'UTINYINT', true, 'IP ToS / traffic class of the source direction'),
  c('in_if', 'u32', 'UINTEGER', true, 'input interface index (SNMP ifIndex)'),
  c('out_if', 'u32', 'UINTEGER', true, 'output interface index'),
  c('src_as', 'u32', 'UINTEGER', true, 'source AS number'),
  c('dst_as', 'u32', 'UINTEGER', true, 'destination AS number'),
  c('exporter_ip', 'ip', 'UHUGEINT', true, 'address of the NetFlow/IPFIX exporter or capture point'),
  c('sampling', 'u32', 'UINTEGER', true, 'sampling interval the exporter declared (1 in N); counts are as exported, never scaled silently'),
  c('payload_bytes', 'u64', 'UBIGINT', true, 'transport payload bytes source -> destination (Zeek orig_bytes)'),
  c('rev_payload_bytes', 'u64', 'UBIGINT', true, 'transport payload bytes destination -> source (Zeek resp_bytes)'),
  c('missed_bytes', 'u64', 'UBIGINT', true, 'bytes missed in content gaps (Zeek missed_bytes)'),
  c('state', 'text', 'VARCHAR', true, "the source tool's own state (Argus state, Zeek conn_state, meter state)"),
  c('history', 'text', 'VARCHAR', true, 'Zeek-style history string where known'),
  c('service', 'text', 'VARCHAR', true, 'application service as the source named it'),
  c('uid', 'text', 'VARCHAR', true, "the source's own record id (Zeek uid)"),
  c('label', 'text', 'VARCHAR', true, 'label from the source (CTU-13 Label, VPC action)'),
  c('attrs', 'text', 'VARCHAR', true, 'other source fields as a JSON object'),
  c('bad_checksums', 'u32', 'UINTEGER', true, 'packets of the flow with a bad TCP/UDP/ICMP checksum (captures; NULL: none or not checked)', 6),
  c('last_packet_us', 'i64', 'BIGINT', true, "last packet of any kind, UTC microseconds (end_us follows Zeek's duration, which may stop earlier)", 6),
] as const satisfies readonly FlowColumnSpec[];

export type FlowColumnName = (typeof FLOW_COLUMNS)[number]['name'];
