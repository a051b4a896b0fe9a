import { formatIpBigInt } from '../model/ip';
import type { CaseStore } from '../store/case-store';
import { evidenceScopeSql, type EvidenceChoice } from '../store/evidence-choice';
import { ADDR_SQL, HOST_INDEX_TABLE, hostIndexIsCurrent, hostRowsFromFlows, withFlowAddresses } from '../store/host-index';
import { filterToSql } from './compile-filter';
import { addressContext } from '../enrich/address-context';
import type { FilterError } from './filter-ast';
import { PROTOCOL_NAMES } from './filter-parser';
import { protoKeyword } from '../model/protocols';
import { getInternalNetworks, internalSql } from './internal-networks';
import { FTP_DATA_LOOKBACK_US, serviceName, serviceValuesSql } from './services';

/**
 * Case overview queries: time series, top talkers, inbound connection attempts, counts.
 *
 * Attribution: a flow counts wholly in the time bin where it starts (as FlowScan and
 * nfdump's own statistics do); a long flow's bytes are not spread over the bins it spans.
 * Rates are the bin's totals over the bin's length. Bytes and packets are both
 * directions of a flow (the reverse counters of bidirectional sources included).
 */

export interface OverviewWindow {
  /** Flows starting at or after fromUs and before toUs; defaults: the case's whole span. */
  readonly fromUs?: number;
  readonly toUs?: number;
  /** Filter-language expression the flows must match. */
  readonly filter?: string;
  /** Which evidence counts (default 'counted': each conversation once; see store/evidence-choice.ts). */
  readonly evidence?: EvidenceChoice;
  /** IANA zone that filter times written without a zone are read in; default UTC. */
  readonly timeZone?: string;
}

export interface OverviewFailure {
  readonly error: FilterError;
}

export const BIN_5_MIN_US = 300 * 1_000_000;
export const BIN_1_HOUR_US = 3600 * 1_000_000;
export const BIN_1_DAY_US = 86400 * 1_000_000;

/**
 * The bin for a span: 5 minutes up to 2 days (at most 576 bins), 1 hour up to 60 days
 * (at most 1440), else 1 day.
 */
export function chooseBinUs(spanUs: number): number {
  if (spanUs <= 2 * BIN_1_DAY_US) return BIN_5_MIN_US;
  if (spanUs <= 60 * BIN_1_DAY_US) return BIN_1_HOUR_US;
  return BIN_1_DAY_US;
}

interface Scope {
  readonly fromUs: number;
  readonly toUs: number;
  /** WHERE fragment over flows (no alias) for window and filter. */
  readonly where: string;
  readonly params: Record<string, bigint | number | string>;
}

/** The case's span from the evidence table (cheap), or from flows when that has none. */
async function caseSpan(store: CaseStore): Promise<{ first: number; last: number } | null> {
  let r = await store.one(`SELECT min(first_us) AS a, max(last_us) AS b FROM evidence`);
  if (!r || r.a === null) r = await store.one(`SELECT min(start_us) AS a, max(end_us) AS b FROM flows`);
  if (!r || r.a === null || r.b === null) return null;
  return { first: Number(r.a), last: Number(r.b) };
}

async function scope(store: CaseStore, w: OverviewWindow): Promise<Scope | OverviewFailure | null> {
  let fromUs = w.fromUs;
  let toUs = w.toUs;
  if (fromUs === undefined || toUs === undefined) {
    const span = await caseSpan(store);
    if (!span) return null;
    fromUs ??= span.first;
    toUs ??= span.last + 1;
  }
  const params: Record<string, bigint | number | string> = { w_from: BigInt(Math.floor(fromUs)), w_to: BigInt(Math.ceil(toUs)) };
  let where = 'start_us >= CAST($w_from AS BIGINT) AND start_us < CAST($w_to AS BIGINT)';
  if (w.filter && w.filter.trim()) {
    const f = filterToSql(w.filter, { paramPrefix: 'flt', timeZone: w.timeZone });
    if (!f.ok) return { error: f.error };
    Object.assign(params, f.params);
    where += ` AND ${f.sql}`;
  }
  const ev = await evidenceScopeSql(store, w.evidence);
  if (ev.sql !== 'TRUE') {
    where += ` AND ${ev.sql}`;
    Object.assign(params, ev.params);
  }
  return { fromUs, toUs, where, params };
}

