import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../core/store/case-store';
import { rebuildHostIndex } from '../core/store/host-index';
import { hostFlows, hostSummary, isPivotFailure } from '../core/query/pivot-queries';
import { flowTimeSeries, topTalkers } from '../core/query/overview-queries';
import { filterToSql } from '../core/query/compile-filter';

export interface QueryBenchOptions {
  readonly flows: number;
  readonly json: boolean;
  /** Keep the case file (its path is printed) instead of deleting it. */
  readonly keep?: boolean;
}

export interface QueryBenchLine {
  readonly name: string;
  readonly flows: number;
  readonly ms: number;
}

const T0 = Date.UTC(2024, 0, 8) * 1000;
const SPAN_US = 7 * 86400 * 1_000_000;
const V4 = 281470681743360n; // ::ffff:0.0.0.0
const v4 = (a: number, b: number, c: number, d: number) => V4 + BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d);
/** The heaviest host: an internal DNS resolver/proxy that ~10% of all flows touch. */
const HEAVY = v4(10, 9, 9, 9);
/** Internal clients are 10.0.x.y, 5000 of them, each in roughly the same number of flows. */
const CLIENTS = 5000;
const clientAddr = (k: number) => v4(10, 0, Math.floor(k / 250), (k % 250) + 1);

/**
 * Generates N synthetic flows inside DuckDB (INSERT ... SELECT from range(), addresses
 * derived from hashes: one very heavy internal server, 5000 internal clients, 2000
 * popular external servers, a long tail of random external hosts, inbound scans, 3% IPv6;
 * start times spread over 7 days in flow_id order like consecutive imports), builds the
 * host index and times the pivot and overview queries a user waits for.
 */
