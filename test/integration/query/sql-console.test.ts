import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../core/store/case-store';
import { runReadOnlySql } from '../../../core/query/sql-console';
import { tempDir } from '../../helpers/temp';

describe('runReadOnlySql()', () => {
  const tmp = tempDir();
  let store: CaseStore;

  beforeAll(async () => {
    store = await CaseStore.open(`${tmp.dir}/case.duckdb`);
    await store.run(`INSERT INTO flows (flow_id, evidence_id, src_pos, start_us, end_us, proto, ip_version, src_ip, dst_ip, src_port, dst_port, packets, bytes)
      VALUES (1, 1, 0, 1705053600000000, 1705053601000000, 6, 4, 281470849515525, 42540766411282592856903984951653826561, 40000, 443, 10, 9007199254740993)`);
  });
  afterAll(() => {
    store?.close();
    tmp.cleanup();
  });

  const refused = async (sql: string) => {
    const r = await runReadOnlySql(store, sql);
    if (r.ok) throw new Error(`${sql} was not refused`);
    return r;
  };

  it('runs a SELECT and returns JSON-safe values: safe integers as numbers, wider ones and addresses as strings', async () => {
    const r = await runReadOnlySql(store, 'SELECT flow_id, ip_text(src_ip) AS src, dst_ip, bytes, us_ts(start_us) AS t FROM flows');
    if (!r.ok) throw new Error(r.message);
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['flow_id:BIGINT', 'src:VARCHAR', 'dst_ip:UHUGEINT', 'bytes:UBIGINT', 't:TIMESTAMP']);
    expect(r.rows).toEqual([[1, '10.0.0.5', '42540766411282592856903984951653826561', '9007199254740993', '2024-01-12 10:00:00']]);
    expect(r.truncated).toBe(false);
  });

  it('accepts WITH, FROM-first, DESCRIBE, SHOW, SUMMARIZE and EXPLAIN', async () => {
    for (const sql of ['WITH x AS (SELECT 1 AS a) SELECT * FROM x', 'FROM flows_v', 'DESCRIBE flows', 'SHOW TABLES', 'SUMMARIZE flows', 'EXPLAIN SELECT count(*) FROM flows', '-- note\n(SELECT 1)']) {
      const r = await runReadOnlySql(store, sql);
      expect(r.ok, `${sql}: ${r.ok ? '' : r.message}`).toBe(true);
    }
  });

  it('stops at the row limit and says so', async () => {
    const r = await runReadOnlySql(store, 'SELECT * FROM range(5000)', { limit: 10 });
    expect(r.ok && [r.rows.length, r.truncated]).toEqual([10, true]);
  });

  it('refuses more than one statement', async () => {
    expect((await refused('SELECT 1; SELECT 2')).message).toBe('one statement at a time, please (found 2)');
  });

  it('refuses statements that are not queries, naming them', async () => {
    const cases: [string, string][] = [
      ['INSERT INTO notes (created_us, target_kind, target_ref, text) VALUES (0, \'x\', \'y\', \'z\')', 'INSERT'],
      ['DELETE FROM flows', 'DELETE'], ['DROP TABLE flows', 'DROP'], ["ATTACH ':memory:' AS m", 'ATTACH'],
      ["COPY flows TO 'out.csv'", 'COPY'], ['INSTALL httpfs', 'INSTALL'], ['LOAD json', 'LOAD'], ['PRAGMA version', 'PRAGMA'],
      ['SET threads = 1', 'SET'], ['CALL pragma_version()', 'CALL'], ['CHECKPOINT', 'CHECKPOINT'], ['BEGIN', 'BEGIN'],
    ];
    for (const [sql, word] of cases) {
      const r = await refused(sql);
      expect(r.kind, sql).toBe('refused');
      expect(r.message, sql).toContain(`${word} statements are refused`);
    }
    expect(await store.value('SELECT count(*)::INTEGER FROM flows')).toBe(1);
  });

  it('refuses queries that read files, directly, by replacement scan, inside EXPLAIN or DESCRIBE', async () => {
    expect((await refused("SELECT * FROM read_csv('/etc/hostname')")).message).toBe('the console does not call read_csv(): it reads only the case (table functions that read files are refused)');
    expect((await refused("SELECT * FROM flows WHERE src_port IN (SELECT 1 FROM read_parquet('x.parquet'))")).message).toContain('read_parquet()');
    expect((await refused("SELECT * FROM glob('/*')")).message).toContain('glob()');
    expect((await refused("SELECT * FROM read_json_auto('a.json')")).message).toContain('read_json_auto()');
    expect((await refused("SELECT * FROM '/etc/hostname.csv'")).message).toBe("the console does not read files ('/etc/hostname.csv')");
    expect((await refused("EXPLAIN ANALYZE SELECT * FROM read_text('/etc/passwd')")).message).toContain('read_text()');
    expect((await refused("DESCRIBE SELECT * FROM read_csv('/etc/hostname')")).message).toContain('read_csv()');
    expect((await refused("SELECT * FROM query('SELECT 1')")).message).toContain('query()');
  });

  it('leaves the case unchanged even by functions with side effects', async () => {
    const before = await store.value('SELECT nextval(\'notes_seq\')');
    const r = await runReadOnlySql(store, "SELECT nextval('notes_seq') AS n");
    expect(r).toMatchObject({ ok: false, kind: 'error' });
    expect(!r.ok && r.message).toContain('read-only');
    expect(Number(await store.value('SELECT nextval(\'notes_seq\')'))).toBe(Number(before) + 1);
  });

  it('returns DuckDB errors as values', async () => {
    const r = await runReadOnlySql(store, 'SELECT nope FROM flows');
    expect(r).toMatchObject({ ok: false, kind: 'error' });
    expect(!r.ok && r.message).toContain('nope');
  });
});
