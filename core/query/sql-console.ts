import { StatementType, type DuckDBConnection, type Json } from '@duckdb/node-api';
import type { CaseStore } from '../store/case-store';

/** What the console shows: column names and types, rows of JSON-safe values. */
export interface SqlConsoleResult {
  ok: true;
  columns: { name: string; type: string }[];
  rows: Json[][];
  /** True when the query had more rows than the limit. */
  truncated: boolean;
  ms: number;
}

export interface SqlConsoleRefusal {
  ok: false;
  /** refused: not a read-only query; error: DuckDB could not parse or run it. */
  kind: 'refused' | 'error';
  message: string;
}

export interface SqlConsoleOptions {
  /** Rows returned at most (default 1000, at most 100 000). */
  readonly limit?: number;
  /** Interrupt the query after this long (default 30 s). */
  readonly timeoutMs?: number;
}

/** Words a console statement may start with. */
const FIRST_WORDS = new Set(['select', 'with', 'from', 'values', 'table', 'describe', 'desc', 'show', 'summarize', 'explain']);

/**
 * Table functions a console query may call: sequence generators and catalog views.
 * Everything else is refused, which covers every reader of files or URLs (read_csv,
 * read_parquet, read_json, read_text, read_blob, glob, sniff_csv, parquet_scan, ...) and
 * query()/query_table(), which would run SQL text the checks below never saw.
 */
const ALLOWED_TABLE_FUNCTIONS = new Set([
  'range', 'generate_series', 'unnest', 'json_each', 'json_tree',
  'duckdb_tables', 'duckdb_columns', 'duckdb_views', 'duckdb_functions', 'duckdb_types', 'duckdb_schemas', 'duckdb_indexes',
  'duckdb_constraints', 'duckdb_sequences', 'duckdb_keywords', 'duckdb_databases', 'duckdb_settings',
  'pragma_table_info', 'pragma_show', 'pragma_storage_info', 'pragma_version', 'pragma_database_size',
]);

/** Scalar functions refused anywhere in a console query. */
const DENIED_FUNCTIONS = new Set(['getenv', 'query', 'query_table', 'read_text', 'read_blob', 'set_variable', 'setseed']);

/** Types whose values leave as strings: a UHUGEINT (an address, say) does not fit a JS number. */
const WIDE_INT_TYPES = new Set(['BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT']);

/**
 * Runs one read-only statement typed by a person: SELECT, WITH, FROM, VALUES, TABLE,
 * DESCRIBE, SHOW, SUMMARIZE or EXPLAIN. Refuses several statements, anything DuckDB does
 * not classify as a query (ATTACH, COPY, INSTALL/LOAD, PRAGMA, SET, CALL, DML, DDL), and
 * queries that read files or call table functions outside a short allow-list (checked on
 * DuckDB's own parse tree). The query then runs on its own connection inside a READ ONLY
 * transaction that is rolled back, so it can neither change the case nor disturb an import
 * running on the store's connection.
 */
export async function runReadOnlySql(store: CaseStore, sql: string, options: SqlConsoleOptions = {}): Promise<SqlConsoleResult | SqlConsoleRefusal> {
  const limit = Math.max(1, Math.min(100_000, Math.floor(options.limit ?? 1000)));
  const started = performance.now();
  const conn = await store.connect();
  const running = runningConsoles.get(store) ?? new Set<DuckDBConnection>();
  runningConsoles.set(store, running);
  running.add(conn);
  try {
    const refusal = await check(conn, sql);
    if (refusal) return refusal;
    await conn.run('BEGIN TRANSACTION READ ONLY');
    const timer = setTimeout(() => conn.interrupt(), options.timeoutMs ?? 30_000);
    try {
      const reader = await conn.streamAndReadUntil(sql, limit + 1);
      const names = reader.columnNames();
      const types = reader.columnTypes().map((t) => t.toString());
      const json = reader.getRowsJson();
      const rows = json.slice(0, limit).map((row) => row.map((v, i) => jsonSafe(v, types[i])));
      return { ok: true, columns: names.map((name, i) => ({ name, type: types[i] })), rows, truncated: json.length > limit, ms: performance.now() - started };
    } finally {
      clearTimeout(timer);
      await conn.run('ROLLBACK').catch(() => undefined);
    }
  } catch (err) {
    const message = (err as Error).message;
    return { ok: false, kind: 'error', message: /INTERRUPT/i.test(message) ? `the query was stopped (cancelled, or longer than ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s)` : message };
  } finally {
    running.delete(conn);
    conn.closeSync();
  }
}

