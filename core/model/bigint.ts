/**
 * DuckDB hands BIGINT, UBIGINT and HUGEINT columns to JavaScript as bigint. Counters, row ids
 * and µs times stay far below 2^53, so they cross the API as plain numbers.
 */

/** A database integer as a number (bigint converted, numbers as they are). */
export function toNumber(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

/** The same, with SQL NULL kept as null. */
export function toNumberOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : toNumber(v);
}

/** A `JSON.stringify` replacer that writes bigints as numbers. */
export function bigintAsNumber(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}
