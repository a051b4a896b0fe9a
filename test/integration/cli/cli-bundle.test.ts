import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/corpus';

const bin = join(REPO_ROOT, 'bin', 'flowcase.mjs');
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC', ...env } });

describe('the shipped CLI bundle (dist/cli, built by the tests\' global setup as by npm install)', () => {
  it('exists and answers exactly as the TypeScript sources do', () => {
    expect(existsSync(join(REPO_ROOT, 'dist', 'cli', 'flowcase.js'))).toBe(true);
    for (const args of [['--help'], ['formats', '--json'], ['--version']]) {
      const bundled = run(args);
      const source = run(args, { FLOWCASE_FROM_SOURCE: '1' });
      expect(bundled.status, bundled.stderr).toBe(0);
      expect(bundled.stdout).toBe(source.stdout);
      expect(bundled.stdout.length).toBeGreaterThan(5);
    }
  });

  it('keeps zod (the API contract\'s validators) out of --help: commands import only types from the contract', () => {
    // A value imported from core/api/contract loads zod and every schema (~1 MB) into --help and
    // into commands that never open the service; constants come from their own layer instead.
    const dir = join(REPO_ROOT, 'core', 'cli', 'commands');
    const offenders = readdirSync(dir).filter((f) => f.endsWith('.ts'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => /from '\.\.\/\.\.\/api\/contract/.test(l) && !/^import type /.test(l)).map((l) => `${f}: ${l}`));
    expect(offenders).toEqual([]);
  });
});
