import { formatIpBigInt } from '../../model/ip';
import type { FlowView } from '../../query/flow-view';
import type { CaseStore } from '../../store/case-store';
import { SESSION_VIEW_COLUMNS, toSessionView, uidHashRange, type SessionView } from './session-view';
import { toNumber, toNumberOrNull } from '../../model/bigint';

/** One flow record of a session, placed for a ladder diagram: the flow's own fields plus where it came from. */
export interface SessionFlowRow extends Pick<FlowView,
  'flowId' | 'evidenceId' | 'startUs' | 'endUs' | 'srcAddr' | 'srcPort' | 'dstAddr' | 'dstPort' | 'packets' | 'bytes' | 'revPackets'
  | 'revBytes' | 'tcpFlags' | 'revTcpFlags' | 'exporter' | 'state' | 'history'> {
  evidenceName: string;
  format: string;
  /** Byte offset or line number of the record in its evidence file (see positionUnit). */
  position: number;
  positionUnit: 'byte' | 'line';
  /** The record runs originator -> responder (false: responder -> originator). */
  fromOrig: boolean;
}

export interface SessionDetail {
  session: SessionView;
  /** The session's records from every sighting, by start time. */
  flows: SessionFlowRow[];
}


/** A session and its flow rows (with evidence name and position); null when no such uid. */
export async function sessionDetail(store: CaseStore, uid: string): Promise<SessionDetail | null> {
  const range = uidHashRange(uid);
  if (!range) return null;
  const key = { lo: range.lo, hi: range.hi, uid };
  const byUid = `uid_hash BETWEEN $lo AND $hi AND uid = $uid`;
  const row = await store.one(`SELECT ${SESSION_VIEW_COLUMNS} FROM sessions WHERE ${byUid}`, key);
  if (!row) return null;
  const session = toSessionView(row);
  const flows = await store.all(
    `SELECT f.flow_id, f.evidence_id, e.name, e.format, f.src_pos, e.position_unit, f.start_us, f.end_us, f.src_ip, f.src_port,
            f.dst_ip, f.dst_port, f.packets, f.bytes, f.rev_packets, f.rev_bytes, f.tcp_flags, f.rev_tcp_flags, f.exporter_ip,
            f.state, f.history, (f.src_ip = s."id.orig_h" AND (f.src_port = s."id.orig_p" OR f.proto IN (1, 58))) AS from_orig
       FROM (SELECT unnest(flow_ids) AS flow_id, "id.orig_h", "id.orig_p" FROM sessions WHERE ${byUid}) s
       JOIN flows f USING (flow_id) JOIN evidence e ON e.evidence_id = f.evidence_id
      ORDER BY f.start_us, f.flow_id`,
    key,
  );
  return {
    session,
    flows: flows.map((r) => ({
      flowId: toNumber(r.flow_id), evidenceId: toNumber(r.evidence_id), evidenceName: r.name as string, format: r.format as string,
      position: toNumber(r.src_pos), positionUnit: r.position_unit as 'byte' | 'line', startUs: toNumber(r.start_us), endUs: toNumber(r.end_us),
      srcAddr: formatIpBigInt(BigInt(r.src_ip as bigint)), srcPort: toNumber(r.src_port),
      dstAddr: formatIpBigInt(BigInt(r.dst_ip as bigint)), dstPort: toNumber(r.dst_port), fromOrig: !!r.from_orig,
      packets: toNumber(r.packets), bytes: toNumber(r.bytes), revPackets: toNumberOrNull(r.rev_packets), revBytes: toNumberOrNull(r.rev_bytes),
      tcpFlags: toNumberOrNull(r.tcp_flags), revTcpFlags: toNumberOrNull(r.rev_tcp_flags),
      exporter: r.exporter_ip == null ? null : formatIpBigInt(BigInt(r.exporter_ip as bigint)),
      state: (r.state as string) ?? null, history: (r.history as string) ?? null,
    })),
  };
}
