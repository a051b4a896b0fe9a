import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rebuildSessions } from '../core/analysis/sessions/rebuild-sessions';
import { assessBreach } from '../core/analysis/timeline/assessment';
import { buildStory } from '../core/analysis/timeline/story';
import { buildTimeline } from '../core/analysis/timeline/timeline-events';
import { renderHtmlReport } from '../core/report/html-report';
import { gatherReport } from '../core/report/report-data';
import { CaseStore } from '../core/store/case-store';
import { updateFlowBins } from '../core/store/flow-bins';
import { rebuildHostIndex } from '../core/store/host-index';
import { timed, type Reporter } from './report';

const V4 = 281470681743360n; // ::ffff:0:0
const ip = (a: number, b: number, c: number, d: number): string => (V4 + BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d)).toString();
const BASE_US = 1_710_201_600_000_000n; // 2024-03-12T00:00Z
const HOUR = 3_600_000_000n;
const VICTIM = '10.0.0.5';

/**
 * Timeline, story, assessment and report for one host over a synthetic case of N flows:
 * 5,000 internal hosts talking to 20,000 external ones for a day through two exporters
 * (one sampled 1:100 that goes silent at 20:00, one with a 20-minute gap at 10:00), and
 * the victim 10.0.0.5 scanned at 08:00, entered at 09:00 and sending data out 11:00-15:00.
 * Sessions, the host index and the flow bins are built first (as an import does); the
 * figures are the analysis alone.
 */
