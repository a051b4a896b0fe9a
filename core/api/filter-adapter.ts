import { filterToSql } from '../query/compile-filter';
import { ApiError } from './api-error';
import { NO_FILTER, type SqlFilter } from './flow-rows';

/**
 * Compiles a filter expression typed by a user into a parameterised WHERE fragment.
 * An empty expression matches everything; a bad one is an ApiError whose message
 * points at the position in the expression.
 */
export function compileUserFilter(expr: string | undefined, alias?: string): SqlFilter {
  if (!expr || !expr.trim()) return NO_FILTER;
  const r = filterToSql(expr, alias ? { alias } : {});
  if (!r.ok) {
    const e = r.error;
    const msg = e.message.includes(`${e.line}:${e.column}`) ? e.message : `${e.message} (at ${e.line}:${e.column})`;
    throw new ApiError('bad-filter', msg);
  }
  return { sql: r.sql, params: r.params };
}
