import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * `npm run bench [-- --json] [--only a,b] [--scale 0.1]`: prints rows/s and milliseconds
 * for imports, the flows table, pivots and sessions. `--versus [--rounds N]`: whole `flowcase`
 * processes against nfpcapd/nfdump on the same files instead (bench/versus.ts). Not part of npm test.
 */
const { values } = parseArgs({ args: process.argv.slice(2), options: {
  json: { type: 'boolean' }, only: { type: 'string' }, scale: { type: 'string' }, out: { type: 'string' },
  versus: { type: 'boolean' }, rounds: { type: 'string' },
} });
const scale = Number(values.scale ?? 1);
const outDir = resolve(values.out ?? 'bench-out');
const stages: [string, number][] = [
  ['pcap-import', Math.round(3_000_000 * scale)],
  ['nfcapd-import', Math.round(10_000_000 * scale)],
  ['flows-table', Math.round(10_000_000 * scale)],
  ['query', Math.round(10_000_000 * scale)],
  ['sessions', Math.round(10_000_000 * scale)],
  ['timeline', Math.round(10_000_000 * scale)],
  ['detect', Math.round(10_000_000 * scale)],
];
if (values.versus) {
  const { runVersus } = await import('./versus');
  await runVersus({ scale, rounds: Number(values.rounds ?? 3), outDir });
  process.exit(0);
}
const only = values.only?.split(',');
for (const [stage, count] of stages) {
  if (only && !only.includes(stage)) continue;
  if (stage !== 'flows-table' && !existsSync(join(import.meta.dirname, `${stage}-bench.ts`))) continue;
  if (!values.json) process.stdout.write(`\n== ${stage} (${count.toLocaleString('en')})\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'stage.ts'), stage, outDir, String(count), values.json ? 'json' : 'text'],
    { stdio: 'inherit', env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) process.stderr.write(`bench stage ${stage} failed (exit ${r.status})\n`);
}