export async function runQueryBench(opts: QueryBenchOptions): Promise<QueryBenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'flowcase-query-bench-'));
  const path = join(dir, 'bench.duckdb');
  const lines: QueryBenchLine[] = [];
  const N = opts.flows;
  const report = (name: string, ms: number, extra = '') => {
    const line = { name, flows: N, ms: Math.round(ms * 10) / 10 };
    lines.push(line);
    if (opts.json) console.log(JSON.stringify(line));
    else console.log(`${name.padEnd(32)} ${String(line.ms).padStart(9)} ms  ${extra}`);
  };
  const timed = async <T>(name: string, fn: () => Promise<T>, extra?: (r: T) => string): Promise<T> => {
    const t = performance.now();
    const r = await fn();
    report(name, performance.now() - t, extra ? extra(r) : '');
    return r;
  };
  let store = await CaseStore.open(path);
  try {
    await timed('generate-flows', () => generate(store, N));
    const idx = await timed('host-index-build', () => rebuildHostIndex(store), (r) => `${r.rows} rows`);
    void idx;
    store.close();

    // First query after opening the case (the OS page cache is warm: this is DuckDB's own start-up).
    store = await CaseStore.open(path);
    await timed('pivot-summary-first-after-open', () => hostSummary(store, clientAddr(17)));

    const typical = [101, 2002, 3303, 4404, 1234].map(clientAddr);
    const med = async (name: string, fn: (a: bigint) => Promise<unknown>, check?: (r: unknown) => string) => {
      const times: number[] = [];
      let last: unknown;
      for (const a of typical) {
        const t = performance.now();
        last = await fn(a);
        times.push(performance.now() - t);
      }
      times.sort((x, y) => x - y);
      report(name, times[Math.floor(times.length / 2)], `median of ${times.length}, max ${times[times.length - 1].toFixed(1)} ms${check ? `; ${check(last)}` : ''}`);
    };
    await med('pivot-summary-typical', (a) => hostSummary(store, a), (r) => isPivotFailure(r) ? 'failed' : `${(r as { flows: number }).flows} flows`);
    await med('pivot-flows-newest-1000-typical', (a) => hostFlows(store, a, { limit: 1000 }), (r) => isPivotFailure(r) ? 'failed' : `${(r as { rows: unknown[] }).rows.length} rows`);
    await med('pivot-flows-typical-1h', (a) => hostFlows(store, a, { limit: 1000, fromUs: T0 + 86400e6, toUs: T0 + 86400e6 + 3600e6 }));
    await timed('pivot-summary-heaviest', () => hostSummary(store, HEAVY), (r) => isPivotFailure(r) ? 'failed' : `${r.flows} flows, ${r.peers.length} peers`);
    await timed('pivot-flows-newest-1000-heaviest', () => hostFlows(store, HEAVY, { limit: 1000 }));
    await timed('pivot-summary-filtered-typical', () => hostSummary(store, clientAddr(101), { filter: 'tcp and bytes > 1k' }), (r) => isPivotFailure(r) ? r.error.message : `${r.flows} flows`);

    const hourFrom = T0 + 3 * 86400e6 + 10 * 3600e6;
    await timed('window-1h-flows-page', async () => {
      const f = filterToSql('tcp');
      if (!f.ok) throw new Error(f.error.message);
      return store.all(`SELECT * FROM flows WHERE start_us >= $a AND start_us < $b AND ${f.sql} ORDER BY start_us LIMIT 1000`, { ...f.params, a: BigInt(hourFrom), b: BigInt(hourFrom + 3600e6) });
    });
    await timed('window-1h-series-5min', () => flowTimeSeries(store, { fromUs: hourFrom, toUs: hourFrom + 3600e6, binUs: 300e6, split: 'proto' }), (r) => ('bins' in r ? `${r.bins.length} bins` : r.error.message));
    await timed('series-5min-1day', () => flowTimeSeries(store, { fromUs: T0 + 86400e6, toUs: T0 + 2 * 86400e6, binUs: 300e6, split: 'proto' }), (r) => ('bins' in r ? `${r.bins.length} bins` : r.error.message));
    await timed('series-auto-7days', () => flowTimeSeries(store, { split: 'proto' }), (r) => ('bins' in r ? `${r.bins.length} bins of ${r.binUs / 1e6} s` : r.error.message));
    await timed('top-talkers-7days', () => topTalkers(store, { by: 'bytes', limit: 20 }), (r) => (Array.isArray(r) ? `${r.length} hosts` : r.error.message));
    // A further import of a tenth as many flows (one more evidence file): the index grows by one sorted run.
    const more = Math.max(1, Math.round(N / 10));
    await generate(store, more, 2, N, N + more);
    await timed('host-index-append-10pct', () => rebuildHostIndex(store), (r) => `${r.mode}, ${r.runs} runs, ${r.rows} rows`);
    await med('pivot-summary-typical-2-runs', (a) => hostSummary(store, a), (r) => isPivotFailure(r) ? 'failed' : `${(r as { flows: number }).flows} flows`);
    if (opts.keep) console.error(`case kept at ${path}`);
  } finally {
    store.close();
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

/** Synthetic flows; every choice is a hash of the row number, so runs are repeatable. */
async function generate(store: CaseStore, n: number, evidenceId = 1, firstRow = 0, total = n): Promise<void> {
  await store.run(
    `INSERT INTO evidence (evidence_id, path, name, size, sha256, format, position_unit, imported_at_us, tool_version, records, rejected)
     VALUES ($id, 'synthetic', 'synthetic', 0, $sha, 'nfcapd', 'byte', 0, 'bench', $n, 0)`,
    { id: evidenceId, sha: `synthetic-${evidenceId}`, n: BigInt(n) },
  );
  const chunk = 5_000_000;
  for (let lo = firstRow; lo < firstRow + n; lo += chunk) {
    const hi = Math.min(firstRow + n, lo + chunk);
    await store.run(`
      INSERT INTO flows (flow_id, evidence_id, src_pos, start_us, end_us, proto, ip_version, src_ip, dst_ip, src_port, dst_port,
        packets, bytes, rev_packets, rev_bytes, tcp_flags, rev_tcp_flags, state)
      SELECT i + 1, ${evidenceId}, i * 48, st, st + dur, proto, CASE WHEN v6 THEN 6 ELSE 4 END, src, dst, sport, dport,
        pk, byt, CASE WHEN bidir THEN pk ELSE NULL END, CASE WHEN bidir THEN byt * 3 ELSE NULL END,
        CASE WHEN proto = 6 THEN (CASE WHEN kind = 3 THEN 2 ELSE 27 END) ELSE NULL END,
        CASE WHEN proto = 6 AND bidir THEN (CASE WHEN kind = 3 THEN 20 ELSE 27 END) ELSE NULL END,
        CASE WHEN kind = 3 THEN (CASE WHEN h4 % 2 = 0 THEN 'REJ' ELSE 'S0' END) ELSE 'SF' END
      FROM (
        SELECT *,
          CAST(${T0} + (i::HUGEINT * ${SPAN_US} // ${total}) + (h1 % 1000000) AS BIGINT) AS st,
          CAST(CASE WHEN h2 % 100 < 90 THEN h2 % 2000000 ELSE h2 % 600000000 END AS BIGINT) AS dur,
          CASE WHEN kind = 1 THEN 17 WHEN kind = 4 THEN 1 ELSE (CASE WHEN h3 % 100 < 85 THEN 6 ELSE 17 END) END::UTINYINT AS proto,
          CASE
            WHEN v6 THEN (42540766411282592856903984951653826560 + (h4 % 5000))::UHUGEINT
            WHEN kind = 3 THEN (${V4} + (h4 % 4294967296))::UHUGEINT
            ELSE (${V4} + 167772160 + ((h4 % ${CLIENTS}) // 250) * 256 + (h4 % ${CLIENTS}) % 250 + 1)::UHUGEINT
          END AS src,
          CASE
            WHEN v6 THEN (42540766411282592856903984951653826560 + 1000000 + (h5 % 300))::UHUGEINT
            WHEN kind = 1 THEN ${HEAVY}::UHUGEINT
            WHEN kind = 3 THEN (${V4} + 167772160 + ((h5 % ${CLIENTS}) // 250) * 256 + (h5 % ${CLIENTS}) % 250 + 1)::UHUGEINT
            WHEN kind = 2 THEN (${V4} + ((h5 % 2000) * 2654435761) % 4294967296)::UHUGEINT
            ELSE (${V4} + (h5 % 4294967296))::UHUGEINT
          END AS dst,
          (1024 + h6 % 64000)::USMALLINT AS sport,
          CASE WHEN kind = 1 THEN 53 WHEN kind = 3 THEN 1 + h6 % 1024 WHEN kind = 4 THEN 0
               ELSE [443, 443, 443, 80, 80, 22, 25, 993, 8080, 3389][CAST(1 + h7 % 10 AS BIGINT)] END::USMALLINT AS dport,
          CAST(1 + (h8 % 200) * (h8 % 7) AS UBIGINT) AS pk,
          CAST(40 + (h8 % 1000) * (h8 % 1000) * (h8 % 3) AS UBIGINT) AS byt,
          (kind <> 3 AND h3 % 10 < 7) AS bidir
        FROM (
          SELECT i, hash(i, 1) AS h1, hash(i, 2) AS h2, hash(i, 3) AS h3, hash(i, 4) AS h4, hash(i, 5) AS h5,
            hash(i, 6) AS h6, hash(i, 7) AS h7, hash(i, 8) AS h8,
            -- kind: 1 DNS to the heavy server (10%), 2 popular external server (45%), 3 inbound scan (4%),
            -- 4 ICMP (1%), else the long tail of random external hosts.
            CASE WHEN hash(i, 9) % 100 < 10 THEN 1 WHEN hash(i, 9) % 100 < 55 THEN 2 WHEN hash(i, 9) % 100 < 59 THEN 3
                 WHEN hash(i, 9) % 100 < 60 THEN 4 ELSE 5 END AS kind,
            hash(i, 10) % 100 < 3 AS v6
          FROM range(${lo}, ${hi}) t(i)
        )
      )`);
  }
  await store.run('CHECKPOINT');
}

// `tsx bench/query-bench.ts 10000000 [--json] [--keep]`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  const n = Number(process.argv[2] ?? 1_000_000);
  await runQueryBench({ flows: n, json: process.argv.includes('--json'), keep: process.argv.includes('--keep') });
}