export async function runStage(o: { outDir: string; count: number; report: Reporter; fresh: (name: string) => string }): Promise<void> {
  const path = o.fresh('timeline.duckdb');
  const store = await CaseStore.open(path, { memoryLimit: '2GB' });
  try {
    const n = BigInt(o.count);
    for (const [id, name, sampling] of [[1, 'router-e1', 'NULL'], [2, 'router-e2-sampled', '100']] as const) {
      await store.run(
        `INSERT INTO evidence (evidence_id, path, name, size, sha256, format, position_unit, imported_at_us, tool_version, records, rejected)
         VALUES ($id, $name, $name, 0, $sha, 'nfcapd', 'byte', 0, 'bench', 0, 0)`, { id, name, sha: `${id}`.repeat(64) });
      const share = id === 1 ? (n * 9n) / 10n : n / 10n;
      const offset = id === 1 ? 0n : (n * 9n) / 10n;
      // Row r: conversation r // 2 between internal host (r // 2) % 5000 and external (r // 2) % 20000; rev = r % 2.
      await store.run(`
        INSERT INTO flows (flow_id, evidence_id, src_pos, start_us, end_us, proto, ip_version, src_ip, dst_ip, src_port, dst_port,
                           packets, bytes, tcp_flags, exporter_ip, sampling)
        SELECT $off + r + 1, $id, r * 48, t, t + 5000000, 6, 4,
          CASE WHEN rev = 1 THEN ext ELSE int END, CASE WHEN rev = 1 THEN int ELSE ext END,
          CASE WHEN rev = 1 THEN 443 ELSE cport END, CASE WHEN rev = 1 THEN cport ELSE 443 END,
          5, CASE WHEN rev = 1 THEN 6000 ELSE 900 END, 27, $exporter::UHUGEINT, ${sampling}
        FROM (
          SELECT r, r % 2 AS rev, $base + (r // 2) * (86400000000 // ($share // 2 + 1)) AS t,
            ($v4::UHUGEINT + 167772160 + ((r // 2) % 5000))::UHUGEINT AS int,
            ($v4::UHUGEINT + 3323068416 + ((r // 2) % 20000))::UHUGEINT AS ext,
            (1024 + (r // 2) % 60000)::USMALLINT AS cport
          FROM range($share::BIGINT) t(r)
        ) WHERE ${id === 1 ? 't NOT BETWEEN $base + 10 * $hour AND $base + 10 * $hour + 1200000000' : 't < $base + 20 * $hour'}`,
        { off: offset, id, share, base: BASE_US, hour: HOUR, v4: V4.toString(), exporter: ip(10, 255, 0, id) });
    }
    // The attack on the victim (exporter 1).
    const victim = ip(10, 0, 0, 5);
    const attacker = ip(203, 0, 113, 9);
    await store.run(`
      INSERT INTO flows (flow_id, evidence_id, src_pos, start_us, end_us, proto, ip_version, src_ip, dst_ip, src_port, dst_port, packets, bytes, tcp_flags, exporter_ip)
      SELECT $n + 1 + r, 1, r * 48, $base + 8 * $hour + (r // 2) * 1000000, $base + 8 * $hour + (r // 2) * 1000000, 6, 4,
        CASE WHEN r % 2 = 0 THEN $a ELSE $v END::UHUGEINT, CASE WHEN r % 2 = 0 THEN $v ELSE $a END::UHUGEINT,
        CASE WHEN r % 2 = 0 THEN 61000 ELSE 1 + r // 2 END, CASE WHEN r % 2 = 0 THEN 1 + r // 2 ELSE 61000 END, 1, 40,
        CASE WHEN r % 2 = 0 THEN 2 ELSE 20 END, $e1::UHUGEINT
      FROM range(2000) t(r)`, { n, base: BASE_US, hour: HOUR, a: attacker, v: victim, e1: ip(10, 255, 0, 1) });
    const pairs: [string, string, number, number, bigint, bigint, number, number][] = [
      [attacker, victim, 62000, 22, 9n * HOUR, 9n * HOUR + 1_200_000_000n, 50_000, 60_000],
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i): [string, string, number, number, bigint, bigint, number, number] =>
        [victim, ip(198, 51, 100, 7 + (i % 3)), 53000 + i, 443, 11n * HOUR + BigInt(i) * 1_500_000_000n, 11n * HOUR + BigInt(i) * 1_500_000_000n + 120_000_000n, 40_000, 10_000_000]),
    ];
    let id = o.count + 3000;
    for (const [c, s, cp, sp, t0, t1, cb, sb] of pairs) {
      for (const [src, dst, spt, dpt, bytes] of [[c, s, cp, sp, cb], [s, c, sp, cp, sb]] as const) {
        await store.run(`INSERT INTO flows (flow_id, evidence_id, src_pos, start_us, end_us, proto, ip_version, src_ip, dst_ip, src_port, dst_port, packets, bytes, tcp_flags, exporter_ip)
          VALUES ($id, 1, 0, $t0, $t1, 6, 4, $src::UHUGEINT, $dst::UHUGEINT, $sp, $dp, $pk, $b, 27, $e1::UHUGEINT)`,
        { id: ++id, t0: BASE_US + t0, t1: BASE_US + t1, src, dst, sp: spt, dp: dpt, pk: Math.ceil(bytes / 1400), b: bytes, e1: ip(10, 255, 0, 1) });
      }
    }
    await store.run(`UPDATE evidence SET records = (SELECT count(*) FROM flows f WHERE f.evidence_id = evidence.evidence_id)`);
    await store.run('CHECKPOINT');
    const flows = Number(await store.value(`SELECT count(*) FROM flows`));
    // What an import builds after the flows: sessions, the host index, the flow bins.
    const sessions = await rebuildSessions(store);
    const index = await timed(() => rebuildHostIndex(store));
    const bins = await timed(() => updateFlowBins(store));
    await store.run('CHECKPOINT');
    o.report({ name: 'timeline-setup', flows, sessions_ms: Math.round(sessions.ms), sessions: sessions.sessions,
      host_index_ms: Math.round(index.ms), flow_bins_ms: Math.round(bins.ms) });
    const since = Number(BASE_US + 9n * HOUR);

    const story = await timed(() => buildStory(store, VICTIM));
    o.report({ name: 'story-one-host', flows, ms: Math.round(story.ms), entries: story.value.entries.length });
    const timeline = await timed(() => buildTimeline(store, { hosts: [VICTIM] }));
    o.report({ name: 'timeline-one-host', flows, ms: Math.round(timeline.ms), events: timeline.value.events.length });
    const assess = await timed(() => assessBreach(store, { hosts: [VICTIM], sinceUs: since }));
    o.report({ name: 'assessment-one-host', flows, ms: Math.round(assess.ms), bytes_out: assess.value.bytes_out, gaps: assess.value.coverage.gaps.length });
    o.report({ name: 'timeline+assessment-one-host', flows, ms: Math.round(timeline.ms + assess.ms) });
    const report = await timed(async () => renderHtmlReport(await gatherReport(store, { hosts: [VICTIM], generatedUs: Date.now() * 1000 })));
    writeFileSync(join(o.outDir, 'timeline-report.html'), report.value);
    o.report({ name: 'report-one-host', flows, ms: Math.round(report.ms), html_bytes: report.value.length });
  } finally {
    store.close();
  }
}
