import { formatIpBigInt, ipToBigInt, parseIp } from '../model/ip';
import type { CaseStore } from '../store/case-store';
import { evidenceScopeSql, type EvidenceChoice } from '../store/evidence-choice';
import { ADDR_MATCH_SQL, HOST_INDEX_TABLE, hostIndexIsCurrent, addrParams, hostRowsFromFlows, withFlowAddresses } from '../store/host-index';
import type { FilterError } from './filter-ast';
import { filterToSql } from './compile-filter';
import { FLOW_VIEW_COLUMNS, toFlowView, type FlowView } from './flow-view';
import { getInternalNetworks, internalMatcher } from './internal-networks';
import { toNumber } from '../model/bigint';
import { addressContext, EMPTY_CONTEXT, type AddressContext } from '../enrich/address-context';
import { SAMPLING_FACTOR_SQL } from './flow-stats';

/** A pivot that could not run: a bad address or filter, with where it went wrong. */
export interface PivotFailure {
  readonly error: FilterError;
}

export interface PivotWindow {
  /** Flows that start at or after fromUs and before toUs (UTC microseconds). */
  readonly fromUs?: number;
  readonly toUs?: number;
  /** Which evidence counts (default 'counted': each conversation once; see store/evidence-choice.ts). */
  readonly evidence?: EvidenceChoice;
  /** IANA zone that filter times written without a zone are read in; default UTC. */
  readonly timeZone?: string;
}

export interface HostSummaryOptions extends PivotWindow {
  /** A filter (filter language) the host's flows must also match. */
  readonly filter?: string;
  readonly peerLimit?: number;
  readonly portLimit?: number;
}

/** A pivot peer, with what the case knows about its address (databases, names, asset list). */
export interface PivotPeer extends AddressContext {
  addr: string;
  flows: number;
  bytes: number;
  packets: number;
  /** bytes and packets times each flow's sampling interval (= raw when unsampled). */
  estBytes: number;
  estPackets: number;
  /** First flow start and last flow end with this peer, UTC microseconds. */
  firstUs: number;
  lastUs: number;
  internal: boolean;
}

export interface PivotPort {
  port: number;
  proto: number;
  /** server: the host answered on this port; client: the host connected to it. */
  role: 'server' | 'client';
  flows: number;
  bytes: number;
}

/** The pivot summary (the CLI prints it under its own snake_case keys, times as ISO-8601). */
export interface HostSummary {
  host: string;
  /** First flow start and last flow end, UTC microseconds; null when the host has no flows. */
  firstUs: number | null;
  lastUs: number | null;
  flows: number;
  packetsOut: number;
  packetsIn: number;
  bytesOut: number;
  bytesIn: number;
  /** Estimates: counts times each flow's sampling interval (= raw when unsampled). */
  estPackets: number;
  estBytes: number;
  /** The largest sampling interval among the host's flows (1: none sampled). */
  samplingMax: number;
  peers: PivotPeer[];
  ports: PivotPort[];
  /** What the case knows about the host's own address. */
  context: AddressContext;
}

/** Reads a host argument: address text or the store's UHUGEINT. */
export function parseHostAddress(addr: string | bigint): bigint | PivotFailure {
  if (typeof addr === 'bigint') return addr;
  const ip = parseIp(addr);
  if (ip === null) return { error: { message: `'${addr}' is not an IP address`, line: 1, column: 1, offset: 0, length: addr.length } };
  return ipToBigInt(ip);
}

export function isPivotFailure(x: unknown): x is PivotFailure {
  return typeof x === 'object' && x !== null && 'error' in x;
}

interface HostRows {
  /** A subquery with the host_flows columns for one address (and the filter). */
  readonly from: string;
  readonly params: Record<string, bigint | number | string>;
}

/**
 * The host's rows as a subquery: from the host index when it covers the case, otherwise
 * computed from flows (the same answer, a full scan). Time window and filter applied.
 */
