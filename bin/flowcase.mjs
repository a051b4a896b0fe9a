#!/usr/bin/env node
// The `flowcase` command. Runs the bundle in dist/cli (built by `npm install` and `npm run build`,
// scripts/build-cli.mjs): plain JavaScript starts in tens of milliseconds. In a checkout whose
// core/ sources are newer than the bundle (or with no bundle), it runs the sources through tsx
// instead, so an edit is never hidden by a stale bundle; `npm run build:cli` makes it fast again.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSource } from './source-stamp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'flowcase.js');

function bundleIsCurrent() {
  if (!existsSync(bundle)) return false;
  if (!existsSync(join(root, 'core'))) return true; // an installed package without sources
  try {
    const { newestSourceMs } = JSON.parse(readFileSync(join(root, 'dist', 'cli', 'stamp.json'), 'utf8'));
    return newestSource(root) <= newestSourceMs;
  } catch {
    return false;
  }
}

async function loadTsx() {
  try {
    return (await import('tsx/esm/api')).register;
  } catch {
    return null; // an install without dev dependencies
  }
}

const register = process.env.FLOWCASE_FROM_SOURCE !== '1' && bundleIsCurrent() ? null : await loadTsx();
if (register) {
  register();
  await import('../core/cli/run.ts');
} else if (existsSync(bundle)) {
  await import(bundle);
} else {
  process.stderr.write('flowcase: no CLI bundle (dist/cli) and tsx is not installed: run `npm install` (with dev dependencies) or `npm run build:cli`\n');
  process.exit(1);
}