export function isOverviewFailure(x: unknown): x is OverviewFailure {
  return typeof x === 'object' && x !== null && 'error' in x;
}

export type SeriesSplit = 'total' | 'proto' | 'service' | 'direction';

export interface SeriesBin {
  startUs: number;
  key: string;
  flows: number;
  packets: number;
  bytes: number;
  /** bits/s, packets/s and flows/s over the bin. */
  bps: number;
  pps: number;
  fps: number;
}

export interface TimeSeries {
  fromUs: number;
  toUs: number;
  binUs: number;
  split: SeriesSplit;
  /** Keys in order of total bytes, largest first. */
  keys: string[];
  /** Only bins with traffic, by time then key. */
  bins: SeriesBin[];
}

/** Series keys for the protocols the filter language names ('tcp', 'icmp6'...); the rest are 'other'. */
const PROTO_NAME = new Map<number, string>(Object.values(PROTOCOL_NAMES).map((num) => [num, protoKeyword(num)!]));
const DIRECTION_NAME = ['external', 'outbound', 'inbound', 'internal'];

/**
 * Traffic over time split by protocol, by service (port names plus FlowScan's passive
 * FTP rule), by direction relative to the case's internal networks (inbound, outbound,
 * internal, external), or not split ('total').
 */
export async function flowTimeSeries(
  store: CaseStore, opts: OverviewWindow & { binUs?: number; split?: SeriesSplit } = {},
): Promise<TimeSeries | OverviewFailure> {
  const split = opts.split ?? 'total';
  const s = await scope(store, opts);
  if (s === null) return { fromUs: opts.fromUs ?? 0, toUs: opts.toUs ?? 0, binUs: opts.binUs ?? BIN_5_MIN_US, split, keys: [], bins: [] };
  if (isOverviewFailure(s)) return s;
  const binUs = Math.max(1_000_000, Math.floor(opts.binUs ?? chooseBinUs(s.toUs - s.fromUs)));
  const params: Record<string, bigint | number | string> = { ...s.params, bin: BigInt(binUs) };
  // Keys are small integers in SQL (grouping by a string per row costs several times
  // more) and get their names here.
  let keySql = '0';
  let keyName: (code: number) => string = () => 'all';
  let prelude = '';
  let from = 'f';
  if (split === 'proto') {
    keySql = 'proto';
    keyName = (code) => PROTO_NAME.get(code) ?? 'other';
  }
  if (split === 'direction') {
    const nets = await getInternalNetworks(store);
    const si = internalSql('src_ip', nets, 'si');
    const di = internalSql('dst_ip', nets, 'di');
    Object.assign(params, si.params, di.params);
    keySql = `(CASE WHEN ${si.sql} THEN 1 ELSE 0 END + CASE WHEN ${di.sql} THEN 2 ELSE 0 END)`;
    keyName = (code) => DIRECTION_NAME[code];
  }
  if (split === 'service') {
    // svc: the constant port table; ctl: FTP control connections that may own data flows in the time range.
    prelude = `, svc(sproto, sport, code) AS (VALUES ${serviceValuesSql()}),
      ctl AS (SELECT least(src_ip, dst_ip) AS a, greatest(src_ip, dst_ip) AS b, start_us AS lo, end_us + ${FTP_DATA_LOOKBACK_US} AS hi
                FROM flows WHERE proto = 6 AND (dst_port = 21 OR src_port = 21)
                 AND start_us < CAST($w_to AS BIGINT) AND end_us + ${FTP_DATA_LOOKBACK_US} >= CAST($w_from AS BIGINT)),
      ftpdata AS (SELECT DISTINCT f.flow_id FROM f JOIN ctl ON ctl.a = least(f.src_ip, f.dst_ip) AND ctl.b = greatest(f.src_ip, f.dst_ip)
                   AND f.start_us BETWEEN ctl.lo AND ctl.hi
                 WHERE f.proto = 6 AND f.src_port >= 1024 AND f.dst_port >= 1024),
      keyed AS (SELECT f.*, CASE WHEN f.flow_id IN (SELECT flow_id FROM ftpdata) THEN -1 ELSE coalesce(d.code, o.code, 0) END AS k
                  FROM f LEFT JOIN svc d ON d.sproto = f.proto AND d.sport = f.dst_port
                         LEFT JOIN svc o ON o.sproto = f.proto AND o.sport = f.src_port)`;
    keySql = 'k';
    keyName = serviceName;
    from = 'keyed';
  }
  const sql = `WITH f AS (SELECT flow_id, start_us, end_us, proto, src_ip, dst_ip, src_port, dst_port,
                     bytes + coalesce(rev_bytes, 0) AS b, packets + coalesce(rev_packets, 0) AS p
                FROM flows WHERE ${s.where})${prelude}
    SELECT (start_us - CAST($w_from AS BIGINT)) // CAST($bin AS BIGINT) AS bin, ${keySql} AS key,
           count(*) AS flows, sum(p) AS packets, sum(b) AS bytes
      FROM ${from} GROUP BY ALL`;
  const rows = await store.all(sql, params);
  const secs = binUs / 1e6;
  const totals = new Map<string, number>();
  // Several codes can share a name (every unnamed protocol is 'other'): merge them.
  const merged = new Map<string, SeriesBin>();
  for (const r of rows) {
    const key = keyName(Number(r.key));
    const startUs = s.fromUs + Number(r.bin) * binUs;
    const id = `${startUs}|${key}`;
    let b = merged.get(id);
    if (!b) merged.set(id, (b = { startUs, key, flows: 0, packets: 0, bytes: 0, bps: 0, pps: 0, fps: 0 }));
    b.flows += Number(r.flows);
    b.packets += Number(r.packets);
    b.bytes += Number(r.bytes);
    totals.set(key, (totals.get(key) ?? 0) + Number(r.bytes));
  }
  const bins = [...merged.values()].sort((a, b) => a.startUs - b.startUs || a.key.localeCompare(b.key));
  for (const b of bins) {
    b.bps = (b.bytes * 8) / secs;
    b.pps = b.packets / secs;
    b.fps = b.flows / secs;
  }
  const keys = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  return { fromUs: s.fromUs, toUs: s.toUs, binUs, split, keys, bins };
}

