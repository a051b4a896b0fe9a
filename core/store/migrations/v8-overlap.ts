/**
 * Schema 8 (#11): overlapping evidence. The same traffic imported twice (a sensor's capture
 * and the router's NetFlow of it) is recorded, never deleted:
 *
 * `flow_shadow`: one row per (flow, richer evidence that saw the same conversation at the
 *   same time). A flow with any row here is not counted in figures (the view flows_counted);
 *   a view limited to some evidence files ignores the rows whose richer file it leaves out.
 * `evidence_overlap`: per pair of evidence files, how many conversations both saw and which
 *   file's records are counted for them: what the import and the evidence view tell the analyst.
 * `overlap_done`: the evidence files already compared with the rest of the case.
 */
// Typed by its shape (schema.ts's Migration), so this file imports nothing from the schema that lists it.
export const OVERLAP_MIGRATION: { readonly version: number; readonly description: string; readonly statements: readonly string[] } = {
  version: 8,
  description: 'overlapping evidence: shadowed flows and overlap records per evidence pair',
  statements: [
    `CREATE TABLE flow_shadow (flow_id BIGINT NOT NULL, evidence_id UINTEGER NOT NULL, shadowed_by UINTEGER NOT NULL)`,
    `CREATE TABLE evidence_overlap (
  evidence_id UINTEGER NOT NULL,
  other_id UINTEGER NOT NULL,
  conversations UBIGINT NOT NULL,
  flows UBIGINT NOT NULL,
  other_flows UBIGINT NOT NULL,
  shadowed_flows UBIGINT NOT NULL,
  other_shadowed_flows UBIGINT NOT NULL,
  counted_id UINTEGER NOT NULL,
  detected_us BIGINT NOT NULL,
  PRIMARY KEY (evidence_id, other_id)
)`,
    `CREATE TABLE overlap_done (evidence_id UINTEGER PRIMARY KEY)`,
  ],
};
