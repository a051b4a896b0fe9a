import { FLOW_COLUMNS } from '../model/flow-columns';
import { NOTES_TIMELINE_MIGRATION } from './migrations/v5-notes-timeline';
import { FIDELITY_MIGRATION } from './migrations/v6-fidelity';
import { DETECTIONS_MIGRATION } from './migrations/v7-detections';
import { OVERLAP_MIGRATION } from './migrations/v8-overlap';
import { CUSTODY_MIGRATION } from './migrations/v9-custody';
import { CONTEXT_MIGRATION } from './migrations/v11-context';

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

// The first schema's columns; later ones (`since`) are added by their migration, at the end.
const flowColumnsDdl = FLOW_COLUMNS.filter((col) => !('since' in col)).map(
  (col) => `  ${col.name} ${col.sqlType}${col.kind === 'ip' ? ` ${ADDRESS_STORAGE}` : ''}${col.nullable ? '' : ' NOT NULL'}`,
).join(',\n');

/** Zeek's conn_state values (the sessions.conn_state ENUM). */
export const SESSION_CONN_STATES = ['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'] as const;

/** How sure a session's state is (the sessions.state_confidence ENUM). */
export const SESSION_STATE_CONFIDENCES = ['exact', 'approximate', 'ambiguous'] as const;

const enumSql = (values: readonly string[]): string => `ENUM(${values.map((v) => `'${v}'`).join(', ')})`;

/**
 * Zeek-like uid from a UBIGINT hash: 'C' + 13 base-36 digits (0-9A-Z) of its upper 63 bits.
 * (to_base() is ~4x cheaper than picking base-62 digits with substr().) Zero-padded
 * upper-case base 36 sorts like the number, so ORDER BY uid_hash orders by uid.
 */
export const SESSION_UID_SQL = (h: string): string => `'C' || lpad(to_base((${h} >> 1)::BIGINT, 36), 13, '0')`;

/**
 * sessions.state_reason texts; the table stores the 1-based position (state_reason_code)
 * and, for texts with `{state}`, the source's state (state_reason_arg), because writing
 * the same long text into millions of rows costs more than spelling it out when read.
 */
export const SESSION_STATE_REASONS = [
  ['sampled', 'sampled records: packets and flags may be missing'],
  ['both-rst', 'both sides sent RST: REJ vs RSTR needs payload sizes flags do not give'],
  ['no-syn-close', 'no SYN: originator inferred, so which side closed is a guess'],
  ['flags', 'from OR-ed TCP flags per direction (order within a direction unknown)'],
  ['no-state', 'no TCP flags and no source state'],
  ['argus', 'from Argus state {state}'],
  ['argus-close', 'from Argus state {state}: which side closed is unknown (SF assumed)'],
  ['argus-rst', 'from Argus state RST: which side reset is unknown'],
  ['argus-other', 'Argus state {state} has no Zeek equivalent'],
  ['udp', 'UDP: from packets per direction (Zeek rule); bounds follow the idle limit'],
  ['other-proto', 'Zeek reports non-TCP/UDP connections as OTH'],
] as const;

/** The state_reason_code of a reason named in SESSION_STATE_REASONS. */
export const sessionReasonCode = (key: (typeof SESSION_STATE_REASONS)[number][0]): number =>
  SESSION_STATE_REASONS.findIndex(([k]) => k === key) + 1;

const quoteSql = (text: string): string => `'${text.replace(/'/g, "''")}'`;

const STATE_REASON_SQL = `CASE state_reason_code ${SESSION_STATE_REASONS.map(
  ([, text], i) => `WHEN ${i + 1} THEN ${text.split('{state}').map(quoteSql).join(' || state_reason_arg || ')}`,
).join(' ')} END`;

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
      // Writing 2.5 M sessions is dominated by string columns, so what can be derived is
      // derived at read time: uid (from uid_hash), proto (from ip_proto) and duration are
      // VIRTUAL generated columns (readers still select them by name), and the closed
      // value sets are ENUMs (read back as text; sort them as ::VARCHAR for text order).
      `CREATE TABLE sessions (
  uid VARCHAR GENERATED ALWAYS AS (${SESSION_UID_SQL('uid_hash')}) VIRTUAL,
  uid_hash UBIGINT NOT NULL,
  ts BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  "id.orig_h" UHUGEINT USING COMPRESSION uncompressed NOT NULL,
  "id.orig_p" USMALLINT NOT NULL,
  "id.resp_h" UHUGEINT USING COMPRESSION uncompressed NOT NULL,
  "id.resp_p" USMALLINT NOT NULL,
  proto VARCHAR GENERATED ALWAYS AS (CASE ip_proto WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp' WHEN 1 THEN 'icmp' WHEN 58 THEN 'icmp' ELSE 'unknown_transport' END) VIRTUAL,
  ip_proto UTINYINT NOT NULL,
  service VARCHAR,
  duration DOUBLE GENERATED ALWAYS AS ((end_us - ts) / 1e6) VIRTUAL,
  orig_bytes UBIGINT,
  resp_bytes UBIGINT,
  conn_state ${enumSql(SESSION_CONN_STATES)} NOT NULL,
  history VARCHAR,
  orig_pkts UBIGINT NOT NULL,
  orig_ip_bytes UBIGINT NOT NULL,
  resp_pkts UBIGINT NOT NULL,
  resp_ip_bytes UBIGINT NOT NULL,
  missed_bytes UBIGINT,
  direction_inferred BOOLEAN NOT NULL,
  state_confidence ${enumSql(SESSION_STATE_CONFIDENCES)} NOT NULL,
  state_reason VARCHAR GENERATED ALWAYS AS (${STATE_REASON_SQL}) VIRTUAL,
  state_reason_code UTINYINT,
  state_reason_arg VARCHAR,
  source_format VARCHAR,
  sightings UINTEGER NOT NULL,
  flow_ids BIGINT[] NOT NULL,
  evidence_ids UINTEGER[] NOT NULL
)`,
    ],
  },
  NOTES_TIMELINE_MIGRATION,
  FIDELITY_MIGRATION,
  DETECTIONS_MIGRATION,
  OVERLAP_MIGRATION,
  CUSTODY_MIGRATION,
  CONTEXT_MIGRATION,
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
     sampling, state, history, service, uid, label, attrs, bad_checksums, us_ts(last_packet_us) AS last_packet_time FROM flows`,
  // The flows that figures count: every conversation once. Evidence that overlaps a richer
  // source (the same traffic seen by a sensor's capture and a router's NetFlow) is shadowed
  // here, never deleted: a flow with a flow_shadow row (analysis/evidence-overlap.ts) is left out.
  `CREATE OR REPLACE VIEW flows_counted AS SELECT * FROM flows f WHERE NOT EXISTS (SELECT 1 FROM flow_shadow s WHERE s.flow_id = f.flow_id)`,
  // A readable view of sessions for the SQL console (schema 2).
  `CREATE OR REPLACE VIEW sessions_v AS SELECT uid, us_ts(ts) AS start_time, ip_text("id.orig_h") AS orig_h,
     "id.orig_p" AS orig_p, ip_text("id.resp_h") AS resp_h, "id.resp_p" AS resp_p, proto, service, duration,
     orig_bytes, resp_bytes, conn_state, history, orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes, missed_bytes,
     direction_inferred, state_confidence, state_reason, sightings, flow_ids, evidence_ids FROM sessions`,
];