async function hostRows(store: CaseStore, addr: bigint, opts: HostSummaryOptions, peer?: bigint): Promise<HostRows | PivotFailure> {
  const params: Record<string, bigint | number | string> = { ...addrParams(addr) };
  const where: string[] = [];
  if (opts.fromUs !== undefined) { where.push('start_us >= CAST($from_us AS BIGINT)'); params.from_us = BigInt(Math.floor(opts.fromUs)); }
  if (opts.toUs !== undefined) { where.push('start_us < CAST($to_us AS BIGINT)'); params.to_us = BigInt(Math.ceil(opts.toUs)); }
  if (peer !== undefined) {
    where.push('peer_hi = CAST($peer_hi AS UBIGINT) AND peer_lo = CAST($peer_lo AS UBIGINT)');
    params.peer_hi = (peer >> 64n).toString();
    params.peer_lo = (peer & 0xffffffffffffffffn).toString();
  }
  if (opts.filter && opts.filter.trim()) {
    const f = filterToSql(opts.filter, { paramPrefix: 'flt', timeZone: opts.timeZone });
    if (!f.ok) return { error: f.error };
    Object.assign(params, f.params);
    // The index rows carry every column a filter can name (src_ip/dst_ip derived below).
    where.push(f.sql);
  }
  const ev = await evidenceScopeSql(store, opts.evidence);
  if (ev.sql !== 'TRUE') {
    where.push(ev.sql);
    Object.assign(params, ev.params);
  }
  const extra = where.length ? ` AND ${where.join(' AND ')}` : '';
  const current = await hostIndexIsCurrent(store);
  const source = current
    ? `SELECT * FROM ${HOST_INDEX_TABLE} WHERE ${ADDR_MATCH_SQL}`
    // No current index: the same rows from flows (a full scan, correct and slower).
    : `SELECT * FROM (${hostRowsFromFlows(`src_ip = CAST($addr AS UHUGEINT) OR dst_ip = CAST($addr AS UHUGEINT)`)}) WHERE ${ADDR_MATCH_SQL}`;
  if (!current) params.addr = addr.toString();
  // DuckDB drops the derived columns a query does not use.
  const from = `(SELECT * FROM (${withFlowAddresses(source)}) WHERE TRUE${extra})`;
  return { from, params };
}

/** A count or sum; SQL NULL (no rows) counts 0. */
const n = (v: unknown): number => toNumber(v ?? 0);
const us = (v: unknown): number | null => (v === null || v === undefined ? null : toNumber(v));

/**
 * Everything about one host at a glance: totals in each direction, its peers (by bytes,
 * each marked internal per the case's internal networks) and its ports by role.
 */
