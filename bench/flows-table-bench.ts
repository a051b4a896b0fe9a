import { CaseStore } from '../core/store/case-store';
import { FlowChunkWriter } from '../core/store/flow-chunk-writer';
import { FlowBatch } from '../core/model/flow-batch';
import { FlowPager } from '../core/query/flow-pager';
import { timed, type Reporter } from './report';

/**
 * Appends N synthetic flows through the same FlowBatch -> DataChunk path the importers
 * use (rows/s into DuckDB), then times the flows table's page queries.
 */
export async function runFlowsTableBench(path: string, flows: number, report: Reporter): Promise<void> {
  const store = await CaseStore.open(path, { memoryLimit: '400MB' });
  try {
    const batch = new FlowBatch(16384);
    let x = 12345;
    const rnd = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const t0 = 1_700_000_000_000_000;
    const { ms } = await timed(() => store.transaction(async () => {
      const writer = await FlowChunkWriter.open(store.connection);
      let id = 1;
      for (let i = 0; i < flows; i++) {
        const tcp = rnd() < 0.8;
        batch.push({
          pos: i * 64, startUs: t0 + i * 3000, endUs: t0 + i * 3000 + Math.floor(rnd() * 60e6), proto: tcp ? 6 : 17,
          src: (0x0a000000 + Math.floor(rnd() * 65536)) >>> 0, dst: (0xc6336400 + Math.floor(rnd() * 256)) >>> 0,
          srcPort: 1024 + Math.floor(rnd() * 60000), dstPort: tcp ? 443 : 53, packets: 1 + Math.floor(rnd() * 100),
          bytes: 40 + Math.floor(rnd() * 150000), revPackets: Math.floor(rnd() * 100), revBytes: Math.floor(rnd() * 1e6),
          tcpFlags: tcp ? 0x1b : undefined, revTcpFlags: tcp ? 0x1b : undefined, tos: 0,
        });
        if (batch.full) {
          batch.stamp(1, id);
          id += batch.length;
          writer.write(batch);
          batch.clear();
        }
      }
      batch.stamp(1, id);
      writer.write(batch);
      batch.clear();
      writer.flush();
      writer.close();
    }));
    report({ name: 'flows-append', flows, ms, rows_per_s: Math.round(flows / (ms / 1000)) });
    const pager = new FlowPager(store); // the path the UI's table takes
    for (const column of ['start_us', 'bytes'] as const) {
      const first = await timed(() => pager.page({ offset: 0, limit: 500, sort: { column, desc: column === 'bytes' } }));
      report({ name: `flows-page-first-by-${column}`, flows, ms: first.ms });
      const deep = await timed(() => pager.page({ offset: Math.floor(flows / 2), limit: 500, sort: { column, desc: column === 'bytes' } }));
      report({ name: `flows-page-middle-by-${column}`, flows, ms: deep.ms, note: 'first deep page builds the ordering' });
      const next = await timed(() => pager.page({ offset: Math.floor(flows / 2) + 500, limit: 500, sort: { column, desc: column === 'bytes' } }));
      report({ name: `flows-page-next-by-${column}`, flows, ms: next.ms });
    }
  } finally {
    store.close();
  }
}
