// Bundles the Electron main process and preload into dist/electron as CommonJS.
// DuckDB's native binding and Electron itself stay external (asarUnpack keeps the binding loadable).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'info' };
await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs', external: ['electron', '@duckdb/*'] });
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] });
