import type { CaseStore } from '../store/case-store';

/** A column of a small derived table: its name and the SQL type its parameter is cast to. */
export interface InsertColumn {
  readonly name: string;
  readonly type: string;
}

const ROWS_PER_STATEMENT = 200;

/**
 * Inserts rows with parameters only, in statements of a few hundred rows. For the context
 * tables (names, lookups, assets): thousands of rows, not the flows' millions, so a plain
 * parameterised INSERT beats setting up a chunk writer. UHUGEINT values travel as decimal
 * strings (a JS bigint binds as HUGEINT, which wraps above 2^127).
 */
export async function insertRows(store: CaseStore, table: string, columns: readonly InsertColumn[], rows: readonly (readonly unknown[])[]): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(table) || columns.some((c) => !/^[a-z0-9_]+$/.test(c.name) || !/^[A-Z]+$/.test(c.type))) {
    throw new Error(`insertRows: bad table or column name`);
  }
  const names = columns.map((c) => c.name).join(', ');
  for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
    const part = rows.slice(at, at + ROWS_PER_STATEMENT);
    const params: Record<string, string | number | bigint | boolean | null> = {};
    const tuples = part.map((row, r) => `(${columns.map((c, i) => {
      const key = `p${r}_${i}`;
      const v = row[i];
      params[key] = v === undefined || v === null ? null : typeof v === 'bigint' && c.type === 'UHUGEINT' ? v.toString() : (v as string | number | bigint | boolean);
      return `CAST($${key} AS ${c.type})`;
    }).join(', ')})`);
    await store.run(`INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}`, params);
  }
}
