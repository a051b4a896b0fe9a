import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rebuildSessions } from '../core/analysis/sessions/rebuild-sessions';
import { CaseStore } from '../core/store/case-store';

export interface SessionsBenchOptions {
  /** Flow rows to generate (4 per conversation: both directions, each split once by a timeout). */
  readonly flows: number;
  /** Print JSON lines instead of text. */
  readonly json: boolean;
}

export interface SessionsBenchResult {
  readonly name: 'sessions-build';
  readonly flows: number;
  readonly sessions: number;
  readonly ms: number;
  /** CPU time of the process (all DuckDB threads), less sensitive to a busy machine than ms. */
  readonly cpuMs: number;
}

/**
 * Times rebuildSessions() over N synthetic unidirectional NetFlow-like records made inside
 * DuckDB: each conversation is client->server and server->client, each direction split
 * into two records 30 s apart (an active-timeout split below the idle limit), so N flows
 * give N/4 sessions.
 */
export async function runSessionsBench(opts: SessionsBenchOptions): Promise<SessionsBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'flowcase-sessions-bench-'));
  const store = await CaseStore.open(join(dir, 'bench.duckdb'), { memoryLimit: '1500MB' });
  try {
    await store.run(
      `INSERT INTO evidence (evidence_id, path, name, size, sha256, format, position_unit, imported_at_us, tool_version, records, rejected)
       VALUES (1, 'synthetic', 'synthetic', 0, 'synthetic', 'nfcapd', 'byte', 0, 'bench', $n, 0)`,
      { n: BigInt(opts.flows) },
    );
    // Row r: conversation c = r // 4; part = (r % 4) // 2 (timeout split); rev = r % 2.
    await store.run(`
      INSERT INTO flows (flow_id, evidence_id, src_pos, start_us, end_us, proto, ip_version, src_ip, dst_ip,
        src_port, dst_port, packets, bytes, tcp_flags)
      SELECT r + 1, 1, r * 48,
        t0 + part * 30000000 + rev * 1000, t0 + part * 30000000 + 20000000,
        6, 4,
        CASE WHEN rev = 1 THEN srv ELSE cli END, CASE WHEN rev = 1 THEN cli ELSE srv END,
        CASE WHEN rev = 1 THEN 443 ELSE cport END, CASE WHEN rev = 1 THEN cport ELSE 443 END,
        10, 4000,
        CASE WHEN part = 0 THEN 2 | 16 | 8 ELSE 16 | 8 | 1 END
      FROM (
        SELECT r, (r // 4) AS c, (r % 4) // 2 AS part, r % 2 AS rev,
          1700000000000000 + (r // 4) * 2000 AS t0,
          (281470681743360 + 167772160 + ((r // 4) % 65000))::UHUGEINT AS cli,
          (281470681743360 + 3232235520 + ((r // 4) % 997))::UHUGEINT AS srv,
          (1024 + ((r // 4) // 65000) % 60000)::USMALLINT AS cport
        FROM range($n::BIGINT) t(r)
      )`, { n: BigInt(opts.flows) });
    await store.run('CHECKPOINT');
    const cpu = process.cpuUsage();
    const r = await rebuildSessions(store);
    const used = process.cpuUsage(cpu);
    const out: SessionsBenchResult = {
      name: 'sessions-build', flows: opts.flows, ms: Math.round(r.ms), sessions: r.sessions,
      cpuMs: Math.round((used.user + used.system) / 1000),
    };
    if (opts.json) console.log(JSON.stringify(out));
    else console.log(`sessions-build: ${opts.flows} flows -> ${r.sessions} sessions in ${out.ms} ms (${out.cpuMs} ms CPU)`);
    return out;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/sessions-bench.ts [flows] [--json]`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
  await runSessionsBench({ flows: n, json: process.argv.includes('--json') });
}
