import { FLOW_COLUMNS } from '../../model/flow-columns';

/**
 * Schema 6 (#11, evidence fidelity): nothing captured is silently left out.
 *
 * flows: `bad_checksums` (packets of a captured flow whose TCP/UDP/ICMP checksum was wrong:
 * counted by default, as evidence) and `last_packet_us` (the last packet of any kind, where
 * `end_us` keeps Zeek's duration). The columns come from FLOW_COLUMNS (`since: 6`), so the
 * DDL, the batches and the appender read one list.
 *
 * evidence: `skipped` (records read but not stored, by reason, as JSON: `{"man": 1, "llc": 2}`)
 * and `bad_checksums` (packets with a bad checksum in the file).
 */
// Typed by its shape (schema.ts's Migration), so this file imports nothing from the schema that lists it.
export const FIDELITY_MIGRATION: { readonly version: number; readonly description: string; readonly statements: readonly string[] } = {
  version: 6,
  description: 'bad checksums and last packet per flow; skipped records and bad checksums per evidence',
  statements: [
    ...FLOW_COLUMNS.filter((col) => 'since' in col && col.since === 6).map(
      (col) => `ALTER TABLE flows ADD COLUMN ${col.name} ${col.sqlType}`,
    ),
    `ALTER TABLE evidence ADD COLUMN skipped VARCHAR`,
    // The host index (derived) carries the flow columns a row shows: rebuilt with the new ones on next use.
    `DROP TABLE IF EXISTS host_flows`,
    `DROP TABLE IF EXISTS host_flows_runs`,
    `ALTER TABLE evidence ADD COLUMN bad_checksums UBIGINT`,
  ],
};
