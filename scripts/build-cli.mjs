// Bundles the `flowcase` CLI into dist/cli as ES modules, so the command starts without
// compiling TypeScript (tsx is for development only). Run by `postinstall` and `npm run build`.
// Code splitting keeps each command (and DuckDB's native binding, which stays external) loaded
// only when that command runs. A stamp file lists the newest source time the bundle was built
// from, so bin/flowcase.mjs can tell a stale bundle in a checkout.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSource } from '../bin/source-stamp.mjs';

/**
 * zod's `z.locales` namespace re-exports every translation of its error messages (~340 kB, nearly
 * half of zod) that Flowcase never selects: English, the default, is imported by zod itself. The
 * bundle gets an empty namespace instead, which every command that validates arguments parses less.
 */
const noZodLocales = {
  name: 'no-zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core|mini)[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'no-zod-locales' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'no-zod-locales' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  // An install without dev dependencies: nothing to bundle with (bin/flowcase.mjs says so when run).
  console.warn('build-cli: esbuild is not installed (dev dependency); the flowcase CLI bundle was not built');
  process.exit(0);
}
const outdir = join(root, 'dist', 'cli');
const tmp = `${outdir}.tmp-${process.pid}`;
const started = newestSource(root);
rmSync(tmp, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { flowcase: 'core/cli/run.ts' },
  outdir: tmp,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // DuckDB's JavaScript API is bundled too (compiling its ~120 CommonJS files cost more than
  // its native library's load); only the native binding stays an installed package.
  external: ['@duckdb/node-bindings'],
  // Bundled CommonJS packages call require() for Node's built-ins.
  banner: { js: "import { createRequire as __fcRequire } from 'node:module'; const require = __fcRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [noZodLocales],
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(join(tmp, 'stamp.json'), JSON.stringify({ newestSourceMs: started }));
// Swap in the new bundle whole: a CLI starting meanwhile sees the old one, the new one, or none
// (and then runs the sources). A build that ran at the same time may have swapped in first: its
// bundle is as good as this one.
mkdirSync(dirname(outdir), { recursive: true });
const old = `${outdir}.old-${process.pid}`;
try { renameSync(outdir, old); } catch { /* first build */ }
try { renameSync(tmp, outdir); } catch { /* a concurrent build's */ }
rmSync(tmp, { recursive: true, force: true });
rmSync(old, { recursive: true, force: true });
