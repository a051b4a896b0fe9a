import type { CaseStore } from './case-store';

/**
 * Which evidence a view counts (#11):
 * - 'counted' (the default): every conversation once; records that repeat traffic a richer
 *   evidence file recorded (flow_shadow, see analysis/evidence-overlap.ts) are left out,
 *   as in the view flows_counted;
 * - 'all': every record of every file, as imported (overlapping files count twice);
 * - a list of evidence ids: those files' records, each conversation once among them (a
 *   record is left out only when a richer file of the list saw the same conversation).
 */
export type EvidenceChoice = 'counted' | 'all' | readonly number[];

/** A WHERE fragment over rows with flow_id and evidence_id (flows, flows_counted, host_flows), and its parameters. */
export interface EvidenceScopeSql {
  readonly sql: string;
  readonly params: Record<string, string>;
}

const ALL: EvidenceScopeSql = { sql: 'TRUE', params: {} };

/** Whether any record of the case is shadowed (the cheap common case: none, and the fragment is TRUE). */
export async function hasShadowedFlows(store: CaseStore): Promise<boolean> {
  return !!(await store.value<boolean>(`SELECT EXISTS (SELECT 1 FROM flow_shadow)`));
}

/**
 * No shadow row (meeting `cond`) for the row's flow. NOT EXISTS, not NOT IN: DuckDB then
 * builds its hash table on the smaller side (a host's few rows, not every shadow row; a
 * pivot took 5x as long with NOT IN). The shadow column is renamed so that the unqualified
 * `flow_id` binds to the outer row.
 */
const notShadowed = (a: string, cond: string): string =>
  `NOT EXISTS (SELECT 1 FROM (SELECT flow_id AS shadowed_flow, shadowed_by FROM flow_shadow) s WHERE s.shadowed_flow = ${a}flow_id AND ${cond})`;

/**
 * The fragment for a choice; `alias` qualifies the row's columns ('' for none), `prefix`
 * names the parameters so that several fragments can share one query.
 */
export async function evidenceScopeSql(store: CaseStore, choice: EvidenceChoice = 'counted', alias = '', prefix = 'evc'): Promise<EvidenceScopeSql> {
  const a = alias ? `${alias}.` : '';
  if (choice === 'all') return ALL;
  if (choice === 'counted') {
    return (await hasShadowedFlows(store)) ? { sql: notShadowed(a, 'TRUE'), params: {} } : ALL;
  }
  const ids = `[${choice.map((id) => Math.trunc(Number(id))).filter((id) => Number.isFinite(id) && id >= 0).join(',')}]`;
  const inList = `list_contains(CAST($${prefix}_ids AS UINTEGER[]), ${a}evidence_id)`;
  if (!(await hasShadowedFlows(store))) return { sql: inList, params: { [`${prefix}_ids`]: ids } };
  return {
    sql: `${inList} AND ${notShadowed(a, `list_contains(CAST($${prefix}_ids AS UINTEGER[]), s.shadowed_by)`)}`,
    params: { [`${prefix}_ids`]: ids },
  };
}
