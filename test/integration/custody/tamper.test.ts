import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDerivedTables } from '../../../core/analysis/derived-tables';
import { verifyCase } from '../../../core/custody/verify-case';
import { runImport } from '../../../core/ingest/import-runner';
import { auditHead } from '../../../core/store/audit-head';
import { CaseStore } from '../../../core/store/case-store';
import { runFlowcase } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';
import { writeZeekConnLog } from '../../helpers/zeek-log-writer';

/**
 * #14: the edits an adversary makes with any DuckDB client, each on its own copy of a real
 * case and through its own connection, and `verify` naming each one.
 */
let dir: string;
let cleanup: () => void;
let pristine: string;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('flowcase-tamper-'));
  const a = join(dir, 'a.log');
  const b = join(dir, 'b.log');
  await writeZeekConnLog(a, 300, 0);
  await writeZeekConnLog(b, 200, 1000);
  pristine = join(dir, 'pristine.duckdb');
  registerDerivedTables();
  const store = await CaseStore.open(pristine);
  const results = await runImport(store, [a, b, join(dir, 'missing.log')]);
  expect(results.map((r) => r.ok)).toEqual([true, true, false]);
  await store.audit('set-time-zone', { timeZone: 'Europe/Berlin' });
  await store.audit('note.create', { id: 1, text: 'first look' });
  store.close();
});
afterAll(() => cleanup());

/** A copy of the pristine case with `sql` applied through a connection of its own. */
async function tampered(name: string, ...sql: string[]): Promise<string> {
  const path = join(dir, `${name}.duckdb`);
  copyFileSync(pristine, path);
  const db = await DuckDBInstance.create(path);
  const conn = await db.connect();
  for (const s of sql) await conn.run(s);
  conn.closeSync();
  db.closeSync();
  return path;
}

async function findings(path: string): Promise<string[]> {
  const store = await CaseStore.open(path, { readOnly: true });
  try {
    return (await verifyCase(store)).findings.map((f) => f.message);
  } finally {
    store.close();
  }
}

describe('flowcase verify detects direct edits of the case file', () => {
  it('passes an untouched case, exit 0, and reports the chain head that reports print', async () => {
    const r = await runFlowcase(['verify', pristine, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    expect(out.findings).toEqual([]);
    expect(out.evidence.map((e: { status: string }) => e.status)).toEqual(['match', 'match']);
    expect(out.rows_checked).toBe(2);
    const store = await CaseStore.open(pristine, { readOnly: true });
    const head = await auditHead(store);
    store.close();
    expect(out.chain).toEqual({ entries: head!.id, head_entry: head!.id, head_hash: head!.hash });
    expect(head!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('audit rows rewritten: names the entry, exit 1', async () => {
    const path = await tampered('audit', `UPDATE audit_log SET detail = '{"timeZone":"UTC"}' WHERE action = 'set-time-zone'`);
    const seq = await seqOf(path, 'set-time-zone');
    const r = await runFlowcase(['verify', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`CHANGED audit entry ${seq} altered (set-time-zone)`);
    expect(r.stderr).toMatch(/1 problem/);
  });

  it('an audit entry and its hash rewritten: named as altered', async () => {
    // Whoever rewrites an entry and its hash without the chain's link shows at the next link.
    const path = await tampered('audit-rehash', `UPDATE audit_log SET actor = 'mallory', hash = repeat('a', 64) WHERE action = 'set-time-zone'`);
    const f = await findings(path);
    expect(f.some((m) => /audit entry \d+ altered \(set-time-zone\)/.test(m))).toBe(true);
  });

  it('audit entries deleted: names the missing range', async () => {
    const path = await tampered('gap', `DELETE FROM audit_log WHERE seq BETWEEN 2 AND 3`);
    expect(await findings(path)).toContain('audit entries 2–3 missing');
    const tail = await tampered('tail', `DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`);
    const last = await seqOf(pristine, 'note.create');
    expect(await findings(tail)).toContain(`audit entry ${last} missing (the log ends before the recorded head)`);
  });

  it('import_log deleted', async () => {
    const path = await tampered('importlog', `DELETE FROM import_log`);
    const f = await findings(path);
    expect(f).toEqual(['import log entry 1 deleted', 'import log entry 2 deleted', 'import log entry 3 deleted']);
  });

  it('flows.bytes multiplied by 10 for one evidence', async () => {
    const path = await tampered('bytes', `UPDATE flows SET bytes = bytes * 10 WHERE evidence_id = 2`);
    const r = await runFlowcase(['verify', path, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.findings).toEqual([{ check: 'rows', code: 'flows-changed', evidence_id: 2, message: 'flows of evidence 2 changed (200 rows, values differ)' }]);
  });

  it('flows deleted or added', async () => {
    expect(await findings(await tampered('fewer', `DELETE FROM flows WHERE flow_id = 7`)))
      .toEqual(['flows of evidence 1 changed (300 rows recorded at import, 299 now)']);
    expect(await findings(await tampered('more', `INSERT INTO flows SELECT * REPLACE (flow_id + 100000 AS flow_id) FROM flows WHERE flow_id = 7`)))
      .toEqual(['flows of evidence 1 changed (300 rows recorded at import, 301 now)']);
  });

  it('evidence row renamed', async () => {
    const path = await tampered('rename', `UPDATE evidence SET name = 'innocent.log' WHERE evidence_id = 2`);
    expect(await findings(path)).toEqual(['evidence 2 record changed: name "b.log" → "innocent.log"']);
  });

  it('evidence removed with its flows', async () => {
    const path = await tampered('removed', `DELETE FROM flows WHERE evidence_id = 1`, `DELETE FROM evidence WHERE evidence_id = 1`);
    expect(await findings(path)).toEqual(expect.arrayContaining(['evidence 1 (a.log) removed from the case', 'flows of evidence 1 are missing (300 rows recorded at import)']));
  });

  it('schema changed', async () => {
    const path = await tampered('schema', `ALTER TABLE flows ADD COLUMN note VARCHAR`);
    expect(await findings(path)).toContain('schema: unexpected column flows.note');
  });
});

async function seqOf(path: string, action: string): Promise<number> {
  const store = await CaseStore.open(path, { readOnly: true });
  try {
    return Number(await store.value(`SELECT seq FROM audit_log WHERE action = $a`, { a: action }));
  } finally {
    store.close();
  }
}