export interface TalkerRow {
  addr: string;
  /** From the case's attached databases (null without one). */
  country: string | null;
  asn: number | null;
  asOrg: string | null;
  internal: boolean;
  flows: number;
  packets: number;
  bytes: number;
  bytesOut: number;
  bytesIn: number;
  /** First flow start and last flow end, UTC microseconds. */
  firstUs: number;
  lastUs: number;
  /** Bytes over the host's active time (first flow start to last flow end, at least 1 s), in bit/s. */
  bps: number;
}

/**
 * Hosts ranked by bytes, flows or packets (both directions of each flow count for both
 * of its hosts). `by: 'flows'` gives IPAudit-Web's busiest hosts.
 */
export async function topTalkers(
  store: CaseStore, opts: OverviewWindow & { by?: 'bytes' | 'flows' | 'packets'; limit?: number } = {},
): Promise<TalkerRow[] | OverviewFailure> {
  const s = await scope(store, opts);
  if (s === null) return [];
  if (isOverviewFailure(s)) return s;
  const order = { bytes: 'bytes_out + bytes_in', flows: 'flows', packets: 'packets' }[opts.by ?? 'bytes'];
  const limit = BigInt(Math.max(1, Math.min(10_000, Math.floor(opts.limit ?? 20))));
  const nets = await getInternalNetworks(store);
  const inside = internalSql('addr', nets, 'ni');
  // From the host index when it is current: its addr column is sorted and reads far
  // faster than the flows table's two address columns.
  const current = await hostIndexIsCurrent(store);
  const source = current ? `SELECT * FROM ${HOST_INDEX_TABLE}` : hostRowsFromFlows('');
  const rows = await store.all(
    `WITH h AS (
       SELECT addr_hi, addr_lo, start_us, end_us, CASE WHEN dir = 0 THEN bytes ELSE coalesce(rev_bytes, 0) END AS o,
              CASE WHEN dir = 0 THEN coalesce(rev_bytes, 0) ELSE bytes END AS i, packets + coalesce(rev_packets, 0) AS p
         FROM (${withFlowAddresses(source)}) WHERE ${s.where})
     SELECT ${ADDR_SQL} AS addr, ${inside.sql} AS internal, * EXCLUDE (addr_hi, addr_lo) FROM (
       SELECT addr_hi, addr_lo, count(*) AS flows, sum(p) AS packets, sum(o) AS bytes_out, sum(i) AS bytes_in,
              min(start_us) AS first_us, max(end_us) AS last_us
         FROM h GROUP BY addr_hi, addr_lo ORDER BY ${order} DESC, addr_hi, addr_lo LIMIT $limit)`,
    { ...s.params, ...inside.params, limit },
  );
  const context = await addressContext(store, rows.map((r) => BigInt(r.addr as bigint)));
  return rows.map((r) => {
    const c = context.get(BigInt(r.addr as bigint));
    const bytesOut = Number(r.bytes_out);
    const bytesIn = Number(r.bytes_in);
    const first = Number(r.first_us);
    const last = Number(r.last_us);
    const activeS = Math.max(1, (last - first) / 1e6);
    return {
      addr: formatIpBigInt(BigInt(r.addr as bigint)), country: c?.country ?? null, asn: c?.asn ?? null, asOrg: c?.asOrg ?? null,
      internal: !!r.internal, flows: Number(r.flows), packets: Number(r.packets),
      bytes: bytesOut + bytesIn, bytesOut, bytesIn, firstUs: first, lastUs: last, bps: ((bytesOut + bytesIn) * 8) / activeS,
    };
  });
}

