import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../../core/ingest/ingest-file';
import { CaseStore } from '../../../core/store/case-store';
import { tempDir } from '../../helpers/temp';
import { syntheticConn, zeekHeader, zeekLine } from '../../helpers/zeek-log-writer';

/** #14: inputs built to hang, exhaust or fool the importer. */
const t = tempDir('flowcase-hostile-');
afterAll(() => t.cleanup());

async function importInto(name: string, file: string, opts: Parameters<typeof ingestFile>[2] = {}) {
  const store = await CaseStore.open(join(t.dir, `${name}.duckdb`));
  try {
    return await ingestFile(store, file, opts);
  } finally {
    store.close();
  }
}

const lines = (from: number, n: number): string => Array.from({ length: n }, (_, i) => zeekLine(syntheticConn(from + i), from + i)).join('\n') + '\n';

describe('hostile input', () => {
  it('a gzip holding a 25 MB line: read in linear time, the line rejected with its number, the rest imported', async () => {
    const text = zeekHeader() + lines(0, 10) + 'x'.repeat(25 * 1024 * 1024) + '\n' + lines(10, 10);
    const file = join(t.dir, 'long-line.log.gz');
    writeFileSync(file, gzipSync(text, { level: 1 }));
    const ev = await importInto('long', file);
    expect(ev.records).toBe(20);
    expect(ev.rejected).toBe(1);
    expect(ev.issues.filter((i) => i.code !== 'no-close')).toEqual([{ code: 'line-too-long', offset: 19, message: 'line 19: 26,214,400 characters, more than the 1,048,576 a line may have; not read' }]);
  });

  it('a line that never ends (no newline at all) is rejected, not kept in memory', async () => {
    const file = join(t.dir, 'endless.log.gz');
    writeFileSync(file, gzipSync(zeekHeader() + lines(0, 3) + 'y'.repeat(5 * 1024 * 1024), { level: 1 }));
    const ev = await importInto('endless', file);
    expect(ev.records).toBe(3);
    expect(ev.issues.filter((i) => i.code !== 'no-close').map((i) => [i.code, i.offset])).toEqual([['line-too-long', 12]]);
  });

  it('a gzip of zeros forced to a text format stops with a clear error instead of hanging', async () => {
    const file = join(t.dir, 'zeros.gz');
    const chunk = Buffer.alloc(1 << 20);
    await pipeline(Readable.from((function* () { for (let i = 0; i < 96; i++) yield chunk; })()), createGzip({ level: 1 }), createWriteStream(file));
    await expect(importInto('zeros', file, { format: 'zeek-conn' })).rejects.toMatchObject({
      code: 'decode-failed',
      message: expect.stringMatching(/zeros\.gz: gzip stream expanded to \d+ MB from \d+ KB without a single .* record: not read further \(a decompression bomb, or not this format\) \(at byte \d+ of the decompressed data\)$/),
    });
  });

  it('times out of the plausible range are rejected as bad-time with their line (Zeek ts 1e20, year 10000, 1919, the far future)', async () => {
    const base = zeekLine(syntheticConn(0), 0).split('\t');
    const withTs = (ts: string) => [ts, ...base.slice(1)].join('\t');
    const future = (Date.now() / 1000 + 3 * 86400).toFixed(6);
    const text = zeekHeader() + [withTs('99999999999999999999'), withTs('253402300800.000000'), withTs('-1609459200.000000'), withTs(future), withTs('1700000000.000000')].join('\n') + '\n';
    const file = join(t.dir, 'times.log');
    writeFileSync(file, text);
    const ev = await importInto('times', file);
    expect(ev.records).toBe(1);
    expect(ev.issues.filter((i) => i.code !== 'no-close').map((i) => [i.code, i.offset])).toEqual([['bad-time', 9], ['bad-time', 10], ['bad-time', 11], ['bad-time', 12]]);
    const bad = ev.issues.filter((i) => i.code === 'bad-time');
    expect(bad[1].message).toMatch(/^line 10: time \+?010000-01-01T00:00:00\.000Z is outside the plausible range 1970-01-01T00:00:00\.000Z to /);
    expect(bad[2].message).toMatch(/^line 11: time 1919-01-01T00:00:00\.000Z is outside/);
    // The range is configurable: an analyst with a capture from a clock set to 1919 may allow it.
    const allowed = await importInto('times-allowed', file, { plausibleTimes: { notBeforeUs: -2_000_000_000_000_000 } });
    expect(allowed.records).toBe(2);
  });
});
