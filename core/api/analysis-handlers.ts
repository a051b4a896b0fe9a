import { ensureSessions } from '../analysis/sessions/ensure-sessions';
import { sessionDetail } from '../analysis/sessions/session-detail';
import { sessionsPage } from '../analysis/sessions/sessions-page';
import { parseIp } from '../model/ip';
import type { FilterError } from '../query/filter-ast';
import { filterToSql } from '../query/compile-filter';
import { DEFAULT_INTERNAL_NETWORKS, getInternalNetworks, setInternalNetworks } from '../query/internal-networks';
import { flowTimeSeries, hostCounts, incomingConnectionAttempts, isOverviewFailure, topTalkers } from '../query/overview-queries';
import { flowsBetween, hostFlows, hostHistogram, hostSummary, isPivotFailure } from '../query/pivot-queries';
import { runReadOnlySql } from '../query/sql-console';
import type { CaseStore } from '../store/case-store';
import { ApiError } from './api-error';
import type { ApiMethod, ArgsOf, ResultOf, SqlRunResult } from './contract';

/** The analysis methods (pivot, overview, settings, SQL console, sessions) of the contract. */
export type AnalysisMethod =
  | 'pivot.host' | 'pivot.flows' | 'pivot.histogram'
  | 'overview.series' | 'overview.talkers' | 'overview.incoming' | 'overview.counts'
  | 'settings.internalNetworks' | 'sql.run' | 'sessions.page' | 'sessions.detail';

type Handler<M extends ApiMethod> = (args: ArgsOf<M>) => Promise<ResultOf<M>>;

/** A filter error as a message that says where: "unknown field 'prot' (at 1:1)". */
export function filterMessage(e: FilterError): string {
  return e.message.includes(`${e.line}:${e.column}`) ? e.message : `${e.message} (at ${e.line}:${e.column})`;
}

/** Unwraps a query result or turns its failure (a bad filter, with position) into an ApiError. */
function orBadFilter<T extends object>(r: T, isFailure: (x: unknown) => boolean): Exclude<T, { error: FilterError }> {
  if (isFailure(r)) throw new ApiError('bad-filter', filterMessage((r as { error: FilterError }).error));
  return r as Exclude<T, { error: FilterError }>;
}

/** Checks an address argument before any query, so that a typo is 'bad-address', not a filter error. */
export function checkAddress(addr: string, what = 'address'): string {
  const t = addr.trim();
  if (parseIp(t) === null) throw new ApiError('bad-address', `'${addr}' is not an IP ${what} (write e.g. 10.0.0.5 or 2001:db8::1)`);
  return t;
}

/** fromUs/toUs of a call; a window that ends before it starts is the caller's mistake. */
export function windowOf(a: { fromUs?: number; toUs?: number }): { fromUs?: number; toUs?: number } {
  if (a.fromUs !== undefined && a.toUs !== undefined && a.toUs <= a.fromUs) {
    throw new ApiError('bad-window', `the time window ends (${a.toUs}) before it starts (${a.fromUs})`);
  }
  return { ...(a.fromUs !== undefined ? { fromUs: a.fromUs } : {}), ...(a.toUs !== undefined ? { toUs: a.toUs } : {}) };
}

/**
 * The sessions table's columns under the flows column names the filter language compiles
 * to, so one filter box works on flows and on sessions. Flags come from Zeek's history
 * letters (upper case: originator, lower case: responder); fields sessions do not have
 * (interfaces, AS, ToS, exporter, label) are NULL and match nothing.
 */
const SESSION_AS_FLOW = `SELECT uid, uid_hash,
    "id.orig_h" AS src_ip, "id.resp_h" AS dst_ip, "id.orig_p" AS src_port, "id.resp_p" AS dst_port, ip_proto AS proto,
    CASE WHEN ("id.orig_h" >> 32) = 65535 THEN 4 ELSE 6 END AS ip_version,
    orig_pkts AS packets, orig_ip_bytes AS bytes, resp_pkts AS rev_packets, resp_ip_bytes AS rev_bytes,
    ts AS start_us, end_us, conn_state AS state, history, service, NULL::VARCHAR AS label,
    ((CASE WHEN contains(history, 'S') THEN 2 ELSE 0 END) | (CASE WHEN contains(history, 'F') THEN 1 ELSE 0 END)
      | (CASE WHEN contains(history, 'R') THEN 4 ELSE 0 END) | (CASE WHEN contains(history, 'A') OR contains(history, 'D') THEN 16 ELSE 0 END)
      | (CASE WHEN contains(history, 'D') THEN 8 ELSE 0 END))::UTINYINT AS tcp_flags,
    ((CASE WHEN contains(history, 's') THEN 2 WHEN contains(history, 'h') THEN 18 ELSE 0 END) | (CASE WHEN contains(history, 'f') THEN 1 ELSE 0 END)
      | (CASE WHEN contains(history, 'r') THEN 4 ELSE 0 END) | (CASE WHEN contains(history, 'a') OR contains(history, 'd') THEN 16 ELSE 0 END)
      | (CASE WHEN contains(history, 'd') THEN 8 ELSE 0 END))::UTINYINT AS rev_tcp_flags,
    CASE WHEN ip_proto IN (1, 58) THEN "id.orig_p" END::UTINYINT AS icmp_type,
    CASE WHEN ip_proto IN (1, 58) THEN "id.resp_p" END::UTINYINT AS icmp_code,
    NULL::UTINYINT AS tos, NULL::UINTEGER AS in_if, NULL::UINTEGER AS out_if, NULL::UINTEGER AS src_as, NULL::UINTEGER AS dst_as,
    evidence_ids[1] AS evidence_id, NULL::UHUGEINT AS exporter_ip
  FROM sessions`;

