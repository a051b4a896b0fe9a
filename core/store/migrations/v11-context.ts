/**
 * Schema 11 (#16): context for addresses.
 *
 * `mmdb_files`: the MaxMind-format databases attached to the case (file name, path and
 * SHA-256 as read, so a report can cite which database said what). `addr_info`: what they
 * said about each address seen in the case (derived: rebuilt by `flowcase enrich`).
 * `names`: the names clients used for an address, with provenance (evidence, time, where
 * in the file, source kind: dns, sni, http), from captures and Zeek logs. `assets`: the
 * organisation's asset list (address or block, name, owner, criticality).
 */
// Typed by its shape (schema.ts's Migration), so this file imports nothing from the schema that lists it.
export const CONTEXT_MIGRATION: { readonly version: number; readonly description: string; readonly statements: readonly string[] } = {
  version: 11,
  description: 'address context: mmdb databases and lookups, names with provenance, asset list',
  statements: [
    `CREATE TABLE mmdb_files (
  file_id INTEGER PRIMARY KEY,
  name VARCHAR NOT NULL,
  path VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  size UBIGINT NOT NULL,
  database_type VARCHAR,
  build_epoch BIGINT,
  attached_us BIGINT NOT NULL
)`,
    `CREATE TABLE addr_info (
  addr UHUGEINT PRIMARY KEY,
  country VARCHAR,
  city VARCHAR,
  asn UINTEGER,
  as_org VARCHAR
)`,
    `CREATE TABLE names (
  evidence_id UINTEGER NOT NULL,
  ts_us BIGINT NOT NULL,
  client_ip UHUGEINT,
  addr UHUGEINT NOT NULL,
  name VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  uri VARCHAR,
  src_pos UBIGINT
)`,
    `CREATE TABLE assets (
  first_ip UHUGEINT NOT NULL,
  last_ip UHUGEINT NOT NULL,
  block VARCHAR NOT NULL,
  name VARCHAR,
  owner VARCHAR,
  criticality VARCHAR,
  line INTEGER NOT NULL
)`,
  ],
};
