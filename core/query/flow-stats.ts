import { toNumber, toNumberOrNull } from '../model/bigint';
import { microsToIso } from '../model/time';
import type { CaseStore } from '../store/case-store';
import { NO_FILTER, type SqlFilter } from './user-filter';

/** Totals over the case or a filter; first/last as UTC microseconds and as ISO-8601 text. */
export interface CaseStats {
  flows: number;
  packets: number;
  bytes: number;
  first: string | null;
  last: string | null;
  firstUs: number | null;
  lastUs: number | null;
  /**
   * Estimated packets and bytes: each flow's counts times its exporter's sampling interval
   * (1 in N); equal to packets and bytes when nothing is sampled. Raw counts stay as exported.
   */
  estPackets: number;
  estBytes: number;
  /** The smallest and largest sampling interval among sampled flows (null: none sampled). */
  samplingMin: number | null;
  samplingMax: number | null;
}

/** SQL: a flow's sampling interval as a factor (unsampled, or 0/1 declared: 1). */
export const SAMPLING_FACTOR_SQL = 'coalesce(nullif(sampling, 0), 1)';

/** Flows matching a filter. */
export async function countFlows(store: CaseStore, filter: SqlFilter = NO_FILTER): Promise<number> {
  return toNumber(await store.value(`SELECT count(*) FROM flows WHERE ${filter.sql}`, filter.params));
}

/** Totals over the case (or a filter): packets and bytes count both directions. */
export async function queryStats(store: CaseStore, filter: SqlFilter = NO_FILTER): Promise<CaseStats> {
  const r = await store.one(
    `SELECT count(*) AS flows, coalesce(sum(packets + coalesce(rev_packets, 0)), 0) AS packets,
            coalesce(sum(bytes + coalesce(rev_bytes, 0)), 0) AS bytes, min(start_us) AS first, max(end_us) AS last,
            coalesce(sum((packets + coalesce(rev_packets, 0)) * ${SAMPLING_FACTOR_SQL}), 0) AS est_packets,
            coalesce(sum((bytes + coalesce(rev_bytes, 0)) * ${SAMPLING_FACTOR_SQL}), 0) AS est_bytes,
            min(sampling) FILTER (WHERE sampling > 1) AS s_min, max(sampling) FILTER (WHERE sampling > 1) AS s_max
       FROM flows WHERE ${filter.sql}`, filter.params,
  );
  const firstUs = toNumberOrNull(r?.first);
  const lastUs = toNumberOrNull(r?.last);
  return {
    flows: toNumber(r?.flows ?? 0), packets: toNumber(r?.packets ?? 0), bytes: toNumber(r?.bytes ?? 0),
    first: firstUs === null ? null : microsToIso(firstUs), last: lastUs === null ? null : microsToIso(lastUs),
    firstUs, lastUs, estPackets: toNumber(r?.est_packets ?? 0), estBytes: toNumber(r?.est_bytes ?? 0),
    samplingMin: toNumberOrNull(r?.s_min), samplingMax: toNumberOrNull(r?.s_max),
  };
}
