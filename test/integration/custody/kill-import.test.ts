import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDerivedTables } from '../../../core/analysis/derived-tables';
import { verifyCase } from '../../../core/custody/verify-case';
import { healDerivedTables, runImport } from '../../../core/ingest/import-runner';
import { CaseStore } from '../../../core/store/case-store';
import { caseFingerprint } from '../../helpers/case-fingerprint';
import { REPO_ROOT } from '../../helpers/corpus';
import { tempDir } from '../../helpers/temp';
import { writeZeekConnLog } from '../../helpers/zeek-log-writer';
import { mulberry32 } from '../../helpers/seeded-random';

/**
 * #14 crash safety: an import killed (SIGKILL) at random points, over decoding, the commit
 * and the derived step, leaves the case equal to the state before or to a clean import of
 * the files it got through (each file commits alone), derived tables included once the
 * next open healed them; importing again then gives what an uninterrupted import gives.
 * Small inputs keep it bounded: KILLS kills of one child process each.
 */
const KILLS = Number(process.env.FLOWCASE_KILLS ?? 20);
const SEED = Number(process.env.FLOWCASE_KILL_SEED ?? 14);

let dir: string;
let cleanup: () => void;
let files: string[];
let base: string;
/** Fingerprints after a clean import of the first k new files (k = 0..files.length). */
const states: Record<string, string>[] = [];
let workMs = 1000;

beforeAll(async () => {
  registerDerivedTables();
  ({ dir, cleanup } = tempDir('flowcase-kill-'));
  const first = join(dir, 'first.log');
  await writeZeekConnLog(first, 200, 0);
  files = [join(dir, 'b.log'), join(dir, 'c.log')];
  await writeZeekConnLog(files[0], 600, 200);
  await writeZeekConnLog(files[1], 600, 800);
  base = join(dir, 'base.duckdb');
  const store = await CaseStore.open(base);
  await runImport(store, [first]);
  states.push(await caseFingerprint(store));
  store.close();
  for (let k = 1; k <= files.length; k++) {
    const path = join(dir, `clean-${k}.duckdb`);
    copyFileSync(base, path);
    const s = await CaseStore.open(path);
    await runImport(s, files.slice(0, k));
    states.push(await caseFingerprint(s));
    s.close();
  }
  // How long the child needs from `ready` to `done`: the window the kills are spread over.
  const probe = join(dir, 'probe.duckdb');
  copyFileSync(base, probe);
  const t = await runChild(probe, null);
  expect(t.out).toContain('done ok,ok');
  workMs = t.workMs;
  console.log(`kill test: the child imports in ${Math.round(workMs)} ms after it is ready`);
}, 300_000);
afterAll(() => cleanup());

/** Runs the import child; kills it `killAfterMs` after it said ready (null: let it finish). */
function runChild(casePath: string, killAfterMs: number | null): Promise<{ out: string; workMs: number; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/helpers/import-child.ts'), casePath, ...files], { cwd: REPO_ROOT });
    let out = '';
    let readyAt = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (!readyAt && out.includes('ready')) {
        readyAt = performance.now();
        if (killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ out, workMs: performance.now() - readyAt, killed: signal === 'SIGKILL' }));
  });
}

/** mulberry32: the kill points come from a seed, so a failure can be replayed. */
const random = mulberry32;

describe('an import killed at random points', () => {
  it(`leaves the state before or a clean import, healed on open, and resumes to the uninterrupted result (${KILLS} kills)`, async () => {
    const next = random(SEED);
    const seen = new Map<number, number>();
    let killed = 0;
    // A child that finished before its kill still gets checked; the loop runs until KILLS kills landed.
    for (let i = 0; killed < KILLS && i < KILLS * 2; i++) {
      const path = join(dir, `kill-${i}.duckdb`);
      copyFileSync(base, path);
      const delay = Math.round(next() * workMs * 0.95);
      const r = await runChild(path, delay);
      if (r.killed) killed++;
      // The next open heals what the kill left stale; the case then verifies.
      const store = await CaseStore.open(path);
      try {
        const healed = await healDerivedTables(store);
        expect(healed.error, `kill ${i} at ${delay} ms`).toBeNull();
        const fp = await caseFingerprint(store);
        const k = states.findIndex((s) => JSON.stringify(s) === JSON.stringify(fp));
        expect(k, `kill ${i} at ${delay} ms: the case matches no clean state\n${JSON.stringify(fp, null, 1)}`).toBeGreaterThanOrEqual(0);
        seen.set(k, (seen.get(k) ?? 0) + 1);
        const v = await verifyCase(store, { checks: ['rows', 'chain', 'schema'] });
        expect(v.findings, `kill ${i} at ${delay} ms`).toEqual([]);
        // Importing again (duplicates refused) ends where an uninterrupted import ends.
        await runImport(store, files);
        expect(await caseFingerprint(store), `kill ${i} at ${delay} ms, resumed`).toEqual(states[files.length]);
      } finally {
        store.close();
        for (const f of [path, `${path}.wal`]) if (existsSync(f)) rmSync(f);
      }
    }
    expect(killed).toBe(KILLS);
    // The kills landed before, between and after the files' commits.
    expect(seen.size).toBeGreaterThanOrEqual(2);
  }, 2_400_000);
});
