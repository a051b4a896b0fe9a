// The newest modification time (ms) of the sources the CLI bundle is built from (core/**/*.ts).
// Stat-ing ~250 files costs a few milliseconds: cheap enough to check at every start in a checkout.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function newestSource(root) {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(root, 'core'));
  return newest;
}
