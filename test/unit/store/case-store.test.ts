import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseOpenError, CaseStore } from '../../../core/store/case-store';
import { SCHEMA_VERSION } from '../../../core/store/schema';
import { REPO_ROOT } from '../../helpers/corpus';
import { tempDir } from '../../helpers/temp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('CaseStore.open()', () => {
  it('creates a case file on disk with the current schema and reopens it', async () => {
    const path = join(dir(), 'a.duckdb');
    const s = await CaseStore.open(path);
    expect(await s.value(`SELECT value FROM meta WHERE key = 'schema_version'`)).toBe(String(SCHEMA_VERSION));
    await s.setSetting('time_zone', 'Europe/Berlin');
    s.close();
    const again = await CaseStore.open(path, { create: false });
    expect(await again.getSetting('time_zone')).toBe('Europe/Berlin');
    const tables = (await again.all<{ table_name: string }>(`SELECT table_name FROM information_schema.tables ORDER BY 1`)).map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(['evidence', 'flows', 'import_log', 'audit_log', 'notes', 'settings']));
    again.close();
  });

  it('refuses to autoload or install extensions, so nothing is downloaded at run time', async () => {
    const s = await CaseStore.open(join(dir(), 'x.duckdb'));
    const r = await s.all<{ name: string; value: string }>(
      `SELECT name, value FROM duckdb_settings() WHERE name IN ('autoinstall_known_extensions', 'autoload_known_extensions')`);
    expect(r.map((x) => x.value)).toEqual(['false', 'false']);
    s.close();
  });

  it('says which process holds a case that is open elsewhere', async () => {
    const path = join(dir(), 'held.duckdb');
    (await CaseStore.open(path)).close();
    const script = join(dir(), 'hold.mjs');
    const api = pathToFileURL(join(REPO_ROOT, 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js')).href;
    writeFileSync(script, `import { DuckDBInstance } from ${JSON.stringify(api)};
      const i = await DuckDBInstance.create(${JSON.stringify(path)}); await i.connect(); console.log('held'); setTimeout(() => {}, 60000);`);
    const child = spawn(process.execPath, [script], { cwd: REPO_ROOT});
    cleanups.push(() => child.kill('SIGKILL'));
    await new Promise<void>((ok, fail) => {
      child.stdout.on('data', (d) => String(d).includes('held') && ok());
      child.on('exit', (code) => fail(new Error(`holder exited ${code}`)));
    });
    const err = await CaseStore.open(path).catch((e) => e);
    expect(err).toBeInstanceOf(CaseOpenError);
    expect(err.code).toBe('locked');
    expect(err.message).toMatch(/is open in another process .*PID \d+/);
  });

  it('rejects a DuckDB file that is not a Flowcase case', async () => {
    const path = join(dir(), 'other.duckdb');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(path);
    const con = await inst.connect();
    await con.run('CREATE TABLE payroll (x INTEGER)');
    con.closeSync();
    inst.closeSync();
    const err = await CaseStore.open(path).catch((e) => e);
    expect(err.code).toBe('not-a-case');
  });
});
