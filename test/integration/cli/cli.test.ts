import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../core/store/case-store';
import { REPO_ROOT } from '../../helpers/corpus';
import { runFlowcase } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';
import { writeZeekConnLog } from '../../helpers/zeek-log-writer';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('flowcase import / stats / flows / verify', () => {
  it('imports, prints the evidence JSON contract, and reports totals over both directions', async () => {
    const d = dir();
    const log = join(d, 'conn.log');
    const totals = await writeZeekConnLog(log, 1200);
    const casePath = join(d, 'c.duckdb');
    const imp = await runFlowcase(['import', casePath, log, '--json']);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    const out = JSON.parse(imp.stdout);
    expect(out.evidence).toHaveLength(1);
    expect(out.evidence[0]).toMatchObject({
      path: log, format: 'zeek-conn', records: 1200, rejected: 0,
      sha256: createHash('sha256').update(readFileSync(log)).digest('hex'), bytes: readFileSync(log).length, issues: [],
    });

    const stats = JSON.parse((await runFlowcase(['stats', casePath, '--json'])).stdout);
    expect(stats).toEqual({ flows: 1200, packets: totals.packets, bytes: totals.bytes,
      first: '2023-11-14T22:13:20.000Z', last: '2023-11-14T22:18:21.250Z' }); // last conn starts at +299.75 s and lasts 1.5 s

    const csv = await runFlowcase(['flows', casePath, '--limit', '3', '--format', 'csv']);
    const lines = csv.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^start,end,proto,src_addr,src_port,dst_addr,dst_port,packets,bytes/);
    expect(lines[1]).toContain(',TCP,10.0.0.0,1024,192.0.2.1,22,');

    const json = JSON.parse((await runFlowcase(['flows', casePath, '--limit', '2', '--format', 'json', '--sort', 'bytes', '--desc'])).stdout);
    expect(json).toHaveLength(2);
    expect(json[0].bytes).toBeGreaterThanOrEqual(json[1].bytes);
  });

  it('exits non-zero with a message naming the file when a file cannot be imported, and still imports the others', async () => {
    const d = dir();
    const good = join(d, 'conn.log');
    await writeZeekConnLog(good, 10);
    const junk = join(d, 'junk.bin');
    writeFileSync(junk, Buffer.from('not a flow file at all\n'));
    const r = await runFlowcase(['import', join(d, 'c.duckdb'), good, junk]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('junk.bin');
    expect(r.stdout).toContain('conn.log: zeek-conn, 10 records');
  });

  it('refuses a file that does not exist before creating anything: no empty case file (#11)', async () => {
    const d = dir();
    const good = join(d, 'conn.log');
    await writeZeekConnLog(good, 10);
    const casePath = join(d, 'new.duckdb');
    const r = await runFlowcase(['import', casePath, join(d, 'missing.pcap'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing.pcap: no such file');
    expect(existsSync(casePath)).toBe(false);
    // Nor is an existing case touched when one of several inputs is missing.
    const both = await runFlowcase(['import', casePath, good, join(d, 'missing.pcap')]);
    expect(both.code).toBe(1);
    expect(existsSync(casePath)).toBe(false);
  });

  it('verify reports match, changed and missing evidence and fails when any differ', async () => {
    const d = dir();
    const a = join(d, 'a.log');
    const b = join(d, 'b.log');
    const c = join(d, 'c.log');
    await writeZeekConnLog(a, 5, 0);
    await writeZeekConnLog(b, 5, 100);
    await writeZeekConnLog(c, 5, 200);
    const casePath = join(d, 'c.duckdb');
    expect((await runFlowcase(['import', casePath, a, b, c])).code).toBe(0);
    expect((await runFlowcase(['verify', casePath])).code).toBe(0);
    appendFileSync(b, '# tampered\n');
    rmSync(c);
    const v = await runFlowcase(['verify', casePath, '--json']);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout).evidence.map((e: { status: string }) => e.status)).toEqual(['match', 'changed', 'missing']);
  });

  it('formats lists the readers with their file patterns and the options each declares', async () => {
    const r = await runFlowcase(['formats', '--json']);
    const list = JSON.parse(r.stdout) as { id: string; options: { flag: string | null }[] }[];
    expect(list.map((f) => f.id)).toContain('zeek-conn');
    expect(list.find((f) => f.id === 'pcap')!.options.map((o) => o.flag)).toEqual(['idle-timeout', 'active-timeout', 'verify-checksums']);
  });

  it('import checks the declared format options before it reads or creates anything', async () => {
    const d = dir();
    const log = join(d, 'conn.log');
    await writeZeekConnLog(log, 3);
    const casePath = join(d, 'c.duckdb');
    const bad = await runFlowcase(['import', casePath, log, '--idle-timeout', '0']);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, "flowcase import: --idle-timeout wants seconds above 0 (at most 2592000), got '0'"]);
    expect((await runFlowcase(['import', casePath, log, '--date', '2006-02-30'])).stderr).toContain('--date wants a day of the calendar');
    expect(existsSync(casePath)).toBe(false);
    expect((await runFlowcase(['import', casePath, log, '--verify-checksums', 'false', '--time-zone', 'Europe/Berlin'])).code).toBe(0);
  });

  it('an import killed with SIGKILL half-way leaves a case that opens and holds exactly the earlier evidence', async () => {
    const d = dir();
    const first = join(d, 'first.log');
    const big = join(d, 'big.log');
    await writeZeekConnLog(first, 77);
    await writeZeekConnLog(big, 600_000, 5000);
    const casePath = join(d, 'c.duckdb');
    expect((await runFlowcase(['import', casePath, first])).code).toBe(0);

    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'flowcase.mjs'), 'import', casePath, big, '--progress'], { cwd: REPO_ROOT });
    let maxRecords = 0;
    const killed = new Promise<void>((resolve) => {
      let buf = '';
      child.stderr.on('data', (chunk) => {
        buf += chunk;
        for (const line of buf.split('\n').slice(0, -1)) {
          try {
            maxRecords = Math.max(maxRecords, JSON.parse(line).progress.records);
          } catch { /* partial line */ }
        }
        buf = buf.slice(buf.lastIndexOf('\n') + 1);
        if (maxRecords > 50_000) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    await killed;
    expect(child.signalCode).toBe('SIGKILL');
    expect(maxRecords).toBeGreaterThan(50_000);

    const store = await CaseStore.open(casePath, { create: false });
    try {
      expect((await store.all(`SELECT name FROM evidence`)).map((r) => r.name)).toEqual(['first.log']);
      expect(Number(await store.value(`SELECT count(*) FROM flows`))).toBe(77);
    } finally {
      store.close();
    }
  });
});
