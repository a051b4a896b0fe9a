import { queryStats } from '../../query/flow-stats';
import { cancelSql, runReadOnlySql } from '../../query/sql-console';
import { compileUserFilter } from '../../query/user-filter';
import type { flowMethods, SqlRunResult } from '../contract/flows';
import { displayZone } from './arguments';
import { withFlowNames } from './flow-names';
import type { HandlerContext, Handlers } from './handler-context';

/** flows.* and the read-only SQL console. */
export function flowsHandlers(ctx: HandlerContext): Handlers<keyof typeof flowMethods> {
  return {
    'flows.page': async (a) => withFlowNames(ctx.requireCase(), await ctx.flowPager().page({ offset: a.offset, limit: a.limit, sort: a.sort, filter: compileUserFilter(a.filter, { timeZone: await displayZone(ctx) }) })),
    'flows.stats': async (a) => queryStats(ctx.requireCase(), compileUserFilter(a.filter, { timeZone: await displayZone(ctx) }), a.evidence),
    'sql.cancel': async () => ({ cancelled: cancelSql(ctx.requireCase()) }),
    'sql.run': async (a) => (await runReadOnlySql(ctx.requireCase(), a.sql, { limit: a.limit })) as SqlRunResult,
  };
}
