import { join } from 'node:path';
import { rebuildSessions } from '../../core/analysis/sessions/rebuild-sessions';
import { FlowBatch, type FlowInput } from '../../core/model/flow-batch';
import { ipToBigInt, parseIp } from '../../core/model/ip';
import { CaseStore } from '../../core/store/case-store';
import { FlowChunkWriter } from '../../core/store/flow-chunk-writer';
import { tempDir } from './temp';

/** TCP flag bits (RFC 9293 order). */
const FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16;

/** One flow in test shorthand: addresses as text, times in seconds after the case's base time. */
export interface VFlow {
  src: string; dst: string; sp: number; dp: number; proto?: number;
  t0: number; t1?: number; pkts?: number; bytes?: number; flags?: number;
  /** Reverse direction for bidirectional records. */
  revPkts?: number; revBytes?: number; revFlags?: number;
  /** ICMP type (and code) of the record. */
  icmpType?: number; icmpCode?: number;
}

export interface VEvidence {
  name: string;
  format: string;
  exporter?: string;
  sampling?: number;
  clockOffsetUs?: number;
  flows: VFlow[];
}

/** 2024-03-12T09:00:00Z in seconds: the built cases' base time. */
export const BASE_S = 1710234000;
export const us = (secondsAfterBase: number): number => Math.round((BASE_S + secondsAfterBase) * 1e6);

/** Writes evidence rows and flows straight into a case (no decoder), then builds sessions. */
export async function writeEvidence(store: CaseStore, list: VEvidence[]): Promise<number[]> {
  let nextFlow = Number(await store.value(`SELECT coalesce(max(flow_id), 0) + 1 FROM flows`));
  const ids: number[] = [];
  for (const ev of list) {
    const id = Number(await store.value(`SELECT (coalesce(max(evidence_id), 0) + 1)::INTEGER FROM evidence`));
    const batch = new FlowBatch(Math.max(1, ev.flows.length));
    ev.flows.forEach((f, i) => batch.push(toInput(f, 24 + i * 48, ev)));
    batch.stamp(id, nextFlow);
    nextFlow += ev.flows.length;
    const writer = await FlowChunkWriter.open(store.connection);
    writer.write(batch);
    writer.flush();
    writer.close();
    const times = ev.flows.flatMap((f) => [us(f.t0), us(f.t1 ?? f.t0)]);
    await store.run(
      `INSERT INTO evidence (evidence_id, path, name, size, sha256, format, position_unit, imported_at_us, tool_version, records, rejected,
                             first_us, last_us, clock_offset_us, issues)
       VALUES ($id, $path, $name, $size, $sha, $format, 'byte', 0, 'flowcase-test 1', $n, 0, $first, $last, $off, $issues)`,
      {
        id, path: `/evidence/${ev.name}`, name: ev.name, size: BigInt(24 + ev.flows.length * 48),
        sha: `${String(id).padStart(2, '0')}${'ab'.repeat(31)}`, format: ev.format, n: BigInt(ev.flows.length),
        first: BigInt(Math.min(...times)), last: BigInt(Math.max(...times)), off: BigInt(ev.clockOffsetUs ?? 0),
        issues: JSON.stringify(ev.name.includes('sampled')
          ? { kept: [{ code: 'truncated-record', offset: 1000, message: 'record cut short' }], byCode: { 'truncated-record': 1 } } : { kept: [], byCode: {} }),
      },
    );
    ids.push(id);
  }
  await rebuildSessions(store);
  return ids;
}

function toInput(f: VFlow, pos: number, ev: VEvidence): FlowInput {
  const ip = (s: string) => {
    const v = parseIp(s);
    if (v === null) throw new Error(`bad test address ${s}`);
    return v;
  };
  return {
    pos, startUs: us(f.t0), endUs: us(f.t1 ?? f.t0), proto: f.proto ?? 6, src: ip(f.src), dst: ip(f.dst), srcPort: f.sp, dstPort: f.dp,
    packets: f.pkts ?? 1, bytes: f.bytes ?? 60 * (f.pkts ?? 1), revPackets: f.revPkts, revBytes: f.revBytes, tcpFlags: f.flags,
    revTcpFlags: f.revFlags, icmpType: f.icmpType, icmpCode: f.icmpCode, exporter: ev.exporter ? ip(ev.exporter) : undefined, sampling: ev.sampling,
  };
}

