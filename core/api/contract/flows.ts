import { z } from 'zod';
import type { FlowPage } from '../../query/flow-pager';
import { FLOW_SORT_COLUMNS } from '../../query/flow-sort';
import type { CaseStats } from '../../query/flow-stats';
import { method } from './method';
import { filterArg, pageArgs } from './common';

/** Flows: the paged, sorted, filtered table; totals; the read-only SQL console. */

export type { FlowView } from '../../query/flow-view';
export type { FlowPage } from '../../query/flow-pager';
export type { CaseStats } from '../../query/flow-stats';
export { FLOW_SORT_COLUMNS, type FlowSortColumn } from '../../query/flow-sort';

/** The SQL console's answer: rows, or why the statement was refused or failed. */
export type SqlRunResult =
  | { ok: true; columns: { name: string; type: string }[]; rows: unknown[][]; truncated: boolean; ms: number }
  | { ok: false; kind: 'refused' | 'error'; message: string };

export const flowMethods = {
  'flows.page': method(z.object({
    ...pageArgs,
    sort: z.object({ column: z.enum(FLOW_SORT_COLUMNS), desc: z.boolean() }).optional(),
    filter: filterArg,
  }).strict()).returns<FlowPage>(),
  'flows.stats': method(z.object({ filter: filterArg }).strict()).returns<CaseStats>(),
  /** Stops the console queries running on the open case. */
  'sql.cancel': method(z.object({}).strict()).returns<{ cancelled: number }>(),
  'sql.run': method(z.object({ sql: z.string().min(1).max(100_000), limit: z.number().int().min(1).max(100_000) }).strict()).returns<SqlRunResult>(),
};
