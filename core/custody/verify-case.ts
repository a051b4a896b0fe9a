import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { contentHash, entryHash, GENESIS, readChain } from '../store/audit-chain';
import type { CaseStore } from '../store/case-store';
import { SEALED_EVIDENCE_SQL, SEALED_FIELDS, type EvidenceSeal } from '../store/evidence-seal';
import { importLogHashes, type ImportLogRef } from '../store/import-log';
import { rowsDigests } from '../store/rows-digest';
import { MACROS, MIGRATIONS, SCHEMA_VERSION } from '../store/schema';

/** Which parts of the case a verification checks. */
export type CustodyCheck = 'files' | 'rows' | 'chain' | 'schema';
export const ALL_CHECKS: readonly CustodyCheck[] = ['files', 'rows', 'chain', 'schema'];

/** One thing found changed, named the way a person would say it. */
export interface CustodyFinding {
  check: CustodyCheck;
  /** e.g. 'flows-changed', 'entry-altered', 'entries-missing', 'evidence-record-changed', 'file-changed'. */
  code: string;
  message: string;
  evidenceId?: number;
  /** Chain position(s) concerned: one entry, or the first and last of a missing run. */
  entries?: [number, number];
}

/** One evidence file re-hashed against the SHA-256 the chain recorded. */
export interface FileCheck {
  evidenceId: number;
  path: string;
  expected: string;
  actual: string | null;
  status: 'match' | 'changed' | 'missing';
}

export interface CaseVerification {
  ok: boolean;
  checks: CustodyCheck[];
  atUs: number;
  /** Chained entries read, and the head (seq and hash) the chain ends in. */
  chain: { entries: number; headSeq: number | null; headHash: string | null };
  files: FileCheck[];
  /** Evidence whose stored rows were digested. */
  rowsChecked: number;
  findings: CustodyFinding[];
}

export interface VerifyProgress {
  phase: CustodyCheck;
  done: number;
  total: number;
  path?: string;
}

export interface VerifyOptions {
  checks?: readonly CustodyCheck[];
  signal?: AbortSignal;
  onProgress?: (p: VerifyProgress) => void;
}

type Chain = Awaited<ReturnType<typeof readChain>>;

/**
 * Checks a case end to end (#14): the audit chain (every entry's content and link, gaps,
 * the recorded head), each evidence record against the seal its import entry holds, the
 * import log against the hashes the chain holds, the stored rows of each evidence against
 * their digest, the evidence files against their SHA-256, and the schema against what
 * this version's migrations create. Reads only: never changes the case.
 */
export async function verifyCase(store: CaseStore, opts: VerifyOptions = {}): Promise<CaseVerification> {
  const checks = [...(opts.checks ?? ALL_CHECKS)];
  const findings: CustodyFinding[] = [];
  const chain = await readChain(store);
  const seals = sealsOf(chain);
  const out: CaseVerification = {
    ok: true, checks, atUs: Date.now() * 1000, chain: { entries: 0, headSeq: null, headHash: null }, files: [], rowsChecked: 0, findings,
  };
  if (checks.includes('schema')) findings.push(...await checkSchema(store));
  if (checks.includes('chain')) {
    opts.onProgress?.({ phase: 'chain', done: 0, total: chain.length });
    findings.push(...await checkChain(store, chain, out));
    findings.push(...await checkEvidenceRecords(store, seals));
    findings.push(...await checkImportLog(store, chain));
    opts.onProgress?.({ phase: 'chain', done: chain.length, total: chain.length });
  }
  if (checks.includes('rows')) {
    opts.signal?.throwIfAborted();
    const digests = await rowsDigests(store);
    const recorded = await store.all<{ evidence_id: number }>(`SELECT evidence_id FROM evidence`);
    const ids = new Set<number>([...seals.keys(), ...digests.keys(), ...recorded.map((r) => Number(r.evidence_id))]);
    let done = 0;
    for (const id of [...ids].sort((a, b) => a - b)) {
      const seal = seals.get(id);
      const now = digests.get(id) ?? { rows: 0, digest: '' };
      if (seal && now.rows === 0 && seal.rows === 0) {
        // nothing stored, nothing recorded
      } else if (!seal) {
        if (now.rows) findings.push({ check: 'rows', code: 'flows-unsealed', evidenceId: id, message: `flows of evidence ${id} (${now.rows} rows) are not recorded by any import in the audit chain` });
      } else if (now.rows === 0 && seal.rows > 0) {
        findings.push({ check: 'rows', code: 'flows-missing', evidenceId: id, message: `flows of evidence ${id} are missing (${seal.rows} rows recorded at import)` });
      } else if (now.digest !== seal.rowsDigest) {
        const counts = now.rows === seal.rows ? `${now.rows} rows, values differ` : `${seal.rows} rows recorded at import, ${now.rows} now`;
        findings.push({ check: 'rows', code: 'flows-changed', evidenceId: id, message: `flows of evidence ${id} changed (${counts})` });
      }
      out.rowsChecked++;
      opts.onProgress?.({ phase: 'rows', done: ++done, total: ids.size });
    }
  }
  if (checks.includes('files')) out.files = await checkFiles(store, seals, findings, opts);
  out.ok = findings.length === 0;
  return out;
}