export async function hostSummary(store: CaseStore, addr: string | bigint, opts: HostSummaryOptions = {}): Promise<HostSummary | PivotFailure> {
  const a = parseHostAddress(addr);
  if (isPivotFailure(a)) return a;
  const rows = await hostRows(store, a, opts);
  if (isPivotFailure(rows)) return rows;
  const peerLimit = BigInt(Math.max(1, Math.floor(opts.peerLimit ?? 100)));
  const portLimit = BigInt(Math.max(1, Math.floor(opts.portLimit ?? 100)));
  // One scan of the host's rows feeds all three answers.
  const sql = `WITH h AS (SELECT peer_hi, peer_lo, dir, proto, start_us, end_us,
        CASE WHEN dir = 0 THEN dst_port ELSE src_port END AS peer_port, CASE WHEN dir = 0 THEN src_port ELSE dst_port END AS local_port,
        CASE WHEN dir = 0 THEN bytes ELSE coalesce(rev_bytes, 0) END AS bytes_out, CASE WHEN dir = 0 THEN coalesce(rev_bytes, 0) ELSE bytes END AS bytes_in,
        CASE WHEN dir = 0 THEN packets ELSE coalesce(rev_packets, 0) END AS packets_out, CASE WHEN dir = 0 THEN coalesce(rev_packets, 0) ELSE packets END AS packets_in,
        ${SAMPLING_FACTOR_SQL} AS factor, (packets + coalesce(rev_packets, 0)) * ${SAMPLING_FACTOR_SQL} AS est_packets,
        (bytes + coalesce(rev_bytes, 0)) * ${SAMPLING_FACTOR_SQL} AS est_bytes
      FROM ${rows.from})
    SELECT 'total' AS kind, NULL::UBIGINT AS peer_hi, NULL::UBIGINT AS peer_lo, NULL::INTEGER AS port, NULL::INTEGER AS proto, NULL::INTEGER AS dir,
           count(*) AS flows, min(start_us) AS first_us, max(end_us) AS last_us,
           sum(packets_out) AS packets_out, sum(packets_in) AS packets_in, sum(bytes_out) AS bytes_out, sum(bytes_in) AS bytes_in,
           sum(est_packets) AS est_packets, sum(est_bytes) AS est_bytes, max(factor) AS factor
      FROM h
    UNION ALL
    (SELECT 'peer', peer_hi, peer_lo, NULL, NULL, NULL, count(*), min(start_us), max(end_us), sum(packets_out), sum(packets_in), sum(bytes_out), sum(bytes_in),
        sum(est_packets), sum(est_bytes), max(factor)
      FROM h GROUP BY peer_hi, peer_lo ORDER BY sum(bytes_out) + sum(bytes_in) DESC, count(*) DESC, peer_hi, peer_lo LIMIT $peer_limit)
    UNION ALL
    (SELECT 'port', NULL, NULL, CASE WHEN dir = 1 THEN local_port ELSE peer_port END, proto, dir, count(*), NULL, NULL, NULL, NULL, sum(bytes_out), sum(bytes_in),
        NULL, NULL, NULL
      FROM h GROUP BY ALL ORDER BY count(*) DESC, sum(bytes_out) + sum(bytes_in) DESC LIMIT $port_limit)`;
  const out = await store.all(sql, { ...rows.params, peer_limit: peerLimit, port_limit: portLimit });
  const total = out.find((r) => r.kind === 'total');
  const isInternal = internalMatcher(await getInternalNetworks(store));
  const peers: PivotPeer[] = [];
  const ports: PivotPort[] = [];
  const peerAddrs = out.filter((r) => r.kind === 'peer').map((r) => (BigInt(r.peer_hi as bigint) << 64n) | BigInt(r.peer_lo as bigint));
  const context = await addressContext(store, [a, ...peerAddrs]);
  for (const r of out) {
    if (r.kind === 'peer') {
      const p = (BigInt(r.peer_hi as bigint) << 64n) | BigInt(r.peer_lo as bigint);
      peers.push({
        addr: formatIpBigInt(p), flows: n(r.flows), bytes: n(r.bytes_out) + n(r.bytes_in), packets: n(r.packets_out) + n(r.packets_in),
        estBytes: n(r.est_bytes), estPackets: n(r.est_packets), firstUs: n(r.first_us), lastUs: n(r.last_us), internal: isInternal(p), ...(context.get(p) ?? EMPTY_CONTEXT),
      });
    } else if (r.kind === 'port') {
      ports.push({ port: n(r.port), proto: n(r.proto), role: n(r.dir) === 1 ? 'server' : 'client', flows: n(r.flows), bytes: n(r.bytes_out) + n(r.bytes_in) });
    }
  }
  return {
    host: formatIpBigInt(a), firstUs: us(total?.first_us), lastUs: us(total?.last_us), flows: n(total?.flows),
    packetsOut: n(total?.packets_out), packetsIn: n(total?.packets_in), bytesOut: n(total?.bytes_out), bytesIn: n(total?.bytes_in),
    estPackets: n(total?.est_packets), estBytes: n(total?.est_bytes), samplingMax: Math.max(1, n(total?.factor)),
    peers, ports, context: context.get(a) ?? EMPTY_CONTEXT,
  };
}

export interface HostFlowsOptions extends PivotWindow {
  readonly limit?: number;
  readonly offset?: number;
  readonly filter?: string;
}

export interface HostFlowPage {
  rows: FlowView[];
  offset: number;
}

