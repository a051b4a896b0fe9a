import type { CaseStore } from './case-store';

/** Width of a flow bin: one minute, the finest a coverage gap is judged at. */
export const FLOW_BIN_US = 60_000_000;

/**
 * Flows per minute, evidence file and exporter, as SQL over `flows` for some evidence
 * (`where` is a fixed fragment from this module). min start / max end per bin give a
 * gap its exact edges.
 */
const BINS_FROM_FLOWS = (where: string): string => `SELECT evidence_id, exporter_ip, start_us // ${FLOW_BIN_US} * ${FLOW_BIN_US} AS bin_us,
    count(*) AS flows, min(start_us) AS lo_us, max(end_us) AS hi_us
  FROM flows ${where} GROUP BY ALL`;

/** Whether flow_bins covers every evidence file of the case. */
export async function flowBinsCurrent(store: CaseStore): Promise<boolean> {
  const r = await store.value(
    `SELECT (SELECT count(*) FROM information_schema.tables WHERE table_name = 'flow_bins_done') = 1
        AND NOT EXISTS (SELECT 1 FROM evidence e ANTI JOIN flow_bins_done d USING (evidence_id))`,
  );
  return !!r;
}

/**
 * Adds the bins of evidence not summarised yet (every import runs it; a case from before
 * schema 5 gets all its bins on first use). Cheap when nothing is missing; a read-only
 * case is left alone (readers then bin on the fly: flowBinsSource()).
 */
export async function updateFlowBins(store: CaseStore): Promise<number> {
  if (store.readOnly) return 0;
  const missing = (await store.all<{ evidence_id: number }>(
    `SELECT evidence_id FROM evidence ANTI JOIN flow_bins_done USING (evidence_id) ORDER BY evidence_id`,
  )).map((r) => Number(r.evidence_id));
  if (!missing.length) return 0;
  const ids = `[${missing.join(',')}]`;
  await store.transaction(async () => {
    await store.run(`DELETE FROM flow_bins WHERE list_contains(CAST($ids AS UINTEGER[]), evidence_id)`, { ids });
    await store.run(`INSERT INTO flow_bins ${BINS_FROM_FLOWS('WHERE list_contains(CAST($ids AS UINTEGER[]), evidence_id)')}`, { ids });
    await store.run(`INSERT INTO flow_bins_done SELECT unnest(CAST($ids AS UINTEGER[]))`, { ids });
  });
  return missing.length;
}

/** A subquery with the flow_bins columns: the table when it is current, else the same bins computed from flows. */
export async function flowBinsSource(store: CaseStore): Promise<string> {
  if (!(await flowBinsCurrent(store))) await updateFlowBins(store);
  return (await flowBinsCurrent(store)) ? 'flow_bins' : `(${BINS_FROM_FLOWS('')})`;
}