/** The seal of each evidence id, from import entries (and seals written when an old case was upgraded). */
function sealsOf(chain: Chain): Map<number, EvidenceSeal> {
  const seals = new Map<number, EvidenceSeal>();
  for (const e of chain) {
    if (e.action !== 'import' && e.action !== 'custody.evidence-sealed') continue;
    const seal = parse(e.detail) as EvidenceSeal | null;
    if (seal && typeof seal.evidenceId === 'number' && typeof seal.rowsDigest === 'string') seals.set(seal.evidenceId, seal);
  }
  return seals;
}

const parse = (text: string | null): unknown => {
  try { return text === null ? null : JSON.parse(text); } catch { return null; }
};

const range = (a: number, b: number): string => (a === b ? `entry ${a}` : `entries ${a}–${b}`);

async function checkChain(store: CaseStore, chain: Chain, out: CaseVerification): Promise<CustodyFinding[]> {
  const findings: CustodyFinding[] = [];
  let expected = 1;
  let prev = GENESIS;
  for (const e of chain) {
    if (e.seq === null || e.hash === null || e.prevHash === null || e.contentHash === null) {
      findings.push({ check: 'chain', code: 'entry-unchained', message: `audit log row id ${e.id} (${e.action}) is outside the chain: it was inserted behind the application's back` });
      continue;
    }
    if (e.seq < expected) {
      findings.push({ check: 'chain', code: 'entry-duplicated', entries: [e.seq, e.seq], message: `audit entry ${e.seq} appears more than once` });
      continue;
    }
    const gap = e.seq > expected;
    if (gap) findings.push({ check: 'chain', code: 'entries-missing', entries: [expected, e.seq - 1], message: `audit ${range(expected, e.seq - 1)} missing` });
    const content = contentHash({ atUs: e.atUs, actor: e.actor, action: e.action, detail: e.detail });
    if (content !== e.contentHash || entryHash(e.seq, e.prevHash, e.contentHash) !== e.hash) {
      findings.push({ check: 'chain', code: 'entry-altered', entries: [e.seq, e.seq], message: `audit entry ${e.seq} altered (${e.action})` });
    } else if (!gap && e.prevHash !== prev) {
      findings.push({ check: 'chain', code: 'chain-broken', entries: [e.seq, e.seq], message: `audit entry ${e.seq} does not follow entry ${e.seq - 1}: the chain was rewritten from there` });
    }
    prev = e.hash;
    expected = e.seq + 1;
    out.chain.entries++;
    out.chain.headSeq = e.seq;
    out.chain.headHash = e.hash;
  }
  // The head recorded beside the log shows entries cut from its end.
  const recorded = await store.value<string>(`SELECT value FROM meta WHERE key = 'audit_head'`);
  if (recorded) {
    const [seqText, hash] = recorded.split(':');
    const seq = Number(seqText);
    if (out.chain.headSeq === null || seq > out.chain.headSeq) {
      findings.push({ check: 'chain', code: 'entries-missing', entries: [(out.chain.headSeq ?? 0) + 1, seq], message: `audit ${range((out.chain.headSeq ?? 0) + 1, seq)} missing (the log ends before the recorded head)` });
    } else if (seq === out.chain.headSeq && hash !== out.chain.headHash) {
      findings.push({ check: 'chain', code: 'head-mismatch', entries: [seq, seq], message: `audit entry ${seq} is not the head recorded when it was written` });
    }
  } else if (chain.length) {
    findings.push({ check: 'chain', code: 'head-missing', message: 'the recorded chain head is missing from the case' });
  }
  return findings;
}