export interface IncomingPortRow {
  proto: number;
  port: number;
  /**
   * Inbound attempts to the port: TCP flows whose originator sent SYN, or probed without
   * ACK (FIN, NULL, Xmas scans), or whose flags are unknown; UDP/SCTP flows.
   */
  attempts: number;
  /** Attempts the internal host answered (SYN+ACK, or reverse packets that were not a refusal). */
  answered: number;
  /** TCP attempts the host refused: it answered with RST and never with SYN+ACK. */
  refused: number;
  /** Attempts nothing came back for. */
  unanswered: number;
  sources: number;
  targets: number;
}

/** A source outside the internal networks that made refused or unanswered attempts inward. */
export interface ProberRow {
  addr: string;
  attempts: number;
  answered: number;
  refused: number;
  unanswered: number;
  /** Distinct destination ports (per protocol) and hosts it tried. */
  ports: number;
  targets: number;
  firstUs: number;
  lastUs: number;
}

/**
 * Inbound attempts (outside -> internal) with their outcome, as a SQL prelude defining
 * `attempt` (one row per attempt flow, with `outcome`). The answer of a unidirectional
 * record (NetFlow) is the reverse record of the same 5-tuple that starts between 1 s
 * before the attempt and 60 s after its end; a bidirectional record carries its own.
 */
