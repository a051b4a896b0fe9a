import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError, ingestFile } from '../../../core/ingest/ingest-file';
import { CaseStore } from '../../../core/store/case-store';
import { REPO_ROOT } from '../../helpers/corpus';
import { tempDir } from '../../helpers/temp';

/** Every input that once failed (test/fixtures/regressions), imported for real, against its expected result. */
const DIR = join(REPO_ROOT, 'test/fixtures/regressions');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, {
  format: string | null; records?: number; rejected?: number; issues?: [string, number][]; error?: string; message?: string;
}>;
const t = tempDir('flowcase-regr-');
afterAll(() => t.cleanup());

describe('regression inputs', () => {
  for (const [file, want] of Object.entries(expected)) {
    if (file.startsWith('_')) continue;
    it(file, async () => {
      const store = await CaseStore.open(join(t.dir, `${file}.duckdb`));
      try {
        const run = ingestFile(store, join(DIR, file), { format: want.format ?? undefined });
        if (want.error) {
          const err = await run.then(() => null, (e: unknown) => e);
          expect(err).toBeInstanceOf(ImportError);
          expect((err as ImportError).code).toBe(want.error);
          expect((err as ImportError).message).toContain(join(DIR, file));
          expect((err as ImportError).message).toContain(want.message);
          expect(Number(await store.value(`SELECT count(*) FROM flows`))).toBe(0);
          return;
        }
        const ev = await run;
        expect({ records: ev.records, rejected: ev.rejected, issues: ev.issues.filter((i) => i.code !== 'no-close').map((i) => [i.code, i.offset]) })
          .toEqual({ records: want.records, rejected: want.rejected, issues: want.issues });
      } finally {
        store.close();
      }
    });
  }
});