async function checkEvidenceRecords(store: CaseStore, seals: Map<number, EvidenceSeal>): Promise<CustodyFinding[]> {
  const findings: CustodyFinding[] = [];
  const rows = await store.all(`${SEALED_EVIDENCE_SQL} ORDER BY evidence_id`);
  const seen = new Set<number>();
  for (const r of rows) {
    const id = Number(r.evidence_id);
    seen.add(id);
    const seal = seals.get(id);
    if (!seal) {
      findings.push({ check: 'chain', code: 'evidence-unsealed', evidenceId: id, message: `evidence ${id} (${String(r.name)}) has no import entry in the audit chain` });
      continue;
    }
    const changed = SEALED_FIELDS.filter((f) => String(r[f]) !== String(seal[f]));
    if (changed.length) {
      const what = changed.map((f) => `${f} ${JSON.stringify(String(seal[f]))} → ${JSON.stringify(String(r[f]))}`).join(', ');
      findings.push({ check: 'chain', code: 'evidence-record-changed', evidenceId: id, message: `evidence ${id} record changed: ${what}` });
    }
    if (r.rows_digest !== seal.rowsDigest) {
      findings.push({ check: 'chain', code: 'evidence-record-changed', evidenceId: id, message: `evidence ${id} record changed: rows digest differs from the one sealed at import` });
    }
  }
  for (const [id, seal] of seals) {
    if (!seen.has(id)) findings.push({ check: 'chain', code: 'evidence-removed', evidenceId: id, message: `evidence ${id} (${seal.name}) removed from the case` });
  }
  return findings;
}

async function checkImportLog(store: CaseStore, chain: Chain): Promise<CustodyFinding[]> {
  const findings: CustodyFinding[] = [];
  const recorded = new Map<number, string>();
  for (const e of chain) {
    const d = parse(e.detail) as { importLog?: ImportLogRef | null; importLogs?: ImportLogRef[] } | null;
    if (d?.importLog) recorded.set(d.importLog.id, d.importLog.hash);
    for (const ref of d?.importLogs ?? []) recorded.set(ref.id, ref.hash);
  }
  const now = await importLogHashes(store);
  for (const [id, hash] of recorded) {
    const actual = now.get(id);
    if (actual === undefined) findings.push({ check: 'chain', code: 'import-log-deleted', message: `import log entry ${id} deleted` });
    else if (actual !== hash) findings.push({ check: 'chain', code: 'import-log-altered', message: `import log entry ${id} altered` });
  }
  for (const id of now.keys()) {
    if (!recorded.has(id)) findings.push({ check: 'chain', code: 'import-log-unsealed', message: `import log entry ${id} is not recorded in the audit chain` });
  }
  return findings;
}