async function attemptsSql(store: CaseStore, s: Scope): Promise<{ sql: string; params: Record<string, bigint | number | string> }> {
  const nets = await getInternalNetworks(store);
  const si = internalSql('src_ip', nets, 'si');
  const di = internalSql('dst_ip', nets, 'di');
  const sql = `WITH att AS (
      SELECT flow_id, proto, src_ip, dst_ip, src_port, dst_port, start_us, end_us, rev_packets, rev_tcp_flags
        FROM flows
       WHERE ${s.where} AND proto IN (6, 17, 132) AND NOT ${si.sql} AND ${di.sql}
         AND (proto <> 6 OR tcp_flags IS NULL OR (tcp_flags & 2) = 2 OR (tcp_flags & 20) = 0)
    ), rev AS (
      SELECT a.flow_id, sum(r.packets) AS pk, bit_or(r.tcp_flags) AS fl
        FROM att a JOIN flows r
          ON r.proto = a.proto AND r.src_ip = a.dst_ip AND r.dst_ip = a.src_ip AND r.src_port = a.dst_port AND r.dst_port = a.src_port
         AND r.start_us >= a.start_us - 1000000 AND r.start_us <= a.end_us + 60000000
       WHERE a.rev_packets IS NULL
         AND r.start_us >= CAST($w_from AS BIGINT) - 1000000 AND r.start_us < CAST($w_to AS BIGINT) + 60000000
       GROUP BY a.flow_id
    ), paired AS (
      SELECT a.*, coalesce(a.rev_packets, rv.pk, 0) AS rp, coalesce(a.rev_tcp_flags, rv.fl) AS rf
        FROM att a LEFT JOIN rev rv USING (flow_id)
    ), attempt AS (
      SELECT *, CASE
          WHEN proto = 6 AND rf IS NOT NULL AND (rf & 4) = 4 AND (rf & 2) = 0 THEN 'refused'
          WHEN rp > 0 OR (coalesce(rf, 0) & 18) = 18 THEN 'answered'
          ELSE 'unanswered' END AS outcome
        FROM paired
    )`;
  return { sql, params: { ...s.params, ...si.params, ...di.params } };
}

const OUTCOME_COUNTS = `count(*) AS attempts,
            count(*) FILTER (WHERE outcome = 'answered') AS answered,
            count(*) FILTER (WHERE outcome = 'refused') AS refused,
            count(*) FILTER (WHERE outcome = 'unanswered') AS unanswered`;

/**
 * Connection attempts from outside to internal hosts per destination port (IPAudit-Web's
 * incoming report), each answered, refused (RST) or unanswered: a scan is the refused
 * and unanswered part.
 */
export async function incomingConnectionAttempts(
  store: CaseStore, opts: OverviewWindow & { limit?: number } = {},
): Promise<IncomingPortRow[] | OverviewFailure> {
  const s = await scope(store, opts);
  if (s === null) return [];
  if (isOverviewFailure(s)) return s;
  const a = await attemptsSql(store, s);
  const limit = BigInt(Math.max(1, Math.min(65536, Math.floor(opts.limit ?? 50))));
  const rows = await store.all(
    `${a.sql}
     SELECT proto, dst_port AS port, ${OUTCOME_COUNTS},
            count(DISTINCT src_ip) AS sources, count(DISTINCT dst_ip) AS targets
       FROM attempt
      GROUP BY proto, dst_port ORDER BY attempts DESC, port LIMIT $limit`,
    { ...a.params, limit },
  );
  return rows.map((r) => ({
    proto: Number(r.proto), port: Number(r.port), attempts: Number(r.attempts), answered: Number(r.answered),
    refused: Number(r.refused), unanswered: Number(r.unanswered), sources: Number(r.sources), targets: Number(r.targets),
  }));
}