/** The actors of the victim case. */
export const V = '10.0.0.5';
export const ATTACKER = '203.0.113.9';
export const D1 = '198.51.100.7';
export const D2 = '192.0.2.44';
export const OLD_PEER = '93.184.216.34';
export const DNS = '10.0.0.53';
export const E1 = '10.255.0.1';
export const E2 = '10.255.0.2';

/** Both directions of a TCP connection as two unidirectional NetFlow records. */
function tcpPair(c: string, s: string, cp: number, sp: number, t0: number, t1: number, outBytes: number, inBytes: number, closing = FIN): VFlow[] {
  const pk = (b: number) => Math.max(3, Math.ceil(b / 1400));
  return [
    { src: c, dst: s, sp: cp, dp: sp, t0, t1, pkts: pk(outBytes), bytes: outBytes, flags: SYN | ACK | PSH | closing },
    { src: s, dst: c, sp, dp: cp, t0, t1, pkts: pk(inBytes), bytes: inBytes, flags: SYN | ACK | PSH | closing },
  ];
}

/**
 * The story the unit tests tell (times in seconds after 09:00Z, 12 March 2024):
 *  - exporter E1 (unsampled, both directions) sees the victim from 08:00 to 12:00, with a
 *    gap 10:30–10:50 while background traffic is otherwise continuous (one flow a minute);
 *  - 08:00–09:00 the victim talks to DNS and to an old external peer (not new afterwards);
 *  - 09:10 the attacker scans 40 ports of the victim (SYN answered by RST: REJ);
 *  - 09:30 the attacker's SSH session succeeds (the foothold), 09:40 the victim downloads
 *    2 MB from the attacker, 10:00 the victim serves a new port 4444 to the attacker;
 *  - 10:10, 10:20, 11:00 the victim sends 10 MB each to D1:443 (E1);
 *  - exporter E2 (sampled 1 in 100, one direction only, clock offset +2.5 s recorded) sees
 *    5 flows of 1000 bytes from the victim to D2:53/udp at 10:15 and goes silent at 11:30.
 */
