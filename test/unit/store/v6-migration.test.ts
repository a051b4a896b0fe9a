import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestFile } from '../../../core/ingest/ingest-file';
import { CaseStore } from '../../../core/store/case-store';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../core/store/schema';
import { tempDir } from '../../helpers/temp';
import { writeZeekConnLog } from '../../helpers/zeek-log-writer';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('schema 6 (#11 fidelity)', () => {
  it('upgrades a schema-5 case: flows gain bad_checksums and last_packet_us at the end, evidence skipped and bad_checksums; imports still append', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, 'old.duckdb');
    // A case as schema 5 left it.
    const inst = await DuckDBInstance.create(path);
    const con = await inst.connect();
    for (const m of MIGRATIONS.filter((x) => x.version <= 5)) for (const sql of m.statements) await con.run(sql);
    await con.run(`INSERT INTO meta VALUES ('schema_version', '5')`);
    con.closeSync();
    inst.closeSync();

    const store = await CaseStore.open(path, { create: false });
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(6);
    const cols = (await store.all<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'flows' ORDER BY ordinal_position`)).map((r) => r.column_name);
    expect(cols.slice(-2)).toEqual(['bad_checksums', 'last_packet_us']);
    const ev = (await store.all<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'evidence'`)).map((r) => r.column_name);
    expect(ev).toEqual(expect.arrayContaining(['skipped', 'bad_checksums']));
    const log = join(t.dir, 'conn.log');
    await writeZeekConnLog(log, 5);
    const imported = await ingestFile(store, log);
    expect(imported.records).toBe(5);
    expect(Number(await store.value(`SELECT count(*) FROM flows WHERE bad_checksums IS NULL`))).toBe(5);
    expect(await store.value(`SELECT skipped FROM evidence`)).toBe('{}');
    // A new case has the same column order as an upgraded one (the appender writes by position).
    const fresh = await CaseStore.open(join(t.dir, 'new.duckdb'));
    const freshCols = (await fresh.all<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'flows' ORDER BY ordinal_position`)).map((r) => r.column_name);
    expect(freshCols).toEqual(cols);
    fresh.close();
    store.close();
  });
});
