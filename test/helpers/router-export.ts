import { writeFileSync } from 'node:fs';
import { formatIpBigInt, parseIp, type Ip } from '../../core/model/ip';
import { CaseStore } from '../../core/store/case-store';
import { buildNfcapd, type SyntheticFlow } from './nfcapd-writer';

const ip = (bits: unknown): Ip => parseIp(formatIpBigInt(BigInt(bits as bigint)))!;

/**
 * Writes the flows of a case as a router would export the same traffic to nfcapd: one
 * unidirectional record per direction, times in milliseconds (shifted by `shiftMs`).
 * Returns how many records it wrote. For #11's overlapping-evidence tests.
 */
export async function writeRouterExport(casePath: string, path: string, shiftMs = 0): Promise<number> {
  const store = await CaseStore.open(casePath, { readOnly: true });
  const rows = await store.all(`SELECT * FROM flows ORDER BY flow_id`);
  store.close();
  const out: SyntheticFlow[] = [];
  for (const f of rows) {
    const startMs = Math.floor(Number(f.start_us) / 1000) + shiftMs;
    const endMs = Math.ceil(Number(f.end_us) / 1000) + shiftMs;
    const base = { startMs, endMs, proto: Number(f.proto) };
    out.push({ ...base, src: ip(f.src_ip), dst: ip(f.dst_ip), srcPort: Number(f.src_port), dstPort: Number(f.dst_port),
      packets: Number(f.packets), bytes: Number(f.bytes), tcpFlags: Number(f.tcp_flags ?? 0) });
    if (Number(f.rev_packets ?? 0) > 0) {
      out.push({ ...base, src: ip(f.dst_ip), dst: ip(f.src_ip), srcPort: Number(f.dst_port), dstPort: Number(f.src_port),
        packets: Number(f.rev_packets), bytes: Number(f.rev_bytes), tcpFlags: Number(f.rev_tcp_flags ?? 0) });
    }
  }
  writeFileSync(path, buildNfcapd(out));
  return out.length;
}
