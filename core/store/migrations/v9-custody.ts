/**
 * Schema 9 (#14): custody. The audit log becomes a hash chain (seq, prev_hash, content_hash,
 * hash; see store/audit-chain.ts), each evidence records a digest of the flow rows stored
 * for it (store/rows-digest.ts), and `derived_state` durably marks derived tables (sessions,
 * host index, flow bins) stale from inside the import transaction until they are rebuilt.
 * Entries written before this schema are chained when the case is first opened with it
 * (custody.chain-started says from which entry on the chain was written as it happened).
 */
// Typed by its shape (schema.ts's Migration), so this file imports nothing from the schema that lists it.
export const CUSTODY_MIGRATION: { readonly version: number; readonly description: string; readonly statements: readonly string[] } = {
  version: 9,
  description: 'hash-chained audit log, per-evidence row digests, durable derived-table stale marks',
  statements: [
    `ALTER TABLE audit_log ADD COLUMN seq BIGINT`,
    `ALTER TABLE audit_log ADD COLUMN prev_hash VARCHAR`,
    `ALTER TABLE audit_log ADD COLUMN content_hash VARCHAR`,
    `ALTER TABLE audit_log ADD COLUMN hash VARCHAR`,
    `ALTER TABLE evidence ADD COLUMN rows_digest VARCHAR`,
    // One row per evidence whose derived rows are not built yet (written in the import's
    // transaction, deleted when the derived step finished): a kill in between is healed on open.
    `CREATE TABLE derived_state (evidence_id UINTEGER PRIMARY KEY, stale_since_us BIGINT NOT NULL)`,
  ],
};
