import { formatIpBigInt } from '../model/ip';
import { toNumber, toNumberOrNull } from '../model/bigint';

/** One flow row as clients show it: addresses as text, times as UTC microseconds, counters as numbers. */
export interface FlowView {
  flowId: number;
  evidenceId: number;
  srcPos: number;
  startUs: number;
  endUs: number;
  proto: number;
  ipVersion: number;
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  packets: number;
  bytes: number;
  revPackets: number | null;
  revBytes: number | null;
  tcpFlags: number | null;
  revTcpFlags: number | null;
  icmpType: number | null;
  icmpCode: number | null;
  tos: number | null;
  inIf: number | null;
  outIf: number | null;
  srcAs: number | null;
  dstAs: number | null;
  exporter: string | null;
  sampling: number | null;
  state: string | null;
  history: string | null;
  service: string | null;
  uid: string | null;
  label: string | null;
  /** The name the client used for the destination then (DNS, SNI, HTTP Host; core/enrich/names-used.ts); null when none was seen. */
  name?: string | null;
  /** Packets with a bad TCP/UDP/ICMP checksum (captures); null where not checked or none. */
  badChecksums: number | null;
  /**
   * The flow's last packet of any kind (UTC µs). For captures `endUs` follows Zeek's duration,
   * which stops before a final ACK after both FINs; other sources give the same as endUs.
   */
  lastPacketUs: number;
}

/** The flows columns a FlowView needs, for `SELECT ${FLOW_VIEW_COLUMNS} FROM flows`. */
export const FLOW_VIEW_COLUMNS = [
  'flow_id', 'evidence_id', 'src_pos', 'start_us', 'end_us', 'proto', 'ip_version', 'src_ip', 'dst_ip', 'src_port', 'dst_port',
  'packets', 'bytes', 'rev_packets', 'rev_bytes', 'tcp_flags', 'rev_tcp_flags', 'icmp_type', 'icmp_code', 'tos', 'in_if', 'out_if',
  'src_as', 'dst_as', 'exporter_ip', 'sampling', 'state', 'history', 'service', 'uid', 'label', 'bad_checksums', 'last_packet_us',
].join(', ');

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** One flows row (as DuckDB returns it: bigints for 64/128-bit columns) as the UI shows it. */
export function toFlowView(r: Record<string, unknown>): FlowView {
  return {
    flowId: toNumber(r.flow_id), evidenceId: toNumber(r.evidence_id), srcPos: toNumber(r.src_pos), startUs: toNumber(r.start_us), endUs: toNumber(r.end_us),
    proto: toNumber(r.proto), ipVersion: toNumber(r.ip_version), srcAddr: formatIpBigInt(BigInt(r.src_ip as bigint)), dstAddr: formatIpBigInt(BigInt(r.dst_ip as bigint)),
    srcPort: toNumber(r.src_port), dstPort: toNumber(r.dst_port), packets: toNumber(r.packets), bytes: toNumber(r.bytes),
    revPackets: toNumberOrNull(r.rev_packets), revBytes: toNumberOrNull(r.rev_bytes), tcpFlags: toNumberOrNull(r.tcp_flags), revTcpFlags: toNumberOrNull(r.rev_tcp_flags),
    icmpType: toNumberOrNull(r.icmp_type), icmpCode: toNumberOrNull(r.icmp_code), tos: toNumberOrNull(r.tos), inIf: toNumberOrNull(r.in_if), outIf: toNumberOrNull(r.out_if),
    srcAs: toNumberOrNull(r.src_as), dstAs: toNumberOrNull(r.dst_as),
    exporter: r.exporter_ip === null || r.exporter_ip === undefined ? null : formatIpBigInt(BigInt(r.exporter_ip as bigint)),
    sampling: toNumberOrNull(r.sampling), state: str(r.state), history: str(r.history), service: str(r.service), uid: str(r.uid), label: str(r.label),
    name: null,
    badChecksums: toNumberOrNull(r.bad_checksums),
    lastPacketUs: toNumberOrNull(r.last_packet_us) ?? Math.max(toNumber(r.end_us), toNumber(r.start_us)),
  };
}
