import { formatIpBigInt } from '../../model/ip';
import { internalSql } from '../../query/internal-networks';
import type { DetectContext } from './detector';

/**
 * SQL pieces the detectors share. They read the `sessions` table (both directions of a
 * conversation paired, the originator known, duplicates across sensors merged) for who
 * started what and whether it was answered, and `flows_counted` for figures.
 */

/** Session columns under short names; `{}` stands for the alias. */
export const S_COLS = `ts, end_us, "id.orig_h" AS o, "id.orig_p" AS op, "id.resp_h" AS r, "id.resp_p" AS rp, ip_proto AS p,
  orig_pkts AS opk, orig_ip_bytes AS oby, resp_pkts AS rpk, resp_ip_bytes AS rby, conn_state::VARCHAR AS cs, history, service`;

/**
 * An attempt that failed: nothing came back, the answer was a reset (REJ), a SYN never
 * answered (S0), a SYN then the originator's reset (RSTOS0), or a half-open probe (SH).
 * Without TCP flags (NetFlow without flags, VPC logs): a TCP exchange of at most one packet
 * back counts as failed, as no handshake plus data can fit in it.
 */
export const FAILED_SQL = `(rpk = 0 OR cs IN ('REJ', 'S0', 'RSTOS0', 'SH')
  OR (p = 6 AND history IS NULL AND rpk <= 1 AND opk <= 3))`;

/** TCP sessions whose state comes from no flags at all: the detection says so. */
export const FLAGLESS_SQL = `(p = 6 AND history IS NULL)`;

export interface WindowSql {
  /** `ts >= $wf AND ts < $wt` (or TRUE). */
  sql: string;
  params: Record<string, bigint>;
}

/** The analysis window over a time column. */
export function windowSql(ctx: DetectContext, column = 'ts'): WindowSql {
  const parts: string[] = [];
  const params: Record<string, bigint> = {};
  if (ctx.range.fromUs !== null) { parts.push(`${column} >= $wf`); params.wf = BigInt(Math.floor(ctx.range.fromUs)); }
  if (ctx.range.toUs !== null) { parts.push(`${column} < $wt`); params.wt = BigInt(Math.ceil(ctx.range.toUs)); }
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

/** `column IN internal networks` as SQL with its parameters (prefix letters only). */
export function isInternal(ctx: DetectContext, column: string, prefix: string): { sql: string; params: Record<string, string> } {
  return internalSql(column, ctx.internal, prefix);
}

/** A stored address (bigint) as text. */
export const ipText = (v: unknown): string => formatIpBigInt(BigInt(v as bigint));
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** The sessions of the window as a CTE body. */
export function windowSessions(ctx: DetectContext): { sql: string; params: Record<string, bigint> } {
  const w = windowSql(ctx);
  return { sql: `SELECT ${S_COLS} FROM sessions WHERE ${w.sql}`, params: w.params };
}
