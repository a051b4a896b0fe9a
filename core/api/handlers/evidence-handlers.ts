import { basename } from 'node:path';
import type { CsvMapping } from '../../formats/csv/csv-mapping';
import { previewCsv } from '../../formats/csv/preview-csv';
import { describeFormats } from '../../formats/index';
import { runImport, type ImportFileResult } from '../../ingest/import-runner';
import { readFileHead, sniffFile } from '../../ingest/sniff-file';
import { verifyEvidence } from '../../ingest/verify-evidence';
import { formatIp } from '../../model/ip';
import { microsToIso } from '../../model/time';
import { listEvidence } from '../../store/evidence-rows';
import { ApiError } from '../api-error';
import type { evidenceMethods, SniffView } from '../contract/evidence';
import { fsReason } from './arguments';
import type { HandlerContext, Handlers } from './handler-context';

/** evidence.*, formats.list and import.*: what the case holds and how files get in. */
export function evidenceHandlers(ctx: HandlerContext): Handlers<keyof typeof evidenceMethods> {
  return {
    'evidence.list': async () => listEvidence(ctx.requireCase()),
    'evidence.verify': async () => verifyEvidence(ctx.requireCase()),
    'formats.list': async () => describeFormats(),
    'import.start': async (a) => {
      const s = ctx.requireCase();
      if (s.readOnly) throw new ApiError('read-only', 'this case is open read-only; reopen it with write access to import');
      // Imports on one case run one after another; the call returns at once with the job id.
      const jobId = ctx.imports.start(
        async (id, signal): Promise<ImportFileResult[]> => {
          try {
            return await runImport(s, a.paths, {
              format: a.format, signal, decodeOptions: a.options, onProgress: (p) => ctx.emit('import.progress', { jobId: id, ...p }),
            });
          } catch (err) {
            return a.paths.map((path) => ({ path, ok: false, error: { code: 'internal', message: (err as Error).message } }));
          }
        },
        async (results, id, cancelled) => {
          await ctx.flowsChanged();
          ctx.emit('import.done', { jobId: id, results, cancelled });
          const info = await ctx.caseInfo().catch(() => null);
          if (info) ctx.emit('case.changed', info);
        },
      );
      return { jobId };
    },
    'import.sniff': async (a) => {
      const out: SniffView[] = [];
      for (const p of a.paths) {
        try {
          const r = await sniffFile(p);
          if (r.candidates.some((c) => c.id === 'csv')) ctx.allowImportPath(p);
          out.push({ path: p, name: basename(p), size: r.size, compression: r.compression, candidates: r.candidates });
        } catch (err) {
          out.push({ path: p, name: basename(p), size: 0, compression: null, candidates: [], error: `${p}: ${fsReason(err)}` });
        }
      }
      return out;
    },
    'import.preview': async (a) => {
      // Only a file the user is importing (picked, uploaded, or sniffed as CSV by the import
      // dialog) is previewed: the call returns the file's first lines, so it must not read any file.
      if (!ctx.isImportPath(a.path)) {
        throw new ApiError('not-an-import', `${a.path}: preview is for files being imported; pick or sniff it first`, 403);
      }
      let head;
      try {
        head = await readFileHead(a.path, 256 * 1024);
      } catch (err) {
        throw new ApiError('not-found', `${a.path}: ${fsReason(err)}`, 404);
      }
      const text = new TextDecoder('utf-8').decode(head.head);
      const p = previewCsv(text, a.mapping as CsvMapping | undefined);
      return {
        separator: p.separator, columns: [...p.columns], preset: p.preset, mapping: (p.mapping ?? null) as Record<string, unknown> | null,
        guessed: p.guessed, mappingError: p.mappingError,
        rows: p.rows.map((r) => ({
          line: r.line, fields: [...r.fields], error: r.error,
          flow: r.flow && {
            start: microsToIso(r.flow.startUs), end: microsToIso(r.flow.endUs), proto: r.flow.proto, src: formatIp(r.flow.src),
            srcPort: r.flow.srcPort, dst: formatIp(r.flow.dst), dstPort: r.flow.dstPort, packets: r.flow.packets, bytes: r.flow.bytes,
          },
        })),
      };
    },
    'import.cancel': async (a) => ({ cancelled: ctx.imports.cancel(a.jobId) }),
  };
}
