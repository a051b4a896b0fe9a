import type { FlowInput } from '../../core/model/flow-batch';
import { formatIp } from '../../core/model/ip';
import { nfdumpFlags, nfdumpProto, type NfdumpRow } from './nfdump-csv';

/**
 * Compares decoded NetFlow/IPFIX flows with what nfcapd 1.7.1 stored for the same
 * datagrams (`nfdump -o csv`), row by row, allowing only nfdump's known, by-design
 * differences (each one is counted so that a test can say which it met):
 *
 * - `v4-in-v6`: a record whose template has IPv4 and IPv6 address fields is printed by
 *   nfdump as `::a.b.c.d` (IPv4 in an IPv6 record) or, with zero IPv6 fields, as `::`;
 *   Flowcase keeps the pair that carries the addresses.
 * - `icmp-port`: for ICMP nfdump builds its own destination port (0 when the type came in
 *   the L4 port field); Flowcase keeps the exported port and fills icmp_type/icmp_code.
 * - `sampled`: nfdump multiplies v5 counters by the header's sampling interval; Flowcase
 *   records the interval in `sampling` and keeps the exported counts.
 * - `no-time`: nfdump stores 1970 when it found no time it understands (no time
 *   fields, IPFIX sysUpTime without systemInitTime, NSEL event times); Flowcase uses the
 *   export time (or anchors uptimes to it) and notes it.
 * - `swapped-time`: nfdump 1.7.1 swaps first/last for IPFIX flowStart/EndSysUpTime with
 *   systemInitTimeMilliseconds (its ts is after its te); Flowcase's start is nfdump's te.
 */
export interface MatchReport {
  /** nfdump rows with no decoded flow. */
  missing: string[];
  /** Decoded flows nfdump does not have. */
  extra: FlowInput[];
  /** Field differences on matched rows. */
  diffs: string[];
  /** How often each by-design difference was applied. */
  allowances: Record<string, number>;
}

function ipText(ip: FlowInput['src']): string {
  return formatIp(ip);
}

function norm(a: string): string {
  return /^::\d+\.\d+\.\d+\.\d+$/.test(a) ? a.slice(2) : a;
}

const secs = (us: number) => Math.floor(us / 1e6);

export function matchNfdump(flows: FlowInput[], rows: NfdumpRow[]): MatchReport {
  const report: MatchReport = { missing: [], extra: [], diffs: [], allowances: {} };
  const allow = (k: string) => { report.allowances[k] = (report.allowances[k] ?? 0) + 1; };
  const left = [...flows];
  for (const r of rows) {
    const icmp = r.pr === 'ICMP' || r.pr === 'ICMP6';
    const anyAddr = r.sa === '::' && r.da === '::';
    const sameKey = (f: FlowInput) =>
      nfdumpProto(f.proto) === r.pr &&
      (anyAddr || (ipText(f.src) === norm(r.sa) && ipText(f.dst) === norm(r.da))) &&
      (icmp || (f.srcPort === r.sp && f.dstPort === r.dp));
    const counts = (f: FlowInput) => f.packets === r.ipkt && f.bytes === r.ibyt;
    const sampled = (f: FlowInput) => f.sampling !== undefined && f.packets * f.sampling === r.ipkt && f.bytes * f.sampling === r.ibyt;
    let i = left.findIndex((f) => sameKey(f) && counts(f));
    if (i < 0) i = left.findIndex((f) => sameKey(f) && sampled(f));
    if (i < 0) {
      report.missing.push(`${r.sa} ${r.sp} > ${r.da} ${r.dp} ${r.pr} ${r.ipkt}/${r.ibyt}`);
      continue;
    }
    const f = left.splice(i, 1)[0];
    const where = `${r.sa} ${r.sp} > ${r.da} ${r.dp} ${r.pr}`;
    if (!counts(f)) allow('sampled');
    if (anyAddr && typeof f.src === 'number') allow('v4-in-v6');
    else if (norm(r.sa) !== r.sa) allow('v4-in-v6');
    if (icmp && f.dstPort !== r.dp) allow('icmp-port');
    if (r.pr === 'TCP' && nfdumpFlags(f.tcpFlags ?? 0) !== r.flg) report.diffs.push(`${where}: flags ${nfdumpFlags(f.tcpFlags ?? 0)} vs ${r.flg}`);
    if ((f.tos ?? 0) !== r.stos) report.diffs.push(`${where}: tos ${f.tos} vs ${r.stos}`);
    if ((f.inIf ?? 0) !== r.inIf || (f.outIf ?? 0) !== r.outIf) report.diffs.push(`${where}: if ${f.inIf}/${f.outIf} vs ${r.inIf}/${r.outIf}`);
    if ((f.srcAs ?? 0) !== r.sas || (f.dstAs ?? 0) !== r.das) report.diffs.push(`${where}: as ${f.srcAs}/${f.dstAs} vs ${r.sas}/${r.das}`);
    if (r.ts === 0 || r.te === 0) allow('no-time');
    else if (r.ts > r.te) {
      allow('swapped-time');
      if (secs(f.startUs) !== r.te || secs(f.endUs) !== r.ts) report.diffs.push(`${where}: time ${secs(f.startUs)}-${secs(f.endUs)} vs swapped ${r.ts}-${r.te}`);
    } else if (secs(f.startUs) !== r.ts || secs(f.endUs) !== r.te) {
      report.diffs.push(`${where}: time ${secs(f.startUs)}-${secs(f.endUs)} vs ${r.ts}-${r.te}`);
    }
  }
  report.extra = left;
  return report;
}
