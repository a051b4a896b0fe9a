import type { CaseStore, SqlParams } from '../../store/case-store';
import { SESSION_CONN_STATES } from '../../store/schema';
import { SESSION_VIEW_COLUMNS, toSessionView, type SessionView } from './session-view';

/** Sort keys a client may ask for, mapped to SQL (the allow-list). */
const SORT_SQL = {
  ts: 'ts',
  duration: 'duration',
  orig_h: '"id.orig_h"',
  orig_p: '"id.orig_p"',
  resp_h: '"id.resp_h"',
  resp_p: '"id.resp_p"',
  proto: 'proto',
  service: 'service',
  // ENUMs sort by declaration order; as text they sort like the other columns.
  conn_state: 'conn_state::VARCHAR',
  orig_pkts: 'orig_pkts',
  resp_pkts: 'resp_pkts',
  orig_ip_bytes: 'orig_ip_bytes',
  resp_ip_bytes: 'resp_ip_bytes',
  orig_bytes: 'orig_bytes',
  resp_bytes: 'resp_bytes',
  total_bytes: '(orig_ip_bytes + resp_ip_bytes)',
  total_pkts: '(orig_pkts + resp_pkts)',
  sightings: 'sightings',
  state_confidence: 'state_confidence::VARCHAR',
} as const;

export type SessionSortColumn = keyof typeof SORT_SQL;
export const SESSION_SORT_COLUMNS = Object.keys(SORT_SQL) as [SessionSortColumn, ...SessionSortColumn[]];

/** Zeek's conn_state values; `states` filters are checked against this list. */
export const CONN_STATES = SESSION_CONN_STATES;
export type ConnState = (typeof CONN_STATES)[number];

export interface SessionsPageRequest {
  offset: number;
  limit: number;
  sort?: { column: SessionSortColumn; desc: boolean };
  /** A WHERE fragment over `sessions` columns, compiled by the caller (values as $params). */
  filterSql?: string;
  params?: Record<string, bigint | number | string | boolean | null>;
  /** Only these conn_state values. */
  states?: readonly string[];
}

export interface SessionsPage {
  rows: SessionView[];
  /** Sessions matching the filter (not just this page). */
  total: number;
  offset: number;
}

/** One page of sessions, sorted and filtered; ties are broken by uid (as uid_hash, which sorts the same and
 * is stored) so pages are stable. */
export async function sessionsPage(store: CaseStore, req: SessionsPageRequest): Promise<SessionsPage> {
  const sort = req.sort ?? { column: 'ts', desc: false };
  const sortSql = SORT_SQL[sort.column];
  if (!sortSql) throw new Error(`unknown session sort column ${String(sort.column)}`);
  const where: string[] = [];
  const params: Record<string, unknown> = { ...(req.params ?? {}) };
  if (req.filterSql) where.push(`(${req.filterSql})`);
  if (req.states && req.states.length) {
    const states = req.states.filter((s) => (CONN_STATES as readonly string[]).includes(s));
    where.push(`conn_state IN (${states.map((_, i) => `$__st${i}`).join(', ') || 'NULL'})`);
    states.forEach((s, i) => (params[`__st${i}`] = s));
  }
  const whereSql = where.length ? where.join(' AND ') : 'TRUE';
  const limit = Math.max(0, Math.trunc(req.limit));
  const offset = Math.max(0, Math.trunc(req.offset));
  const rows = await store.all(
    `SELECT ${SESSION_VIEW_COLUMNS} FROM sessions WHERE ${whereSql}
      ORDER BY ${sortSql} ${sort.desc ? 'DESC' : 'ASC'} NULLS LAST, uid_hash ASC LIMIT $__limit OFFSET $__offset`,
    { ...params, __limit: limit, __offset: offset } as SqlParams,
  );
  const total = Number(await store.value<bigint>(`SELECT count(*) FROM sessions WHERE ${whereSql}`, params as SqlParams));
  return { rows: rows.map(toSessionView), total, offset };
}