export function victimEvidence(): VEvidence[] {
  const e1: VFlow[] = [];
  // Background: one internal flow a minute from 08:00 to 12:00, none 10:30–10:50.
  for (let m = -60; m < 180; m++) {
    if (m >= 90 && m < 110) continue;
    e1.push({ src: '10.0.0.20', dst: '10.0.0.21', sp: 40000 + (m + 60), dp: 445, t0: m * 60, t1: m * 60 + 1, pkts: 4, bytes: 400, flags: SYN | ACK | FIN });
  }
  // Before: DNS and an old external peer.
  for (let i = 0; i < 6; i++) {
    e1.push({ src: V, dst: DNS, sp: 50000 + i, dp: 53, proto: 17, t0: -3600 + i * 600, pkts: 1, bytes: 70 });
    e1.push(...tcpPair(V, OLD_PEER, 51000 + i, 443, -3500 + i * 600, -3490 + i * 600, 2000, 8000));
  }
  // 09:10 the scan: 40 ports, each SYN refused.
  for (let p = 1; p <= 40; p++) {
    const t = 600 + p;
    e1.push({ src: ATTACKER, dst: V, sp: 61000, dp: p * 10, t0: t, t1: t, pkts: 1, bytes: 44, flags: SYN });
    e1.push({ src: V, dst: ATTACKER, sp: p * 10, dp: 61000, t0: t, t1: t, pkts: 1, bytes: 40, flags: RST | ACK });
  }
  // 09:30 the foothold: SSH that works (20 minutes, 50 kB each way).
  e1.push(...tcpPair(ATTACKER, V, 62000, 22, 1800, 3000, 50_000, 60_000));
  // 09:40 the victim downloads 2 MB from the attacker.
  e1.push(...tcpPair(V, ATTACKER, 52000, 80, 2400, 2460, 3_000, 2_000_000));
  // 10:00 a new service on the victim: port 4444, used by the attacker.
  e1.push(...tcpPair(ATTACKER, V, 62100, 4444, 3600, 3900, 5_000, 7_000));
  // 10:10, 10:20, 11:00 transfers out to D1:443, 10 MB each.
  for (const [i, t] of [4200, 4800, 7200].entries()) e1.push(...tcpPair(V, D1, 53000 + i, 443, t, t + 120, 10_000_000, 40_000));
  const e2: VFlow[] = [];
  // E2 background (sampled export of the same link): one record every two minutes until 11:30.
  for (let m = -60; m < 150; m += 2) e2.push({ src: '10.0.0.30', dst: '10.0.0.31', sp: 30000 + (m + 60), dp: 80, t0: m * 60, pkts: 1, bytes: 500, flags: ACK });
  for (let i = 0; i < 5; i++) e2.push({ src: V, dst: D2, sp: 54000 + i, dp: 53, proto: 17, t0: 4500 + i * 10, pkts: 1, bytes: 1000 });
  return [
    { name: 'e1-router.nfcapd', format: 'nfcapd', exporter: E1, flows: e1 },
    { name: 'e2-sampled.nfcapd', format: 'nfcapd', exporter: E2, sampling: 100, clockOffsetUs: 2_500_000, flows: e2 },
  ];
}

/** A case file in a temp dir holding the victim evidence (sessions built). */
export async function victimCase(): Promise<{ store: CaseStore; path: string; cleanup: () => void }> {
  const tmp = tempDir('flowcase-victim-');
  const path = join(tmp.dir, 'victim.duckdb');
  const store = await CaseStore.open(path);
  await writeEvidence(store, victimEvidence());
  return { store, path, cleanup: () => { try { store.close(); } catch { /* closed already */ } tmp.cleanup(); } };
}

/** A detections table of the contracted shape (owned by #12), for tests of readers that use it. */
export async function addDetectionsTable(store: CaseStore): Promise<void> {
  await store.run(`CREATE TABLE IF NOT EXISTS detections (detection_id BIGINT, run_id BIGINT, kind VARCHAR, severity VARCHAR, score DOUBLE,
    src_ip UHUGEINT, dst_ip UHUGEINT, targets INTEGER, ports USMALLINT[], start_us BIGINT, end_us BIGINT, flows BIGINT, bytes BIGINT,
    attack VARCHAR, summary VARCHAR, evidence VARCHAR, status VARCHAR)`);
}

export async function insertDetection(store: CaseStore, d: {
  id: number; kind: string; src: string | null; dst: string | null; t0: number; t1: number; summary: string; evidence: string; status?: string; ports?: number[];
}): Promise<void> {
  const a = (s: string | null) => (s === null ? null : ipToBigInt(parseIp(s)!).toString());
  await store.run(
    `INSERT INTO detections (detection_id, run_id, kind, severity, score, src_ip, dst_ip, targets, ports, start_us, end_us, flows, bytes,
       attack, summary, evidence, status) VALUES ($id, 1, $kind, 'high', 0.9, CAST($src AS UHUGEINT), CAST($dst AS UHUGEINT), 1, CAST($ports AS USMALLINT[]),
       $t0, $t1, 10, 1000, 'T1046', $summary, $evidence, $status)`,
    { id: BigInt(d.id), kind: d.kind, src: a(d.src), dst: a(d.dst), ports: `[${(d.ports ?? []).join(',')}]`, t0: BigInt(us(d.t0)), t1: BigInt(us(d.t1)),
      summary: d.summary, evidence: d.evidence, status: d.status ?? 'open' },
  );
}