async function checkFiles(store: CaseStore, seals: Map<number, EvidenceSeal>, findings: CustodyFinding[], opts: VerifyOptions): Promise<FileCheck[]> {
  // The chain's record of each file, not the (editable) evidence row, says where it was and what it hashed to.
  const rows = await store.all<{ evidence_id: number; path: string; sha256: string }>(`SELECT evidence_id, path, sha256 FROM evidence ORDER BY evidence_id`);
  const targets = new Map<number, { path: string; sha256: string }>(rows.map((r) => [Number(r.evidence_id), { path: r.path, sha256: r.sha256 }]));
  for (const [id, s] of seals) targets.set(id, { path: s.path, sha256: s.sha256 });
  const list = [...targets].sort((a, b) => a[0] - b[0]);
  const total = list.reduce((n, [, t]) => n + (existsSync(t.path) ? statSync(t.path).size : 0), 0);
  let done = 0;
  const out: FileCheck[] = [];
  for (const [evidenceId, t] of list) {
    opts.signal?.throwIfAborted();
    let actual: string | null = null;
    if (existsSync(t.path)) {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(t.path, { highWaterMark: 1 << 20, signal: opts.signal })) {
        hash.update(chunk as Buffer);
        done += (chunk as Buffer).length;
        opts.onProgress?.({ phase: 'files', done, total, path: t.path });
      }
      actual = hash.digest('hex');
    }
    const status = actual === null ? 'missing' : actual === t.sha256 ? 'match' : 'changed';
    out.push({ evidenceId, path: t.path, expected: t.sha256, actual, status });
    if (status === 'missing') findings.push({ check: 'files', code: 'file-missing', evidenceId, message: `evidence file ${evidenceId} missing: ${t.path}` });
    if (status === 'changed') findings.push({ check: 'files', code: 'file-changed', evidenceId, message: `evidence file ${evidenceId} changed: ${t.path} now hashes to ${actual}` });
  }
  opts.onProgress?.({ phase: 'files', done: total, total });
  return out;
}

let expectedSchema: Promise<Map<string, string>> | null = null;

/** Tables and columns (with types) that this version's migrations create, from a scratch in-memory database. */
function schemaOfMigrations(): Promise<Map<string, string>> {
  expectedSchema ??= (async () => {
    const instance = await DuckDBInstance.create(':memory:', { autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' });
    const conn = await instance.connect();
    try {
      await conn.run(`CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)`);
      for (const m of MIGRATIONS) for (const sql of m.statements) await conn.run(sql);
      for (const sql of MACROS) await conn.run(sql);
      return columnsOf((await conn.runAndReadAll(SCHEMA_SQL)).getRowObjectsJS() as Record<string, unknown>[]);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  })();
  return expectedSchema;
}

const SCHEMA_SQL = `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable FROM information_schema.columns c
  JOIN information_schema.tables t USING (table_schema, table_name) WHERE t.table_type = 'BASE TABLE' AND c.table_schema = 'main'`;

const columnsOf = (rows: Record<string, unknown>[]): Map<string, string> =>
  new Map(rows.map((r) => [`${String(r.table_name)}.${String(r.column_name)}`, `${String(r.data_type)}${r.is_nullable === 'NO' ? ' NOT NULL' : ''}`]));

async function checkSchema(store: CaseStore): Promise<CustodyFinding[]> {
  const findings: CustodyFinding[] = [];
  const version = Number(await store.value(`SELECT value FROM meta WHERE key = 'schema_version'`));
  if (version !== SCHEMA_VERSION) findings.push({ check: 'schema', code: 'schema-version', message: `schema version is ${version}, this Flowcase writes ${SCHEMA_VERSION}` });
  const expected = await schemaOfMigrations();
  const actual = columnsOf(await store.all(SCHEMA_SQL));
  const tables = new Set([...actual.keys()].map((k) => k.split('.')[0]));
  for (const [col, type] of expected) {
    const [table] = col.split('.');
    const now = actual.get(col);
    if (!tables.has(table)) continue; // reported once per table below
    if (now === undefined) findings.push({ check: 'schema', code: 'column-missing', message: `schema: column ${col} missing` });
    else if (now !== type) findings.push({ check: 'schema', code: 'column-changed', message: `schema: column ${col} is ${now}, expected ${type}` });
  }
  for (const table of new Set([...expected.keys()].map((k) => k.split('.')[0]))) {
    if (!tables.has(table)) findings.push({ check: 'schema', code: 'table-missing', message: `schema: table ${table} missing` });
  }
  // Extra tables are derived caches (host index) or scratch tables; extra columns in known tables are not.
  for (const col of actual.keys()) {
    const [table] = col.split('.');
    if ([...expected.keys()].some((k) => k.startsWith(`${table}.`)) && !expected.has(col)) {
      findings.push({ check: 'schema', code: 'column-added', message: `schema: unexpected column ${col}` });
    }
  }
  return findings;
}
