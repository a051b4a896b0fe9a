import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../core/formats/index';
import { runImport } from '../core/ingest/import-runner';
import { CaseStore } from '../core/store/case-store';
import { timed, type Reporter } from './report';

export interface StageContext {
  outDir: string;
  count: number;
  report: Reporter;
  fresh: (name: string) => string;
}

/** Imports one file into a fresh case with the app's memory limit; reports rates and peak RSS. */
export async function benchImport(ctx: StageContext, name: string, file: string, packets?: number): Promise<void> {
  const store = await CaseStore.open(ctx.fresh(`${name}.duckdb`), { memoryLimit: '400MB' });
  try {
    // The path `flowcase import` and the app take (import memory limit included).
    const { ms, value: results } = await timed(() => runImport(store, [file]));
    const value = { records: results[0]?.records ?? 0 };
    if (!results[0]?.ok) throw new Error(results[0]?.error?.message ?? 'import failed');
    const mb = statSync(file).size / 1e6;
    ctx.report({
      name, flows: value.records, ms: Math.round(ms), records_per_s: Math.round(value.records / (ms / 1000)),
      ...(packets ? { packets, packets_per_s: Math.round(packets / (ms / 1000)) } : {}),
      mb_per_s: Math.round(mb / (ms / 1000)), file_mb: Math.round(mb),
    });
  } finally {
    store.close();
  }
}

/** Times an external tool on the same file, when it is installed (e.g. nfpcapd, nfdump). */
export function benchExternal(ctx: StageContext, name: string, cmd: string, args: (tmp: string) => string[], units?: { flows?: number; packets?: number }): void {
  const which = spawnSync('sh', ['-c', `command -v ${cmd}`]);
  if (which.status !== 0) {
    ctx.report({ name, skipped: `${cmd} not installed (apt-get install nfdump)` });
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'flowcase-bench-'));
  try {
    const t = performance.now();
    const r = spawnSync(cmd, args(tmp), { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = performance.now() - t;
    if (r.status !== 0) {
      ctx.report({ name, failed: String(r.stderr).slice(0, 200) });
      return;
    }
    ctx.report({
      name, ms: Math.round(ms), ...(units?.flows ? { flows: units.flows, records_per_s: Math.round(units.flows / (ms / 1000)) } : {}),
      ...(units?.packets ? { packets: units.packets, packets_per_s: Math.round(units.packets / (ms / 1000)) } : {}),
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
