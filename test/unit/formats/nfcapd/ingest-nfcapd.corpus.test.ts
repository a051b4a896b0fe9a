import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../../core/formats/index';
import { ingestFile } from '../../../../core/ingest/ingest-file';
import { CaseStore } from '../../../../core/store/case-store';
import { HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { tempDir } from '../../../helpers/temp';

describe.skipIf(!HAVE_CORPUS)('ingestFile() with the nfcapd and flow-tools loaders', () => {
  it('ingestFile() sniffs and stores an nfdump layout-1 file and a zlib flow-tools file', async () => {
    const { dir, cleanup } = tempDir();
    const store = await CaseStore.open(join(dir, 'case.duckdb'));
    try {
      const nf = await ingestFile(store, corpus('nfcapd/stratosphere/test1-malicious.nfcapd'));
      expect(nf).toMatchObject({ format: 'nfcapd', records: 4593, rejected: 0 });
      const ft = await ingestFile(store, corpus('flow-tools/correct/ftv7.2016-02-14.compress.9.litend.sample'));
      expect(ft).toMatchObject({ format: 'flow-tools', records: 1000, rejected: 0 });
      const sums = await store.all(`SELECT evidence_id, count(*)::INTEGER AS n, sum(bytes)::BIGINT AS b, sum(packets)::BIGINT AS p FROM flows GROUP BY evidence_id ORDER BY evidence_id`);
      expect(sums.map((r) => [Number(r.n), Number(r.b), Number(r.p)])).toEqual([[4593, 241025, 4652], [1000, 500500, 500500]]);
    } finally {
      store.close();
      cleanup();
    }
  });
});
