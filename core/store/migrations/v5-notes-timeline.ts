/**
 * Schema 5 (#13): notes become an edit history, may carry a place on the timeline, and
 * accepted story entries live beside them.
 *
 * `notes` keeps one row per note with its current state; `note_revisions` keeps every
 * state a note ever had (append-only: an edit adds a revision, a removal adds one with
 * status 'deleted'), so nothing an analyst wrote is overwritten. Where a note sits on
 * the timeline (at_us/end_us, host, peer) is resolved from its target when it is made,
 * so it survives session rebuilds. Story entries the analyst accepted are notes with
 * origin 'story', their story_key naming the proposal, and their own kind, summary and
 * evidence filter; a proposal the analyst removed is kept with status 'dismissed'.
 *
 * `flow_bins` summarises flows per minute, evidence file and exporter (derived, rebuilt
 * from flows whenever missing), so the assessment judges coverage without a full scan.
 */
// Typed by its shape (schema.ts's Migration), so this file imports nothing from the schema that lists it.
export const NOTES_TIMELINE_MIGRATION: { readonly version: number; readonly description: string; readonly statements: readonly string[] } = {
  version: 5,
  description: 'note history, tags and timeline placement; accepted story entries; flow bins for coverage',
  statements: [
    `ALTER TABLE notes ADD COLUMN updated_us BIGINT`,
    `ALTER TABLE notes ADD COLUMN revision INTEGER DEFAULT 1`,
    `ALTER TABLE notes ADD COLUMN status VARCHAR DEFAULT 'active'`,
    `ALTER TABLE notes ADD COLUMN actor VARCHAR DEFAULT 'user'`,
    `ALTER TABLE notes ADD COLUMN at_us BIGINT`,
    `ALTER TABLE notes ADD COLUMN end_us BIGINT`,
    `ALTER TABLE notes ADD COLUMN host VARCHAR`,
    `ALTER TABLE notes ADD COLUMN peer VARCHAR`,
    `ALTER TABLE notes ADD COLUMN origin VARCHAR DEFAULT 'analyst'`,
    `ALTER TABLE notes ADD COLUMN story_key VARCHAR`,
    `ALTER TABLE notes ADD COLUMN event_kind VARCHAR`,
    `ALTER TABLE notes ADD COLUMN summary VARCHAR`,
    `ALTER TABLE notes ADD COLUMN evidence VARCHAR`,
    `UPDATE notes SET updated_us = created_us WHERE updated_us IS NULL`,
    `CREATE TABLE note_revisions (
  note_id BIGINT NOT NULL,
  revision INTEGER NOT NULL,
  at_us BIGINT NOT NULL,
  actor VARCHAR NOT NULL,
  change VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  text VARCHAR NOT NULL,
  tags VARCHAR[],
  summary VARCHAR,
  PRIMARY KEY (note_id, revision)
)`,
    // Notes written before schema 5 get their first revision, so every note has a history.
    `INSERT INTO note_revisions SELECT id, 1, created_us, 'user', 'create', 'active', text, tags, NULL FROM notes`,
    // Records per minute per evidence file and exporter (see store/flow-bins.ts): what coverage
    // gaps are judged from without scanning every flow.
    `CREATE TABLE flow_bins (evidence_id UINTEGER NOT NULL, exporter_ip UHUGEINT, bin_us BIGINT NOT NULL, flows UBIGINT NOT NULL,
  lo_us BIGINT NOT NULL, hi_us BIGINT NOT NULL)`,
    `CREATE TABLE flow_bins_done (evidence_id UINTEGER PRIMARY KEY)`,
  ],
};