/** The host's flows, newest first (by start, then flow id), as full flow rows. */
export async function hostFlows(store: CaseStore, addr: string | bigint, opts: HostFlowsOptions = {}): Promise<HostFlowPage | PivotFailure> {
  const a = parseHostAddress(addr);
  if (isPivotFailure(a)) return a;
  const rows = await hostRows(store, a, opts);
  if (isPivotFailure(rows)) return rows;
  return pageOfFlows(store, rows, opts);
}

/** Flows between two hosts in either direction, newest first. */
export async function flowsBetween(store: CaseStore, a: string | bigint, b: string | bigint, opts: HostFlowsOptions = {}): Promise<HostFlowPage | PivotFailure> {
  const x = parseHostAddress(a);
  if (isPivotFailure(x)) return x;
  const y = parseHostAddress(b);
  if (isPivotFailure(y)) return y;
  const rows = await hostRows(store, x, opts, y);
  if (isPivotFailure(rows)) return rows;
  return pageOfFlows(store, rows, opts);
}

async function pageOfFlows(store: CaseStore, rows: HostRows, opts: HostFlowsOptions): Promise<HostFlowPage> {
  const limit = BigInt(Math.max(0, Math.min(100_000, Math.floor(opts.limit ?? 1000))));
  const offset = BigInt(Math.max(0, Math.floor(opts.offset ?? 0)));
  // The index rows carry the flow's columns, so the page never reads the flows table.
  const out = await store.all(
    `SELECT ${FLOW_VIEW_COLUMNS} FROM ${rows.from} ORDER BY start_us DESC, flow_id DESC LIMIT $limit OFFSET $offset`,
    { ...rows.params, limit, offset },
  );
  return { rows: out.map(toFlowView), offset: Number(offset) };
}

/** The host's activity in equal bins. */
export interface HostHistogram {
  /** Bin width in microseconds (0 when the host has no flows in the window). */
  binUs: number;
  bins: HistogramBin[];
}

export interface HistogramBin {
  startUs: number;
  endUs: number;
  flows: number;
  bytesOut: number;
  bytesIn: number;
}

/**
 * The host's activity over time in `bins` equal bins between fromUs and toUs (default:
 * its first and last flow start). Each flow counts in the bin of its start.
 */
export async function hostHistogram(
  store: CaseStore, addr: string | bigint, opts: PivotWindow & { bins?: number; filter?: string } = {},
): Promise<HostHistogram | PivotFailure> {
  const a = parseHostAddress(addr);
  if (isPivotFailure(a)) return a;
  const rows = await hostRows(store, a, opts);
  if (isPivotFailure(rows)) return rows;
  const binCount = Math.max(1, Math.min(10_000, Math.floor(opts.bins ?? 100)));
  let from = opts.fromUs;
  let to = opts.toUs;
  if (from === undefined || to === undefined) {
    const r = await store.one(`SELECT min(start_us) AS lo, max(start_us) AS hi FROM ${rows.from}`, rows.params);
    if (!r || r.lo === null) return { binUs: 0, bins: [] };
    from ??= Number(r.lo);
    to ??= Number(r.hi) + 1;
  }
  const binUs = Math.max(1, Math.ceil((to - from) / binCount));
  const out = await store.all(
    `SELECT (start_us - CAST($h_from AS BIGINT)) // CAST($h_bin AS BIGINT) AS b, count(*) AS flows,
            sum(CASE WHEN dir = 0 THEN bytes ELSE coalesce(rev_bytes, 0) END) AS o, sum(CASE WHEN dir = 0 THEN coalesce(rev_bytes, 0) ELSE bytes END) AS i
       FROM ${rows.from} GROUP BY b ORDER BY b`,
    { ...rows.params, h_from: BigInt(from), h_bin: BigInt(binUs) },
  );
  const bins: HistogramBin[] = [];
  for (let i = 0; i < binCount; i++) bins.push({ startUs: from + i * binUs, endUs: from + (i + 1) * binUs, flows: 0, bytesOut: 0, bytesIn: 0 });
  for (const r of out) {
    const i = Number(r.b);
    if (i < 0 || i >= binCount) continue;
    bins[i].flows = n(r.flows);
    bins[i].bytesOut = n(r.o);
    bins[i].bytesIn = n(r.i);
  }
  return { binUs, bins };
}
