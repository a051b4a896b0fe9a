import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import '../../../core/formats/index';
import { ImportError, ingestFile } from '../../../core/ingest/ingest-file';
import { runImport } from '../../../core/ingest/import-runner';
import { queryStats } from '../../../core/query/flow-stats';
import { CaseStore } from '../../../core/store/case-store';
import { tempDir } from '../../helpers/temp';
import { writeZeekConnLog } from '../../helpers/zeek-log-writer';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}
async function openCase(d: string): Promise<CaseStore> {
  const s = await CaseStore.open(join(d, 'case.duckdb'));
  cleanups.unshift(() => { try { s.close(); } catch { /* closed */ } });
  return s;
}

describe('ingestFile()', () => {
  it('stores every record with its line, and an evidence row with size, SHA-256 and counts', async () => {
    const d = dir();
    const log = join(d, 'conn.log');
    const totals = await writeZeekConnLog(log, 5000);
    const store = await openCase(d);
    const ev = await ingestFile(store, log);
    expect(ev.format).toBe('zeek-conn');
    expect(ev.records).toBe(5000);
    expect(ev.rejected).toBe(0);
    expect(ev.sha256).toBe(createHash('sha256').update(readFileSync(log)).digest('hex'));
    const row = await store.one<Record<string, unknown>>(`SELECT * FROM evidence`);
    expect(Number(row!.size)).toBe(statSync(log).size);
    expect(row!.sha256).toBe(ev.sha256);
    expect(row!.position_unit).toBe('line');
    const stats = await queryStats(store);
    expect(stats).toMatchObject({ flows: 5000, packets: totals.packets, bytes: totals.bytes });
    // Provenance: the first connection is on line 9 (8 header lines before it).
    const first = await store.one<{ src_pos: bigint }>(`SELECT src_pos FROM flows ORDER BY start_us LIMIT 1`);
    expect(Number(first!.src_pos)).toBe(9);
  });

  it('refuses the same file twice by its hash and leaves the case unchanged', async () => {
    const d = dir();
    const log = join(d, 'conn.log');
    await writeZeekConnLog(log, 100);
    const copy = join(d, 'renamed-copy.log');
    writeFileSync(copy, readFileSync(log));
    const store = await openCase(d);
    await ingestFile(store, log);
    const err = await ingestFile(store, copy).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.code).toBe('duplicate');
    expect(err.message).toContain("already in this case as 'conn.log'");
    expect(Number(await store.value(`SELECT count(*) FROM flows`))).toBe(100);
    expect(Number(await store.value(`SELECT count(*) FROM evidence`))).toBe(1);
  });

  it('leaves the case as it was when the import is cancelled half-way', async () => {
    const d = dir();
    const first = join(d, 'first.log');
    const big = join(d, 'big.log');
    await writeZeekConnLog(first, 50);
    await writeZeekConnLog(big, 400_000, 1000);
    const store = await openCase(d);
    await ingestFile(store, first);
    const ctl = new AbortController();
    let seen = 0;
    const err = await ingestFile(store, big, {
      signal: ctl.signal,
      batchCapacity: 4096,
      onProgress: (p) => {
        seen = p.records;
        if (p.records > 10_000) ctl.abort();
      },
    }).catch((e) => e);
    expect(seen).toBeGreaterThan(10_000);
    expect(err.code).toBe('cancelled');
    expect(Number(await store.value(`SELECT count(*) FROM flows`))).toBe(50);
    expect((await store.all(`SELECT name FROM evidence`)).map((r) => r.name)).toEqual(['first.log']);
  });

  it('reads a gzip-compressed log and hashes the compressed file as delivered', async () => {
    const d = dir();
    const log = join(d, 'conn.log');
    await writeZeekConnLog(log, 300);
    const gz = join(d, 'conn.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(log)));
    const store = await openCase(d);
    const ev = await ingestFile(store, gz);
    expect(ev.records).toBe(300);
    expect(ev.sha256).toBe(createHash('sha256').update(readFileSync(gz)).digest('hex'));
    expect(await store.value(`SELECT compression FROM evidence`)).toBe('gzip');
  });

  it('names the file and its first bytes when no format recognises it', async () => {
    const d = dir();
    const junk = join(d, 'mystery.bin');
    writeFileSync(junk, Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5]));
    const store = await openCase(d);
    const err = await ingestFile(store, junk).catch((e) => e);
    expect(err.code).toBe('unknown-format');
    expect(err.message).toContain('mystery.bin');
    expect(err.message).toContain('de ad be ef');
  });

  it.skipIf(process.platform !== 'linux')('releases the evidence file on every exit: refused, failed and imported', async () => {
    const d = dir();
    const junk = join(d, 'mystery.bin');
    // Larger than one read: the file is still open when the format is refused.
    writeFileSync(junk, Buffer.alloc(3 << 20, 0xde));
    const log = join(d, 'conn.log');
    await writeZeekConnLog(log, 10);
    const store = await openCase(d);
    const openHandles = (p: string) => readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`) === p; } catch { return false; } }).length;
    for (let i = 0; i < 3; i++) expect((await ingestFile(store, junk).catch((e) => e)).code).toBe('unknown-format');
    await ingestFile(store, log);
    expect((await ingestFile(store, log).catch((e) => e)).code).toBe('duplicate');
    await new Promise((r) => setImmediate(r));
    expect([openHandles(junk), openHandles(log)]).toEqual([0, 0]);
  });
});

describe('runImport()', () => {
  it('imports a folder as one evidence set in name order, each file hashed on its own', async () => {
    const d = dir();
    const { mkdirSync } = await import('node:fs');
    const folder = join(d, 'rotated');
    mkdirSync(folder);
    await writeZeekConnLog(join(folder, 'conn.2024-01-01-11.log'), 20, 500);
    await writeZeekConnLog(join(folder, 'conn.2024-01-01-10.log'), 10, 0);
    const store = await openCase(d);
    const results = await runImport(store, [folder]);
    expect(results.map((r) => [r.ok, r.records])).toEqual([[true, 10], [true, 20]]);
    const rows = await store.all<{ name: string; evidence_set: string }>(`SELECT name, evidence_set FROM evidence ORDER BY evidence_id`);
    expect(rows).toEqual([{ name: 'conn.2024-01-01-10.log', evidence_set: 'rotated' }, { name: 'conn.2024-01-01-11.log', evidence_set: 'rotated' }]);
    expect(Number(await store.value(`SELECT count(*) FROM import_log WHERE outcome = 'imported'`))).toBe(2);
  });
});
