import type { FilterError } from './filter-ast';
import { filterToSql, type CompileOptions } from './compile-filter';

/** A compiled filter: a WHERE fragment and its parameters. */
export interface SqlFilter {
  readonly sql: string;
  readonly params: Record<string, bigint | number | string | boolean | null>;
}

/** Matches every row. */
export const NO_FILTER: SqlFilter = { sql: 'TRUE', params: {} };

/** A filter error as a message that says where: "unknown field 'prot' (at 1:1)". */
export function filterMessage(e: FilterError): string {
  return e.message.includes(`${e.line}:${e.column}`) ? e.message : `${e.message} (at ${e.line}:${e.column})`;
}

/** A filter a user typed that does not parse; the API reports it as 'bad-filter'. */
export class BadFilterError extends Error {
  constructor(readonly error: FilterError) {
    super(filterMessage(error));
    this.name = 'BadFilterError';
  }
}

/**
 * Compiles a filter expression typed by a user into a parameterised WHERE fragment.
 * An empty expression matches everything; a bad one throws BadFilterError, whose message
 * points at the position in the expression.
 */
export function compileUserFilter(expr: string | undefined, options: CompileOptions = {}): SqlFilter {
  if (!expr || !expr.trim()) return NO_FILTER;
  const r = filterToSql(expr, options);
  if (!r.ok) throw new BadFilterError(r.error);
  return { sql: r.sql, params: r.params };
}
