/**
 * Schema 7 (#12): detections and how they were made.
 *
 * `detections` holds what the last run found (replaced by each run; a detection an active
 * exclusion matches is kept with status 'suppressed', never dropped); its first columns are
 * the cross-branch contract the timeline reads (core/analysis/timeline/detection-reader.ts).
 * `detection_runs` records every run: window, baseline, detectors with versions and the
 * thresholds used, the exclusions that were active. `exclusions` are never deleted: removing
 * one clears `active`. `detector_thresholds` holds only values an analyst changed; the
 * defaults live in the detector registry.
 */
// Typed by its shape (schema.ts's Migration), so this file imports nothing from the schema that lists it.
export const DETECTIONS_MIGRATION: { readonly version: number; readonly description: string; readonly statements: readonly string[] } = {
  version: 7,
  description: 'detections, detection runs, exclusions and detector thresholds',
  statements: [
    `CREATE SEQUENCE IF NOT EXISTS detection_seq START 1`,
    `CREATE SEQUENCE IF NOT EXISTS detection_run_seq START 1`,
    `CREATE SEQUENCE IF NOT EXISTS exclusion_seq START 1`,
    `CREATE TABLE detections (
  detection_id BIGINT PRIMARY KEY,
  run_id BIGINT NOT NULL,
  kind VARCHAR NOT NULL,
  severity VARCHAR NOT NULL,
  score DOUBLE NOT NULL,
  src_ip UHUGEINT,
  dst_ip UHUGEINT,
  targets INTEGER NOT NULL,
  ports USMALLINT[] NOT NULL,
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  flows BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  attack VARCHAR,
  summary VARCHAR NOT NULL,
  evidence VARCHAR NOT NULL,
  status VARCHAR NOT NULL DEFAULT 'open',
  detector VARCHAR NOT NULL DEFAULT '',
  detector_version VARCHAR NOT NULL DEFAULT '',
  ports_total INTEGER NOT NULL DEFAULT 0,
  exclusion_id BIGINT,
  facts VARCHAR NOT NULL DEFAULT '{}'
)`,
    `CREATE TABLE detection_runs (
  run_id BIGINT PRIMARY KEY,
  at_us BIGINT NOT NULL,
  from_us BIGINT,
  to_us BIGINT,
  baseline_until_us BIGINT,
  only_kinds VARCHAR,
  detectors VARCHAR NOT NULL,
  exclusions VARCHAR NOT NULL,
  detections INTEGER NOT NULL,
  suppressed INTEGER NOT NULL,
  elapsed_ms DOUBLE NOT NULL,
  flows_seen BIGINT
)`,
    `CREATE TABLE exclusions (
  exclusion_id BIGINT PRIMARY KEY,
  detector VARCHAR NOT NULL,
  src VARCHAR,
  dst VARCHAR,
  host VARCHAR,
  port INTEGER,
  reason VARCHAR NOT NULL,
  created_us BIGINT NOT NULL,
  from_detection_id BIGINT,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  removed_us BIGINT
)`,
    `CREATE TABLE detector_thresholds (
  detector VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  value DOUBLE NOT NULL,
  updated_us BIGINT NOT NULL,
  PRIMARY KEY (detector, name)
)`,
  ],
};
