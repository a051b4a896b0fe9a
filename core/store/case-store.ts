import { AsyncLocalStorage } from 'node:async_hooks';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { appendChained, chainUnchained } from './audit-chain';
import { sealLegacyEvidence } from './evidence-seal';
import { MACROS, MIGRATIONS, SCHEMA_VERSION } from './schema';

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

/** An error value for a case that cannot be opened. */
export class CaseOpenError extends Error {
  constructor(readonly code: 'locked' | 'not-found' | 'not-a-case' | 'newer-schema' | 'io', message: string) {
    super(message);
    this.name = 'CaseOpenError';
  }
}

export interface CaseStoreOptions {
  /** Create the file when it does not exist (default true). */
  create?: boolean;
  /** Open without write access (another process may hold the case, e.g. while importing). */
  readOnly?: boolean;
  /** DuckDB memory_limit, e.g. '400MB'; bounded so imports stay small whatever the file size. */
  memoryLimit?: string;
  threads?: number;
}

/**
 * One case = one DuckDB file. Owns the instance and a connection; every query takes
 * parameters, never concatenated values. Extensions may not autoload or install: the
 * case must work offline with only what is compiled into DuckDB.
 */
export class CaseStore {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly readOnly: boolean,
  ) {}

  static async open(path: string, options: CaseStoreOptions = {}): Promise<CaseStore> {
    const { existsSync } = await import('node:fs');
    const exists = existsSync(path);
    if (!exists && (options.create === false || options.readOnly)) {
      throw new CaseOpenError('not-found', `Case file not found: ${path}`);
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, {
        access_mode: options.readOnly ? 'READ_ONLY' : 'READ_WRITE',
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        // Evidence is read through Node; DuckDB itself never needs a file or URL besides the
        // case (COPY, ATTACH, read_csv and friends are all refused, whoever asks: #14).
        enable_external_access: 'false',
        memory_limit: options.memoryLimit ?? '1GB',
        threads: String(options.threads ?? 2),
      });
    } catch (cause) {
      throw translateOpenError(path, cause);
    }
    const connection = await instance.connect();
    const store = new CaseStore(path, instance, connection, !!options.readOnly);
    try {
      await store.migrate(exists);
      // From here on no statement may change a setting (external access, extensions, limits).
      await connection.run(`SET lock_configuration = true`);
    } catch (cause) {
      store.close();
      throw cause;
    }
    return store;
  }

  private async migrate(existed: boolean): Promise<void> {
    let current = 0;
    const hasMeta = await this.value<number>(
      `SELECT count(*)::INTEGER FROM information_schema.tables WHERE table_name = 'meta'`,
    );
    if (hasMeta) {
      current = Number(await this.value(`SELECT value FROM meta WHERE key = 'schema_version'`) ?? 0);
    } else if (existed) {
      const tables = await this.value<number>(`SELECT count(*)::INTEGER FROM information_schema.tables`);
      if (tables && tables > 0) throw new CaseOpenError('not-a-case', `${this.path} is a DuckDB file but not a Flowcase case`);
    }
    if (current > SCHEMA_VERSION) {
      throw new CaseOpenError('newer-schema', `${this.path} was written by a newer Flowcase (schema ${current}, this one knows ${SCHEMA_VERSION})`);
    }
    if (current === SCHEMA_VERSION) return;
    if (this.readOnly) throw new CaseOpenError('io', `${this.path} needs a schema upgrade and is open read-only`);
    await this.transaction(async () => {
      for (const m of MIGRATIONS) {
        if (m.version <= current) continue;
        for (const sql of m.statements) await this.connection.run(sql);
      }
      for (const sql of MACROS) await this.connection.run(sql);
      await this.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', $v)`, { v: String(SCHEMA_VERSION) });
      if (current === 0) {
        await this.run(`INSERT OR REPLACE INTO meta VALUES ('created_us', $v)`, { v: String(Date.now() * 1000) });
      }
      // A case from before the chain (schema < 9): its entries are chained and its evidence
      // rows sealed now, in the upgrade's transaction, and the chain says so.
      if (current > 0 && current < 9) {
        await chainUnchained(this);
        await sealLegacyEvidence(this);
      }
    });
  }

  /** A second connection to the same database (its own transactions), e.g. for the SQL console. */
  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.connection.run(sql, params as Record<string, DuckDBValue>);
  }

  /** Rows as objects; integers arrive as bigint (callers convert what they show). */
  async all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params as Record<string, DuckDBValue>);
    return reader.getRowObjectsJS() as T[];
  }

  async one<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** First column of the first row. */
  async value<T = unknown>(sql: string, params?: SqlParams): Promise<T | undefined> {
    const reader = await this.connection.runAndReadAll(sql, params as Record<string, DuckDBValue>);
    const rows = reader.getRowsJS();
    return rows.length ? (rows[0][0] as T) : undefined;
  }

  /**
   * Runs fn inside BEGIN/COMMIT; any error rolls back and is rethrown. Transactions of
   * different callers on this connection run one after another (DuckDB refuses a nested
   * BEGIN, and a background job's write must not land in someone else's transaction); a
   * transaction() inside fn's own async flow joins the one already open.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.txContext.getStore() === this) return fn();
    const previous = this.txTail;
    let release!: () => void;
    this.txTail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      await this.connection.run('BEGIN TRANSACTION');
      this.inTransaction = true;
      try {
        const out = await this.txContext.run(this, fn);
        await this.connection.run('COMMIT');
        return out;
      } catch (err) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        this.inTransaction = false;
      }
    } finally {
      release();
    }
  }

  /** True while one of this store's transaction() calls is open. */
  inTransaction = false;
  private txTail: Promise<void> = Promise.resolve();
  private readonly txContext = new AsyncLocalStorage<CaseStore>();

  /**
   * Appends an entry to the hash-chained audit log (store/audit-chain.ts): the one way every
   * state change is recorded. Inside the caller's open transaction it joins it (the entry
   * commits or rolls back with the change); otherwise it runs in a transaction of its own,
   * so reading the chain head and appending are atomic.
   */
  async audit(action: string, detail: unknown, actor = 'user'): Promise<void> {
    await this.transaction(() => appendChained(this, action, detail ?? null, actor));
  }

  async getSetting(key: string): Promise<string | undefined> {
    return (await this.value<string>(`SELECT value FROM settings WHERE key = $key`, { key })) ?? undefined;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.run(`INSERT OR REPLACE INTO settings VALUES ($key, $value)`, { key, value });
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function translateOpenError(path: string, cause: unknown): Error {
  const msg = cause instanceof Error ? cause.message : String(cause);
  if (/Could not set lock on file/.test(msg)) {
    const holder = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(msg);
    const who = holder ? ` by ${holder[1]} (PID ${holder[2]})` : '';
    return new CaseOpenError('locked', `The case ${path} is open in another process${who}. Close it there first (DuckDB lets only one process open a case file).`);
  }
  if (/not a valid DuckDB database file|Unable to open database/i.test(msg)) {
    return new CaseOpenError('not-a-case', `${path} is not a DuckDB case file (${msg})`);
  }
  return new CaseOpenError('io', `Cannot open case ${path}: ${msg}`);
}
