import { toNumber, toNumberOrNull } from '../model/bigint';
import type { CaseStore } from './case-store';

/** A decoding issue as stored and shown: code, where in the file, and what it means. */
export interface IssueView {
  code: string;
  offset: number;
  length?: number;
  message: string;
}

/** One evidence file of a case, as clients list it. */
export interface EvidenceView {
  evidenceId: number;
  path: string;
  name: string;
  size: number;
  sha256: string;
  format: string;
  positionUnit: 'byte' | 'line';
  compression: string | null;
  importedAtUs: number;
  importMs: number | null;
  toolVersion: string;
  records: number;
  rejected: number;
  firstUs: number | null;
  lastUs: number | null;
  clockOffsetUs: number;
  evidenceSet: string | null;
  counters: Record<string, number>;
  /** Records read but not stored, by reason (`{ man: 1, llc: 2 }`); empty when every record is a flow. */
  skipped: Record<string, number>;
  /** Packets with a bad TCP/UDP/ICMP checksum (captures; counted as flows unless verified). */
  badChecksums: number;
  facts: Record<string, unknown>;
  issues: IssueView[];
  issueCounts: Record<string, number>;
}

const json = <T>(v: unknown, fallback: T): T => {
  if (typeof v !== 'string') return fallback;
  try { return JSON.parse(v) as T; } catch { return fallback; }
};

/** Every evidence file of the case, in import order. */
export async function listEvidence(store: CaseStore): Promise<EvidenceView[]> {
  const rows = await store.all(`SELECT * FROM evidence ORDER BY evidence_id`);
  return rows.map((r) => {
    const issues = json<{ kept?: EvidenceView['issues']; byCode?: Record<string, number> }>(r.issues, {});
    return {
      evidenceId: toNumber(r.evidence_id), path: r.path as string, name: r.name as string, size: toNumber(r.size), sha256: r.sha256 as string,
      format: r.format as string, positionUnit: r.position_unit as 'byte' | 'line', compression: (r.compression as string) ?? null,
      importedAtUs: toNumber(r.imported_at_us), importMs: toNumberOrNull(r.import_ms), toolVersion: r.tool_version as string,
      records: toNumber(r.records), rejected: toNumber(r.rejected), firstUs: toNumberOrNull(r.first_us), lastUs: toNumberOrNull(r.last_us),
      clockOffsetUs: toNumber(r.clock_offset_us), evidenceSet: (r.evidence_set as string) ?? null,
      counters: json(r.counters, {}), skipped: json(r.skipped, {}), badChecksums: toNumberOrNull(r.bad_checksums) ?? 0, facts: json(r.facts, {}), issues: issues.kept ?? [], issueCounts: issues.byCode ?? {},
    };
  });
}
