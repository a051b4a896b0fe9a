import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cancelSql, runReadOnlySql } from '../../../core/query/sql-console';
import { runImport } from '../../../core/ingest/import-runner';
import { CaseStore } from '../../../core/store/case-store';
import { tempDir } from '../../helpers/temp';
import { writeZeekConnLog } from '../../helpers/zeek-log-writer';

/** #14: DuckDB reaches no file but the case once it is open, and no statement can change that. */
const t = tempDir('flowcase-lockdown-');
afterAll(() => t.cleanup());

describe('DuckDB lockdown', () => {
  it('refuses external access and setting changes on the store connection itself; imports still work', async () => {
    const log = join(t.dir, 'conn.log');
    await writeZeekConnLog(log, 50);
    const store = await CaseStore.open(join(t.dir, 'c.duckdb'));
    try {
      expect((await runImport(store, [log]))[0].ok).toBe(true);
      expect(await store.value(`SELECT current_setting('enable_external_access')`)).toBe(false);
      expect(await store.value(`SELECT current_setting('autoload_known_extensions')`)).toBe(false);
      await expect(store.run(`COPY (SELECT 1) TO '${join(t.dir, 'x.csv')}'`)).rejects.toThrow(/external access|disabled|Permission/i);
      await expect(store.all(`SELECT * FROM read_csv('${log}')`)).rejects.toThrow(/external access|disabled|Permission/i);
      await expect(store.run(`SET enable_external_access = true`)).rejects.toThrow(/lock|configuration/i);
      await expect(store.run(`SET memory_limit = '100GB'`)).rejects.toThrow(/lock|configuration/i);
    } finally {
      store.close();
    }
  });

  it('the SQL console can be cancelled', async () => {
    const store = await CaseStore.open(join(t.dir, 'c2.duckdb'));
    try {
      const slow = runReadOnlySql(store, `SELECT count(*) FROM range(100000000000) a`, { timeoutMs: 120_000 });
      await new Promise((r) => setTimeout(r, 1500));
      expect(cancelSql(store)).toBe(1);
      const r = await slow;
      expect(r).toMatchObject({ ok: false, kind: 'error', message: expect.stringMatching(/stopped \(cancelled/) });
    } finally {
      store.close();
    }
  });
});
