import { join } from 'node:path';
import { writeSyntheticNfcapd } from '../test/helpers/nfcapd-writer';
import { benchExternal, benchImport, type StageContext } from './import-stage';

/** nfcapd -> DuckDB, against `nfdump -r FILE -q -o csv` on the same file. */
export async function runStage(ctx: StageContext): Promise<void> {
  const file = join(ctx.outDir, 'synthetic.nfcapd');
  const t = performance.now();
  const w = writeSyntheticNfcapd(file, { records: ctx.count, seed: 11 });
  ctx.report({ name: 'nfcapd-generate', flows: w.records, ms: Math.round(performance.now() - t), file_mb: Math.round(w.fileBytes / 1e6) });
  await benchImport(ctx, 'nfcapd-import', file);
  benchExternal(ctx, 'nfdump-csv-same-file', 'sh', () => ['-c', `nfdump -r '${file}' -q -o csv > /dev/null`], { flows: w.records });
}
