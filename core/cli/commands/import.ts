import type { ImportDoneEvent } from '../../api/contract/evidence';
import { withCase } from '../cli-session';
import { seconds, stringFlag, type CliCommand } from '../command';
import { humanBytes } from '../table-format';

/** `flowcase import CASE FILE|DIR...`: creates the case if missing and imports each file; exit 1 if any failed. */
export const importCommand: CliCommand = {
  name: 'import',
  args: 'CASE FILE|DIR...',
  flags: {
    format: { value: 'ID' }, json: {}, progress: {},
    date: { value: 'YYYY-MM-DD', newLine: true }, 'time-zone': { value: 'ZONE' }, 'idle-timeout': { value: 'S' }, 'active-timeout': { value: 'S' },
  },
  async run(args, io) {
    const v = args.values;
    const decodeOptions: { date?: string; timeZone?: string; idleTimeoutS?: number; activeTimeoutS?: number } = {};
    if (v.date) decodeOptions.date = stringFlag(args, 'date');
    if (v['time-zone']) decodeOptions.timeZone = stringFlag(args, 'time-zone');
    const idle = seconds('idle-timeout', stringFlag(args, 'idle-timeout'));
    const active = seconds('active-timeout', stringFlag(args, 'active-timeout'));
    if (idle !== undefined) decodeOptions.idleTimeoutS = idle;
    if (active !== undefined) decodeOptions.activeTimeoutS = active;
    const [casePath, ...files] = args.positionals;
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
        jobId = (await api.invoke('import.start', { paths: files, format: stringFlag(args, 'format'), options: decodeOptions })).jobId;
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
        issues: (r.issues ?? []).map((i) => ({ code: i.code, offset: i.offset, message: i.message })),
        ...(r.error ? { error: r.error } : {}),
      })) }, null, 1) + '\n');
    } else {
      for (const r of results) {
        if (!r.ok) continue;
        io.out(`${r.path}: ${r.format}, ${r.records} records, ${r.rejected} rejected, sha256 ${r.sha256}, ${Math.round(r.ms ?? 0)} ms\n`);
        for (const i of (r.issues ?? []).slice(0, 5)) io.out(`  ${i.code} at ${i.offset}: ${i.message}\n`);
      }
    }
    const failed = results.filter((r) => !r.ok);
    for (const f of failed) io.err(`flowcase import: ${f.error?.message}\n`);
    return failed.length ? 1 : 0;
  },
};