/** Console queries under way, per case: what `sql.cancel` interrupts. */
const runningConsoles = new WeakMap<CaseStore, Set<DuckDBConnection>>();

/** Interrupts every console query running on the case; how many were told to stop. */
export function cancelSql(store: CaseStore): number {
  const running = runningConsoles.get(store);
  for (const conn of running ?? []) conn.interrupt();
  return running?.size ?? 0;
}

async function check(conn: DuckDBConnection, sql: string): Promise<SqlConsoleRefusal | null> {
  const refuse = (message: string): SqlConsoleRefusal => ({ ok: false, kind: 'refused', message });
  const extracted = await conn.extractStatements(sql);
  if (extracted.count === 0) return refuse('no statement to run');
  if (extracted.count > 1) return refuse(`one statement at a time, please (found ${extracted.count})`);
  const first = firstWord(sql);
  if (!FIRST_WORDS.has(first)) {
    return refuse(`the console only reads: ${first ? first.toUpperCase() : 'these'} statements are refused (use SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN)`);
  }
  // The parse tree is checked before anything is prepared: binding a table function
  // already opens its file (read_csv sniffs it). EXPLAIN [ANALYZE] is checked through
  // the query it explains.
  const body = first === 'explain' ? sql.replace(/^[\s(]*explain(\s+analyze)?/i, '') : sql;
  const tree = await conn.runAndReadAll(`SELECT json_serialize_sql(CAST($q AS VARCHAR))`, { q: body });
  const parsed = JSON.parse(String(tree.getRowsJS()[0][0])) as { error: boolean; error_message?: string; statements?: unknown[] };
  if (parsed.error) return refuse(`the console cannot check this statement: ${parsed.error_message ?? 'unsupported'}`);
  const found = walk(parsed.statements);
  if (found) return found;
  const prepared = await extracted.prepare(0);
  const type = prepared.statementType;
  if (type !== StatementType.SELECT && type !== StatementType.EXPLAIN) {
    return refuse(`the console only reads: ${StatementType[type] ?? 'this'} statements are refused`);
  }
  return null;
}

/** Finds what a read-only console must not do anywhere in the parse tree. */
function walk(node: unknown): SqlConsoleRefusal | null {
  if (Array.isArray(node)) {
    for (const x of node) {
      const r = walk(x);
      if (r) return r;
    }
    return null;
  }
  if (!node || typeof node !== 'object') return null;
  const o = node as Record<string, unknown>;
  if (o.type === 'TABLE_FUNCTION') {
    const fn = (o.function as { function_name?: string } | undefined)?.function_name?.toLowerCase() ?? '';
    if (!ALLOWED_TABLE_FUNCTIONS.has(fn)) {
      return { ok: false, kind: 'refused', message: `the console does not call ${fn}(): it reads only the case (table functions that read files are refused)` };
    }
  }
  if (o.type === 'BASE_TABLE') {
    const name = String(o.table_name ?? '');
    // A table name with a path-like character is a replacement scan of a file.
    if (/[./\\:~]/.test(name)) return { ok: false, kind: 'refused', message: `the console does not read files ('${name}')` };
  }
  if (o.class === 'FUNCTION' && typeof o.function_name === 'string' && DENIED_FUNCTIONS.has(o.function_name.toLowerCase())) {
    return { ok: false, kind: 'refused', message: `the console does not call ${o.function_name}()` };
  }
  for (const v of Object.values(o)) {
    const r = walk(v);
    if (r) return r;
  }
  return null;
}

/** The statement's first keyword, past comments and opening parentheses. */
function firstWord(sql: string): string {
  const s = sql.replace(/^(\s|\(|--[^\n]*\n?|\/\*[\s\S]*?\*\/)+/, '');
  return (/^[a-z]+/i.exec(s)?.[0] ?? '').toLowerCase();
}

/** 64/128-bit integers as numbers when exact, else strings; everything else as getRowsJson gives it. */
function jsonSafe(v: Json, type: string): Json {
  if (typeof v === 'string' && WIDE_INT_TYPES.has(type) && type !== 'UHUGEINT') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  return v;
}

