import { FlowBatch, type FlowInput } from '../../core/model/flow-batch';
import type { CaseStore } from '../../core/store/case-store';
import { FlowChunkWriter } from '../../core/store/flow-chunk-writer';

/** Writes flows straight into a case as one evidence row (no file, no decoder), in one transaction. */
export async function addSyntheticEvidence(store: CaseStore, id: number, flows: readonly FlowInput[], firstFlowId: number): Promise<void> {
  await store.transaction(async () => {
    await store.run(
      `INSERT INTO evidence (evidence_id, path, name, size, sha256, format, position_unit, imported_at_us, tool_version, records, rejected, first_us, last_us)
       VALUES ($id, 'synthetic', 'synthetic', 0, $sha, 'test', 'byte', 0, 'test', $n, 0, $first, $last)`,
      { id, sha: `sha-${id}`, n: BigInt(flows.length), first: BigInt(Math.min(...flows.map((f) => f.startUs))), last: BigInt(Math.max(...flows.map((f) => f.endUs))) },
    );
    const writer = await FlowChunkWriter.open(store.connection);
    const batch = new FlowBatch(Math.max(64, flows.length));
    for (const f of flows) batch.push(f);
    batch.stamp(id, firstFlowId);
    writer.write(batch);
    writer.flush();
    writer.close();
  });
}