/** A filter-language expression as a WHERE fragment over `sessions` (a semi-join on uid_hash). */
export function sessionFilterSql(expr: string | undefined): { sql?: string; params?: Record<string, string | number | bigint> } {
  if (!expr || !expr.trim()) return {};
  const r = filterToSql(expr, { alias: 'sv', paramPrefix: 'sf' });
  if (!r.ok) throw new ApiError('bad-filter', filterMessage(r.error));
  // The join key is the stored uid_hash (uid is computed from it when read; the filter's
  // `uid:` field still compares the text).
  return { sql: `uid_hash IN (SELECT sv.uid_hash FROM (${SESSION_AS_FLOW}) sv WHERE ${r.sql})`, params: r.params };
}

/** Re-exported for transports that read sessions (the CLI). */
export { ensureSessions };

/**
 * Handlers for the analysis views. Each takes validated arguments (the contract's zod
 * schemas) and the open case; failures are ApiErrors with messages a person can read
 * (a bad filter says where it went wrong).
 */
export function analysisHandlers(requireCase: () => CaseStore): { [M in AnalysisMethod]: Handler<M> } {
  return {
    'pivot.host': async (a) => {
      const s = requireCase();
      const r = await hostSummary(s, checkAddress(a.addr), { ...windowOf(a), filter: a.filter, peerLimit: a.peerLimit ?? 1000, portLimit: 200 });
      return orBadFilter(r, isPivotFailure);
    },
    'pivot.flows': async (a) => {
      const s = requireCase();
      const opts = { ...windowOf(a), filter: a.filter, offset: a.offset, limit: a.limit };
      const r = a.peer
        ? await flowsBetween(s, checkAddress(a.addr), checkAddress(a.peer, 'address (peer)'), opts)
        : await hostFlows(s, checkAddress(a.addr), opts);
      return orBadFilter(r, isPivotFailure);
    },
    'pivot.histogram': async (a) => {
      const s = requireCase();
      const r = await hostHistogram(s, checkAddress(a.addr), { ...windowOf(a), bins: a.bins ?? 120, filter: a.filter });
      return orBadFilter(r, isPivotFailure);
    },
    'overview.series': async (a) => {
      const r = await flowTimeSeries(requireCase(), { ...windowOf(a), filter: a.filter, split: a.split, binUs: a.binUs });
      return orBadFilter(r, isOverviewFailure);
    },
    'overview.talkers': async (a) => {
      const r = await topTalkers(requireCase(), { ...windowOf(a), filter: a.filter, by: a.by, limit: a.limit });
      return orBadFilter(r, isOverviewFailure);
    },
    'overview.incoming': async (a) => {
      const r = await incomingConnectionAttempts(requireCase(), { ...windowOf(a), filter: a.filter, limit: a.limit ?? 50 });
      return orBadFilter(r, isOverviewFailure);
    },
    'overview.counts': async (a) => {
      const r = await hostCounts(requireCase(), { ...windowOf(a), filter: a.filter });
      return orBadFilter(r, isOverviewFailure);
    },
    'settings.internalNetworks': async (a) => {
      const s = requireCase();
      if (a.networks !== undefined) {
        if (s.readOnly) throw new ApiError('read-only', 'this case is open read-only; reopen it with write access to change its settings');
        const r = await setInternalNetworks(s, a.networks.map((x) => x.trim()).filter((x) => x !== ''));
        if (!r.ok) throw new ApiError('bad-network', r.message);
      }
      return { networks: await getInternalNetworks(s), defaults: [...DEFAULT_INTERNAL_NETWORKS] };
    },
    'sql.run': async (a) => {
      const r = await runReadOnlySql(requireCase(), a.sql, { limit: a.limit });
      return r as SqlRunResult;
    },
    'sessions.page': async (a) => {
      const s = requireCase();
      const f = sessionFilterSql(a.filter);
      await ensureSessions(s);
      return sessionsPage(s, { offset: a.offset, limit: a.limit, sort: a.sort, filterSql: f.sql, params: f.params, states: a.states });
    },
    'sessions.detail': async (a) => {
      const s = requireCase();
      await ensureSessions(s);
      return sessionDetail(s, a.uid);
    },
  };
}
