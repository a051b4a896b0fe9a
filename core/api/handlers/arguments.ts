import { parseIp } from '../../model/ip';
import type { FilterError } from '../../query/filter-ast';
import { filterMessage } from '../../query/user-filter';
import { ApiError } from '../api-error';
import type { HandlerContext } from './handler-context';

/** Unwraps a query result or turns its failure (a bad filter, with position) into an ApiError. */
export function orBadFilter<T extends object>(r: T, isFailure: (x: unknown) => boolean): Exclude<T, { error: FilterError }> {
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

/** The readable reason of a failed file operation: its errno code, else its message. */
export function fsReason(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/**
 * The zone that filter times written without one are read in: the zone the times are shown
 * in, which is the case's display zone in the app and UTC in the CLI (it prints UTC).
 */
export async function displayZone(ctx: HandlerContext): Promise<string> {
  if (ctx.options.transport === 'cli') return 'UTC';
  return (await ctx.requireCase().getSetting('time_zone')) ?? 'UTC';
}
