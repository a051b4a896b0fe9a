import { listValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/case-store';
import { countFlows } from './flow-stats';
import { FLOW_SORT_SQL, type FlowSortColumn } from './flow-sort';
import { FLOW_VIEW_COLUMNS, toFlowView, type FlowView } from './flow-view';
import { NO_FILTER, type SqlFilter } from './user-filter';

export interface FlowPage {
  rows: FlowView[];
  /** Total rows matching the filter (not just this page). */
  total: number;
  offset: number;
}

export interface FlowPageRequest {
  offset: number;
  limit: number;
  sort?: { column: FlowSortColumn; desc: boolean };
  filter?: SqlFilter;
}

/** Pages near the top are answered by DuckDB's top-N directly; deeper ones use a cached ordering. */
const DIRECT_PAGE_LIMIT = 5000;
const MAX_CACHED_ORDERINGS = 4;

/**
 * Pages the flows table for a scrolling view. A deep page under ORDER BY ... OFFSET costs a
 * top-N heap as large as the offset, so for each (filter, sort) the pager materialises the
 * ordering once (flow ids with their rank, in a TEMP table) and fetches any page by rank.
 * The cache is dropped whenever the case changes (an import).
 */
export class FlowPager {
  private readonly orderings = new Map<string, { table: string; total: number }>();
  private readonly totals = new Map<string, number>();
  private seq = 0;

  constructor(private readonly store: CaseStore) {}

  async page(req: FlowPageRequest): Promise<FlowPage> {
    const filter = req.filter ?? NO_FILTER;
    const sort = req.sort ?? { column: 'start_us', desc: false };
    const orderSql = `${FLOW_SORT_SQL[sort.column]} ${sort.desc ? 'DESC' : 'ASC'} NULLS LAST, flow_id ASC`;
    const filterKey = JSON.stringify([filter.sql, filter.params], (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    let ids: bigint[];
    let total: number;
    if (req.offset + req.limit <= DIRECT_PAGE_LIMIT) {
      // Top-N over the sort key and id only: reading 30 columns of every row to keep
      // 500 of them is what makes a naive page slow.
      const top = await this.store.all<{ flow_id: bigint }>(
        `SELECT flow_id FROM flows WHERE ${filter.sql} ORDER BY ${orderSql} LIMIT $__limit OFFSET $__offset`,
        { ...filter.params, __limit: req.limit, __offset: req.offset },
      );
      ids = top.map((r) => BigInt(r.flow_id));
      total = await this.total(filterKey, filter);
    } else {
      const ordering = await this.ordering(`${filterKey}|${orderSql}`, filter, orderSql);
      const ranked = await this.store.all<{ flow_id: bigint }>(
        `SELECT flow_id FROM ${ordering.table} WHERE rn >= $__from AND rn < $__to ORDER BY rn`,
        { __from: req.offset, __to: req.offset + req.limit },
      );
      ids = ranked.map((r) => BigInt(r.flow_id));
      total = ordering.total;
    }
    return { rows: await this.rowsByIds(ids), total, offset: req.offset };
  }

  /** The wide rows for a page of ids, in the ids' order. The id range lets zone maps skip row groups. */
  private async rowsByIds(ids: bigint[]): Promise<FlowView[]> {
    if (ids.length === 0) return [];
    let lo = ids[0];
    let hi = ids[0];
    for (const id of ids) {
      if (id < lo) lo = id;
      if (id > hi) hi = id;
    }
    const rows = await this.store.all(
      `SELECT ${FLOW_VIEW_COLUMNS} FROM flows
        WHERE flow_id BETWEEN $__lo AND $__hi AND flow_id IN (SELECT unnest($__ids::BIGINT[]))`,
      { __lo: lo, __hi: hi, __ids: listValue(ids) },
    );
    const byId = new Map(rows.map((r) => [BigInt(r.flow_id as bigint), r]));
    return ids.map((id) => byId.get(id)).filter((r) => r !== undefined).map(toFlowView);
  }

  /** Forget cached orderings and counts (after an import changed the flows). */
  async invalidate(): Promise<void> {
    for (const { table } of this.orderings.values()) await this.store.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    this.orderings.clear();
    this.totals.clear();
  }

  private async total(key: string, filter: SqlFilter): Promise<number> {
    let t = this.totals.get(key);
    if (t === undefined) {
      t = await countFlows(this.store, filter);
      this.totals.set(key, t);
    }
    return t;
  }

  private async ordering(key: string, filter: SqlFilter, orderSql: string) {
    const hit = this.orderings.get(key);
    if (hit) return hit;
    if (this.orderings.size >= MAX_CACHED_ORDERINGS) {
      const [oldKey, old] = this.orderings.entries().next().value as [string, { table: string }];
      this.orderings.delete(oldKey);
      await this.store.run(`DROP TABLE IF EXISTS ${old.table}`);
    }
    const table = `temp.flow_order_${++this.seq}`; // generated name, never user text
    await this.store.run(
      `CREATE TEMP TABLE ${table.slice(5)} AS
         SELECT flow_id, (row_number() OVER (ORDER BY ${orderSql}) - 1)::BIGINT AS rn FROM flows WHERE ${filter.sql}`,
      filter.params,
    );
    const total = Number(await this.store.value(`SELECT count(*) FROM ${table}`));
    const entry = { table, total };
    this.orderings.set(key, entry);
    return entry;
  }
}

/** One page of flows, sorted by the database; flow_id breaks ties so pages are stable. */
export async function queryFlowPage(store: CaseStore, req: FlowPageRequest): Promise<FlowPage> {
  const filter = req.filter ?? NO_FILTER;
  const sort = req.sort ?? { column: 'start_us', desc: false };
  const rows = await store.all(
    `SELECT ${FLOW_VIEW_COLUMNS} FROM flows WHERE ${filter.sql}
      ORDER BY ${FLOW_SORT_SQL[sort.column]} ${sort.desc ? 'DESC' : 'ASC'} NULLS LAST, flow_id ASC LIMIT $__limit OFFSET $__offset`,
    { ...filter.params, __limit: req.limit, __offset: req.offset },
  );
  return { rows: rows.map(toFlowView), total: await countFlows(store, filter), offset: req.offset };
}