/**
 * The outside sources with the most refused or unanswered attempts inward: a port scan
 * is one source with many ports, a sweep one source with many hosts. A scan spread over
 * a thousand ports has one attempt per port and hides in a per-port chart; here it leads.
 */
export async function incomingProbers(
  store: CaseStore, opts: OverviewWindow & { limit?: number } = {},
): Promise<ProberRow[] | OverviewFailure> {
  const s = await scope(store, opts);
  if (s === null) return [];
  if (isOverviewFailure(s)) return s;
  const a = await attemptsSql(store, s);
  const limit = BigInt(Math.max(1, Math.min(10000, Math.floor(opts.limit ?? 10))));
  const rows = await store.all(
    `${a.sql}
     SELECT src_ip AS addr, ${OUTCOME_COUNTS},
            count(DISTINCT (proto, dst_port)) AS ports, count(DISTINCT dst_ip) AS targets,
            min(start_us) AS first_us, max(start_us) AS last_us
       FROM attempt
      GROUP BY src_ip HAVING count(*) FILTER (WHERE outcome <> 'answered') > 0
      ORDER BY count(*) FILTER (WHERE outcome <> 'answered') DESC, src_ip LIMIT $limit`,
    { ...a.params, limit },
  );
  return rows.map((r) => ({
    addr: formatIpBigInt(BigInt(r.addr as bigint)), attempts: Number(r.attempts), answered: Number(r.answered),
    refused: Number(r.refused), unanswered: Number(r.unanswered), ports: Number(r.ports), targets: Number(r.targets),
    firstUs: Number(r.first_us), lastUs: Number(r.last_us),
  }));
}

export interface HostCounts {
  hosts: number;
  internalHosts: number;
  externalHosts: number;
  flows: number;
  tcp: number;
  udp: number;
  icmp: number;
  other: number;
  packets: number;
  bytes: number;
}

/** How many hosts (inside and outside) and connections by protocol, as IPAudit-Web's summary. */
export async function hostCounts(store: CaseStore, opts: OverviewWindow = {}): Promise<HostCounts | OverviewFailure> {
  const s = await scope(store, opts);
  const empty: HostCounts = { hosts: 0, internalHosts: 0, externalHosts: 0, flows: 0, tcp: 0, udp: 0, icmp: 0, other: 0, packets: 0, bytes: 0 };
  if (s === null) return empty;
  if (isOverviewFailure(s)) return s;
  const nets = await getInternalNetworks(store);
  const inside = internalSql('a', nets, 'ni');
  const r = await store.one(
    `WITH f AS (SELECT src_ip, dst_ip, proto, packets + coalesce(rev_packets, 0) AS p, bytes + coalesce(rev_bytes, 0) AS b FROM flows WHERE ${s.where}),
          hosts AS (SELECT DISTINCT a FROM (SELECT src_ip AS a FROM f UNION ALL SELECT dst_ip FROM f))
     SELECT (SELECT count(*) FROM hosts) AS hosts, (SELECT count(*) FROM hosts WHERE ${inside.sql}) AS internal_hosts,
            count(*) AS flows, count(*) FILTER (WHERE proto = 6) AS tcp, count(*) FILTER (WHERE proto = 17) AS udp,
            count(*) FILTER (WHERE proto IN (1, 58)) AS icmp, coalesce(sum(p), 0) AS packets, coalesce(sum(b), 0) AS bytes
       FROM f`,
    { ...s.params, ...inside.params },
  );
  if (!r) return empty;
  const flows = Number(r.flows);
  const tcp = Number(r.tcp);
  const udp = Number(r.udp);
  const icmp = Number(r.icmp);
  return {
    hosts: Number(r.hosts), internalHosts: Number(r.internal_hosts), externalHosts: Number(r.hosts) - Number(r.internal_hosts),
    flows, tcp, udp, icmp, other: flows - tcp - udp - icmp, packets: Number(r.packets), bytes: Number(r.bytes),
  };
}
