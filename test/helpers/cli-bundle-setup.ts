import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './corpus';

/**
 * Vitest global setup: builds the CLI bundle (dist/cli) once before the tests, so the tests that
 * run `bin/flowcase.mjs` exercise what users run, not the tsx fallback for stale sources.
 */
export default function setup(): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-cli.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
}
