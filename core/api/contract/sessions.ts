import { z } from 'zod';
import type { SessionDetail } from '../../analysis/sessions/session-detail';
import { CONN_STATES, SESSION_SORT_COLUMNS, type SessionsPage } from '../../analysis/sessions/sessions-page';
import { method } from './method';
import { filterArg, pageArgs } from './common';

/** Sessions: conversations rebuilt from every source, with Zeek's conn.log fields. */

export type { SessionView } from '../../analysis/sessions/session-view';
export type { SessionDetail, SessionFlowRow } from '../../analysis/sessions/session-detail';
export { CONN_STATES, SESSION_SORT_COLUMNS, type ConnState, type SessionSortColumn } from '../../analysis/sessions/sessions-page';
export type SessionPage = SessionsPage;

export const sessionMethods = {
  'sessions.page': method(z.object({
    ...pageArgs,
    sort: z.object({ column: z.enum(SESSION_SORT_COLUMNS), desc: z.boolean() }).optional(),
    filter: filterArg,
    states: z.array(z.enum(CONN_STATES)).max(32).optional(),
  }).strict()).returns<SessionPage>(),
  /** null when the case has no session with that uid. */
  'sessions.detail': method(z.object({ uid: z.string().min(1).max(64) }).strict()).returns<SessionDetail | null>(),
};
