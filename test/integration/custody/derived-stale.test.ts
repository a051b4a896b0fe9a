import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FlowcaseService } from '../../../core/api/flowcase-service';
import { runCli } from '../../../core/cli/main';
import { onAfterImport } from '../../../core/ingest/import-runner';
import { CaseStore } from '../../../core/store/case-store';
import { tempDir } from '../../helpers/temp';
import { writeZeekConnLog } from '../../helpers/zeek-log-writer';

const t = tempDir('flowcase-stale-');
afterAll(() => t.cleanup());

describe('derived tables after a failed derived step', () => {
  it('exits non-zero with a clear message, keeps the stale mark, shows it, and the next open rebuilds', async () => {
    const log = join(t.dir, 'conn.log');
    await writeZeekConnLog(log, 500);
    const casePath = join(t.dir, 'c.duckdb');
    // Stands in for the disk filling up while the sessions are rebuilt.
    const off = onAfterImport(async () => {
      throw new Error('IO Error: No space left on device');
    });
    let stderr = '';
    const code = await runCli(['import', casePath, log], { out: () => undefined, err: (s) => (stderr += s), isTTY: false });
    off();
    expect(code).toBe(1);
    expect(stderr).toContain('imported, but updating derived tables failed (they are marked stale and rebuilt when the case is next opened): IO Error: No space left on device');

    const ro = await CaseStore.open(casePath, { readOnly: true });
    expect(Number(await ro.value(`SELECT count(*) FROM derived_state`))).toBe(1);
    ro.close();

    const service = new FlowcaseService({ transport: 'cli', recent: null });
    try {
      // Read-only: nothing can be rebuilt, and the case says so.
      expect((await service.openCase(casePath, false, true)).derivedStale).toBe(1);
      await service.closeCase();
      const info = await service.openCase(casePath, false, false);
      expect(info.derivedStale).toBe(0);
      const s = service.requireCase();
      expect(Number(await s.value(`SELECT count(*) FROM sessions`))).toBeGreaterThan(0);
      expect(Number(await s.value(`SELECT count(*) FROM derived_state`))).toBe(0);
      const actions = (await s.all<{ action: string }>(`SELECT action FROM audit_log ORDER BY seq`)).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['import', 'derived-tables-failed', 'derived-tables-healed']));
    } finally {
      await service.dispose();
    }
  });
});
