import type { CaseStore } from '../../store/case-store';
import { FLOW_BIN_US, flowBinsSource } from '../../store/flow-bins';

/** Rules that decide what counts as a gap (stated in every assessment and report). */
export interface CoverageRules {
  /** A stretch without records shorter than this is never a gap (µs). */
  gapMinUs: number;
  /** ...and it must be this many times the source's usual spacing between records (its 90th percentile). */
  gapFactor: number;
  /** A source needs records in this many time bins of the period before its gaps are judged. */
  minActiveBins: number;
}

export const DEFAULT_COVERAGE_RULES: CoverageRules = { gapMinUs: 10 * 60 * 1e6, gapFactor: 10, minActiveBins: 10 };

export type GapKind = 'gap' | 'silent' | 'starts-late';

/** A time window in which one source recorded nothing though it would otherwise have. */
export interface CoverageGap {
  fromUs: number;
  toUs: number;
  /** 'exporter 10.0.0.1', 'evidence e1.pcap' (the source as sessions group records). */
  source: string;
  /** gap: silence inside the source's span; silent: it stopped before the period ended; starts-late: it began after the period began. */
  kind: GapKind;
}

export interface SourceCoverage {
  source: string;
  firstUs: number;
  lastUs: number;
  /** Records in the period. */
  flows: number;
  /** The source's usual spacing between records in the period (90th percentile), µs; null when too sparse to judge. */
  usualSpacingUs: number | null;
}

export interface CoverageResult {
  binUs: number;
  sources: SourceCoverage[];
  gaps: CoverageGap[];
}

/** Nice bin widths: whole minutes, quarters, hours, days. */
const BINS_US = [60, 300, 900, 3600, 6 * 3600, 86400].map((s) => s * 1e6);

/** The narrowest nice bin giving at most maxBins bins over the span. */
export function coverageBin(spanUs: number, maxBins = 20_000): number {
  return BINS_US.find((b) => spanUs / b <= maxBins) ?? BINS_US[BINS_US.length - 1];
}

/** The sighting-source label of aggregated rows (columns exporter_ip, evidence_set, format, name). */
const SOURCE_LABEL = `CASE WHEN exporter_ip IS NOT NULL AND exporter_ip <> 0 AND exporter_ip <> ${(0xffffn << 32n).toString()}::UHUGEINT
    THEN 'exporter ' || ip_text(exporter_ip)
  WHEN evidence_set IS NOT NULL THEN 'evidence set ' || evidence_set || ' (' || format || ')'
  ELSE 'evidence ' || name END`;

const n = (v: unknown): number => Number(v);

/**
 * Where the evidence is silent in a period: per source (exporter or evidence file), the
 * stretches without any record that are long both absolutely and against the source's own
 * usual spacing; sources that stopped before the period ended or began after it began.
 * Reads every record (not only the counted ones): coverage is about what was recorded.
 * Bins come from flow_bins (records per minute, evidence and exporter) and are labelled afterwards.
 */
export async function evidenceCoverage(
  store: CaseStore, period: { fromUs: number; toUs: number }, sources: readonly string[] | null, rules: CoverageRules = DEFAULT_COVERAGE_RULES,
): Promise<CoverageResult> {
  const span = Math.max(1, period.toUs - period.fromUs);
  const binUs = coverageBin(span);
  // Per-minute bins (kept by every import), so this reads a few thousand rows, not every flow.
  const bins0 = await flowBinsSource(store);
  const life = await store.all(
    `WITH raw AS (SELECT exporter_ip, evidence_id, min(lo_us) AS lo, max(hi_us) AS hi FROM ${bins0} GROUP BY ALL)
     SELECT ${SOURCE_LABEL} AS src, min(lo) AS lo, max(hi) AS hi FROM raw JOIN evidence USING (evidence_id) GROUP BY src ORDER BY src`,
  );
  const bins = await store.all(
    `WITH raw AS (SELECT exporter_ip, evidence_id, bin_us // $bin AS b, sum(flows) AS n, min(lo_us) AS lo, max(hi_us) AS hi
                    FROM ${bins0} WHERE bin_us >= $from_bin AND bin_us < $to GROUP BY ALL)
     SELECT ${SOURCE_LABEL} AS src, b, sum(n) AS n, min(lo) AS lo, max(hi) AS hi
       FROM raw JOIN evidence USING (evidence_id) GROUP BY src, b ORDER BY src, b`,
    { from_bin: BigInt(Math.floor(period.fromUs / FLOW_BIN_US) * FLOW_BIN_US), to: BigInt(Math.ceil(period.toUs)), bin: BigInt(binUs) },
  );
  const wanted = sources ? new Set(sources) : null;
  const bySource = new Map<string, { b: number; n: number; lo: number; hi: number }[]>();
  for (const r of bins) {
    const src = String(r.src);
    if (!bySource.has(src)) bySource.set(src, []);
    bySource.get(src)!.push({ b: n(r.b), n: n(r.n), lo: n(r.lo), hi: n(r.hi) });
  }
  const out: CoverageResult = { binUs, sources: [], gaps: [] };
  for (const l of life) {
    const source = String(l.src);
    if (wanted && !wanted.has(source)) continue;
    const firstUs = n(l.lo);
    const lastUs = n(l.hi);
    if (lastUs < period.fromUs || firstUs > period.toUs) continue;
    const rows = bySource.get(source) ?? [];
    const spacings: number[] = [];
    for (let i = 1; i < rows.length; i++) spacings.push(rows[i].b - rows[i - 1].b);
    spacings.sort((a, b) => a - b);
    const judged = rows.length >= rules.minActiveBins;
    const usualSpacingUs = judged ? spacings[Math.min(spacings.length - 1, Math.floor(spacings.length * 0.9))] * binUs : null;
    out.sources.push({ source, firstUs, lastUs, flows: rows.reduce((s, r) => s + r.n, 0), usualSpacingUs });
    if (usualSpacingUs === null) continue;
    const threshold = Math.max(rules.gapMinUs, rules.gapFactor * usualSpacingUs);
    const gap = (fromUs: number, toUs: number, kind: GapKind) => {
      if (toUs - fromUs > threshold) out.gaps.push({ fromUs, toUs, source, kind });
    };
    // The source's own span inside the period; silence at either end of it is a gap too.
    const startsLate = firstUs > period.fromUs;
    const silent = lastUs < period.toUs;
    let reach = startsLate ? rows[0].lo : period.fromUs;
    for (const r of rows) {
      gap(reach, r.lo, 'gap');
      reach = Math.max(reach, r.hi);
    }
    if (!silent) gap(reach, period.toUs, 'gap');
    if (startsLate) gap(period.fromUs, firstUs, 'starts-late');
    if (silent) gap(Math.max(lastUs, period.fromUs), period.toUs, 'silent');
  }
  out.gaps.sort((a, b) => a.fromUs - b.fromUs || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return out;
}
