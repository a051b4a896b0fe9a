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
 * The fragment for a choice; `alias` qualifies the row's columns ('' for none), `prefix`
 * names the parameters so that several fragments can share one query.
 */
export async function evidenceScopeSql(store: CaseStore, choice: EvidenceChoice = 'counted', alias = '', prefix = 'evc'): Promise<EvidenceScopeSql> {
  const a = alias ? `${alias}.` : '';
  if (choice === 'all') return ALL;
  if (choice === 'counted') {
    return (await hasShadowedFlows(store)) ? { sql: `${a}flow_id NOT IN (SELECT flow_id FROM flow_shadow)`, params: {} } : ALL;
  }
  const ids = `[${choice.map((id) => Math.trunc(Number(id))).filter((id) => Number.isFinite(id) && id >= 0).join(',')}]`;
  const inList = `list_contains(CAST($${prefix}_ids AS UINTEGER[]), ${a}evidence_id)`;
  if (!(await hasShadowedFlows(store))) return { sql: inList, params: { [`${prefix}_ids`]: ids } };
  return {
    sql: `${inList} AND ${a}flow_id NOT IN (SELECT flow_id FROM flow_shadow WHERE list_contains(CAST($${prefix}_ids AS UINTEGER[]), shadowed_by))`,
    params: { [`${prefix}_ids`]: ids },
  };
}
