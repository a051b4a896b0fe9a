import { ensureSessions } from '../../analysis/sessions/ensure-sessions';
import { sessionDetail } from '../../analysis/sessions/session-detail';
import { sessionFilterSql } from '../../analysis/sessions/session-filter';
import { sessionsPage } from '../../analysis/sessions/sessions-page';
import type { sessionMethods } from '../contract/sessions';
import { displayZone } from './arguments';
import { namesUsed } from '../../enrich/names-used';
import type { HandlerContext, Handlers } from './handler-context';

/** sessions.*: the sessions table and one session with its flow records. */
export function sessionsHandlers(ctx: HandlerContext): Handlers<keyof typeof sessionMethods> {
  return {
    'sessions.page': async (a) => {
      const s = ctx.requireCase();
      const f = sessionFilterSql(a.filter, await displayZone(ctx));
      await ensureSessions(s);
      const page = await sessionsPage(s, { offset: a.offset, limit: a.limit, sort: a.sort, filterSql: f.sql, params: f.params, states: a.states });
      const names = await namesUsed(s, page.rows.map((x) => ({ client: x.origH, server: x.respH, atUs: x.endUs })));
      page.rows.forEach((x, i) => (x.name = names[i]));
      return page;
    },
    'sessions.detail': async (a) => {
      const s = ctx.requireCase();
      await ensureSessions(s);
      return sessionDetail(s, a.uid);
    },
  };
}
