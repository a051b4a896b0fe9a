// `npm start`: launches the desktop app. Electron's binary is not downloaded at `npm install`
// (its install script is disabled in package.json so that installs work offline); it is
// fetched here, on first run, on machines that can reach Electron's download host.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = () => existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));

if (!binary()) {
  console.log('Flowcase: fetching the Electron binary (first run)…');
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', cwd: electronDir });
  if (r.status !== 0 || !binary()) {
    console.error('Flowcase: the Electron binary could not be downloaded on this machine.\n' +
      'Use the browser mode instead: npm run web');
    process.exit(1);
  }
}
const electron = require('electron'); // the binary's path
const r = spawnSync(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit', cwd: join(dirname(new URL(import.meta.url).pathname), '..') });
process.exit(r.status ?? 1);
