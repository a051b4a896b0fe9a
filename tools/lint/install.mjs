// Installs the lint toolchain (tools/lint/node_modules) from its own lock file; run by the
// project's `postinstall`, so `npm install` / `npm ci` set it up. Skips the install when the
// installed tree already matches the lock (npm records the tree it installed).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const installed = join(dir, 'node_modules', '.package-lock.json');
const wanted = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages;
const current = existsSync(installed) ? JSON.parse(readFileSync(installed, 'utf8')).packages : {};
// Optional packages for other platforms are in the lock but never installed here.
const upToDate = Object.entries(wanted).every(([path, p]) => path === '' || current[path]?.version === p.version || (p.optional && !current[path]));
if (!upToDate) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit', shell: process.platform === 'win32' });
}
