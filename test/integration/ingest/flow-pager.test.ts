import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import '../../../core/formats/index';
import { FlowPager, queryFlowPage } from '../../../core/query/flow-pager';
import { ingestFile } from '../../../core/ingest/ingest-file';
import { CaseStore } from '../../../core/store/case-store';
import { tempDir } from '../../helpers/temp';
import { writeZeekConnLog } from '../../helpers/zeek-log-writer';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('FlowPager', () => {
  it('returns deep pages identical to ORDER BY ... OFFSET, for every sort, with a stable tie-break', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const log = join(t.dir, 'conn.log');
    await writeZeekConnLog(log, 12_000);
    const store = await CaseStore.open(join(t.dir, 'c.duckdb'));
    cleanups.unshift(() => store.close());
    await ingestFile(store, log);
    const pager = new FlowPager(store);
    for (const sort of [{ column: 'bytes', desc: true }, { column: 'dst_port', desc: false }, { column: 'start_us', desc: false }] as const) {
      for (const offset of [0, 4990, 7321, 11_950]) {
        const viaPager = await pager.page({ offset, limit: 100, sort });
        const direct = await queryFlowPage(store, { offset, limit: 100, sort });
        expect(viaPager.total).toBe(12_000);
        expect(viaPager.rows.map((r) => r.flowId)).toEqual(direct.rows.map((r) => r.flowId));
      }
    }
    const last = await pager.page({ offset: 11_950, limit: 100, sort: { column: 'bytes', desc: true } });
    expect(last.rows).toHaveLength(50);
  });
});
