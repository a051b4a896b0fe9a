import { FLOW_COLUMNS } from '../model/flow-columns';

/**
 * The case schema as an ordered list of migrations. A case file records the version it
 * reached in `meta`; opening it applies the rest inside one transaction.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

/**
 * Addresses are stored uncompressed: DuckDB 1.5 bit-packs a UHUGEINT column and then
 * decodes it ~100x slower than it reads plain 16-byte values (fetching 500 flows by id
 * from 10 M took 11.6 s bit-packed and 75 ms uncompressed; grouping by address 3.2 s
 * against 0.2 s), and most queries touch addresses.
 */
export const ADDRESS_STORAGE = 'USING COMPRESSION uncompressed';

const flowColumnsDdl = FLOW_COLUMNS.map(
  (col) => `  ${col.name} ${col.sqlType}${col.kind === 'ip' ? ` ${ADDRESS_STORAGE}` : ''}${col.nullable ? '' : ' NOT NULL'}`,
).join(',\n');

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'evidence, flows, import and audit logs, notes',
    statements: [
      `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
      `CREATE SEQUENCE IF NOT EXISTS evidence_seq START 1`,
      `CREATE TABLE evidence (
  evidence_id UINTEGER PRIMARY KEY,
  path VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  size UBIGINT NOT NULL,
  mtime_us BIGINT,
  sha256 VARCHAR NOT NULL UNIQUE,
  format VARCHAR NOT NULL,
  position_unit VARCHAR NOT NULL,
  compression VARCHAR,
  imported_at_us BIGINT NOT NULL,
  import_ms DOUBLE,
  tool_version VARCHAR NOT NULL,
  records UBIGINT NOT NULL,
  rejected UBIGINT NOT NULL,
  first_us BIGINT,
  last_us BIGINT,
  clock_offset_us BIGINT NOT NULL DEFAULT 0,
  evidence_set VARCHAR,
  counters VARCHAR,
  facts VARCHAR,
  issues VARCHAR
)`,
      `CREATE TABLE flows (\n${flowColumnsDdl}\n)`,
      `CREATE SEQUENCE IF NOT EXISTS import_log_seq START 1`,
      `CREATE TABLE import_log (
  id BIGINT PRIMARY KEY DEFAULT nextval('import_log_seq'),
  at_us BIGINT NOT NULL,
  path VARCHAR NOT NULL,
  sha256 VARCHAR,
  format VARCHAR,
  outcome VARCHAR NOT NULL,
  message VARCHAR,
  evidence_id UINTEGER,
  records UBIGINT,
  rejected UBIGINT,
  ms DOUBLE
)`,
      `CREATE SEQUENCE IF NOT EXISTS audit_log_seq START 1`,
      `CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_seq'),
  at_us BIGINT NOT NULL,
  actor VARCHAR NOT NULL,
  action VARCHAR NOT NULL,
  detail VARCHAR
)`,
      `CREATE SEQUENCE IF NOT EXISTS notes_seq START 1`,
      `CREATE TABLE notes (
  id BIGINT PRIMARY KEY DEFAULT nextval('notes_seq'),
  created_us BIGINT NOT NULL,
  target_kind VARCHAR NOT NULL,
  target_ref VARCHAR NOT NULL,
  text VARCHAR NOT NULL,
  tags VARCHAR[]
)`,
      `CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
    ],
  },
  {
    version: 2,
    description: 'sessions rebuilt from flows (Zeek conn.log fields)',
    statements: [
      // Zeek conn.log field names (quoted where they contain dots). Times are UTC
      // microseconds like flows (ts = first packet); duration is seconds as in Zeek.
      // Counts that the evidence cannot show stay NULL (written as Zeek's '-').
      `CREATE TABLE sessions (
  uid VARCHAR NOT NULL,
  ts BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  "id.orig_h" UHUGEINT USING COMPRESSION uncompressed NOT NULL,
  "id.orig_p" USMALLINT NOT NULL,
  "id.resp_h" UHUGEINT USING COMPRESSION uncompressed NOT NULL,
  "id.resp_p" USMALLINT NOT NULL,
  proto VARCHAR NOT NULL,
  ip_proto UTINYINT NOT NULL,
  service VARCHAR,
  duration DOUBLE NOT NULL,
  orig_bytes UBIGINT,
  resp_bytes UBIGINT,
  conn_state VARCHAR NOT NULL,
  history VARCHAR,
  orig_pkts UBIGINT NOT NULL,
  orig_ip_bytes UBIGINT NOT NULL,
  resp_pkts UBIGINT NOT NULL,
  resp_ip_bytes UBIGINT NOT NULL,
  missed_bytes UBIGINT,
  direction_inferred BOOLEAN NOT NULL,
  state_confidence VARCHAR NOT NULL,
  state_reason VARCHAR,
  source_format VARCHAR,
  sightings UINTEGER NOT NULL,
  flow_ids BIGINT[] NOT NULL,
  evidence_ids UINTEGER[] NOT NULL
)`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * SQL helpers every connection gets (macros are stored in the file, so they are created
 * with the schema and are there for the SQL console too).
 */
export const MACROS: readonly string[] = [
  // Text form of a stored address: IPv4-mapped values as dotted quads, others as
  // full (uncompressed) IPv6 groups. The app formats addresses itself; this is for SQL users.
  `CREATE OR REPLACE MACRO ip_text(a) AS CASE
     WHEN a IS NULL THEN NULL
     WHEN (a >> 32) = 65535 THEN
       CAST(((a >> 24) & 255) AS VARCHAR) || '.' || CAST(((a >> 16) & 255) AS VARCHAR) || '.' ||
       CAST(((a >> 8) & 255) AS VARCHAR) || '.' || CAST((a & 255) AS VARCHAR)
     ELSE lower(concat_ws(':',
       printf('%x', CAST((a >> 112) & 65535 AS INTEGER)), printf('%x', CAST((a >> 96) & 65535 AS INTEGER)),
       printf('%x', CAST((a >> 80) & 65535 AS INTEGER)), printf('%x', CAST((a >> 64) & 65535 AS INTEGER)),
       printf('%x', CAST((a >> 48) & 65535 AS INTEGER)), printf('%x', CAST((a >> 32) & 65535 AS INTEGER)),
       printf('%x', CAST((a >> 16) & 65535 AS INTEGER)), printf('%x', CAST(a & 65535 AS INTEGER))))
   END`,
  `CREATE OR REPLACE MACRO us_ts(u) AS make_timestamp(u)`,
  // A readable view of flows for the SQL console.
  `CREATE OR REPLACE VIEW flows_v AS SELECT flow_id, evidence_id, src_pos, us_ts(start_us) AS start_time,
     us_ts(end_us) AS end_time, (end_us - start_us) / 1e6 AS duration_s, proto, ip_text(src_ip) AS src_addr,
     src_port, ip_text(dst_ip) AS dst_addr, dst_port, packets, bytes, rev_packets, rev_bytes, tcp_flags,
     rev_tcp_flags, icmp_type, icmp_code, tos, in_if, out_if, src_as, dst_as, ip_text(exporter_ip) AS exporter,
     sampling, state, history, service, uid, label, attrs FROM flows`,
  // A readable view of sessions for the SQL console (schema 2).
  `CREATE OR REPLACE VIEW sessions_v AS SELECT uid, us_ts(ts) AS start_time, ip_text("id.orig_h") AS orig_h,
     "id.orig_p" AS orig_p, ip_text("id.resp_h") AS resp_h, "id.resp_p" AS resp_p, proto, service, duration,
     orig_bytes, resp_bytes, conn_state, history, orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes, missed_bytes,
     direction_inferred, state_confidence, state_reason, sightings, flow_ids, evidence_ids FROM sessions`,
];
