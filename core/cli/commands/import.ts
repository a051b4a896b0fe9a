import { existsSync } from 'node:fs';
import type { ImportDoneEvent } from '../../api/contract/evidence';
import { formatOptionFlags, parseFormatOptions } from '../../formats/option-flags';
import { withCase } from '../cli-session';
import { CliExit, stringFlag, type CliCommand, type FlagSpec } from '../command';
import { humanBytes } from '../table-format';

/** The decode options' flags, as the formats declare them (core/formats/option-flags.ts), on lines of their own. */
const decodeOptionFlags = (): Record<string, FlagSpec> =>
  Object.fromEntries(formatOptionFlags().map((f, i) => [f.flag, { value: f.metavar, newLine: i === 0 }]));

/** `flowcase import CASE FILE|DIR...`: creates the case if missing and imports each file; exit 1 if any failed. */
export const importCommand: CliCommand = {
  name: 'import',
  args: 'CASE FILE|DIR...',
  flags: { format: { value: 'ID' }, json: {}, progress: {}, ...decodeOptionFlags() },
  async run(args, io) {
    const v = args.values;
    const parsed = parseFormatOptions(v);
    if ('error' in parsed) throw new CliExit(2, parsed.error);
    const [casePath, ...files] = args.positionals;
    // Every input must exist before the case is created or touched: a typo makes no empty case.
    const missing = files.filter((f) => !existsSync(f));
    if (missing.length) throw new CliExit(1, missing.map((f) => `${f}: no such file or directory; nothing imported`).join('\n'));
    const done = await withCase(casePath, 'create', async (api) => {
      let lastLine = 0;
      const offProgress = api.on('import.progress', ({ jobId: _job, ...p }) => {
        if (v.progress) {
          io.err(JSON.stringify({ progress: p }) + '\n'); // machine-readable, one line per update
          return;
        }
        if (!io.isTTY || v.json) return;
        const now = Date.now();
        if (now - lastLine < 200 && p.phase === 'decoding') return;
        lastLine = now;
        const pct = p.totalBytes ? ((100 * p.bytesRead) / p.totalBytes).toFixed(0) : '?';
        io.err(`\r[${p.fileIndex + 1}/${p.fileCount}] ${pct}% ${humanBytes(p.bytesRead)} ${p.records} records ${Math.round(p.recordsPerSecond)}/s ${p.phase}   `);
      });
      // The service runs one job here: its import.done is this run's.
      const finished = new Promise<ImportDoneEvent>((resolve) => api.on('import.done', resolve));
      let jobId: string | null = null;
      const onSig = () => { if (jobId) void api.invoke('import.cancel', { jobId }); };
      process.once('SIGINT', onSig);
      try {
        jobId = (await api.invoke('import.start', { paths: files, format: stringFlag(args, 'format'), options: parsed.options })).jobId;
        return await finished;
      } finally {
        process.off('SIGINT', onSig);
        offProgress();
        if (io.isTTY && !v.json) io.err('\n');
      }
    }, '400MB');
    const results = done.results;
    if (v.json) {
      io.out(JSON.stringify({ evidence: results.map((r) => ({
        path: r.path, format: r.format ?? null, sha256: r.sha256 ?? null, bytes: r.bytes ?? null, records: r.records ?? 0,
        rejected: r.rejected ?? 0, ms: r.ms === undefined ? null : Math.round(r.ms), evidence_id: r.evidenceId ?? null,
        skipped: r.skipped ?? {}, bad_checksums: r.badChecksums ?? 0,
        issues: (r.issues ?? []).map((i) => ({ code: i.code, offset: i.offset, message: i.message })),
        ...(r.error ? { error: r.error } : {}),
      })) }, null, 1) + '\n');
    } else {
      for (const r of results) {
        if (!r.ok) continue;
        const skipped = Object.entries(r.skipped ?? {}).map(([k, n]) => `${n} ${k}`).join(', ');
        io.out(`${r.path}: ${r.format}, ${r.records} records, ${r.rejected} rejected${skipped ? `, skipped ${skipped}` : ''}, sha256 ${r.sha256}, ${Math.round(r.ms ?? 0)} ms\n`);
        for (const i of (r.issues ?? []).slice(0, 5)) io.out(`  ${i.code} at ${i.offset}: ${i.message}\n`);
      }
    }
    const failed = results.filter((r) => !r.ok);
    for (const f of failed) io.err(`flowcase import: ${f.error?.message}\n`);
    // Evidence committed but its derived tables not rebuilt (e.g. the disk filled up): a
    // failure too; the case marks them stale and the next open rebuilds them.
    const derived = results.flatMap((r) => r.issues ?? []).find((i) => i.code === 'derived-tables-failed');
    if (derived) io.err(`flowcase import: ${derived.message}\n`);
    return failed.length || derived ? 1 : 0;
  },
};
