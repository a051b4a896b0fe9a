import { namesUsed } from '../../enrich/names-used';
import type { FlowView } from '../../query/flow-view';
import type { CaseStore } from '../../store/case-store';

/** Fills each flow's `name`: what its client called the destination at the time (one query per page). */
export async function withFlowNames<T extends { rows: FlowView[] }>(store: CaseStore, page: T): Promise<T> {
  const names = await namesUsed(store, page.rows.map((f) => ({ client: f.srcAddr, server: f.dstAddr, atUs: f.endUs })));
  page.rows.forEach((f, i) => (f.name = names[i]));
  return page;
}
