import { formatIpBigInt } from '../../model/ip';
import { toNumber, toNumberOrNull } from '../../model/bigint';

/**
 * One session as the UI, the CLI and the reports see it: Zeek conn.log fields (JSON-safe:
 * addresses as text, times as UTC microseconds) plus how the session was built.
 */
export interface SessionView {
  uid: string;
  /** First packet, UTC microseconds (Zeek `ts`). */
  ts: number;
  endUs: number;
  origH: string;
  origP: number;
  respH: string;
  respP: number;
  /** 'tcp' | 'udp' | 'icmp' | 'unknown_transport' (Zeek's transport_proto). */
  proto: string;
  ipProto: number;
  service: string | null;
  /** Seconds. */
  duration: number;
  /** Transport payload bytes; null where the evidence does not show them (flow records). */
  origBytes: number | null;
  respBytes: number | null;
  connState: string;
  history: string | null;
  origPkts: number;
  origIpBytes: number;
  respPkts: number;
  respIpBytes: number;
  missedBytes: number | null;
  /** The originator was inferred (no SYN seen; Zeek's `^`). */
  directionInferred: boolean;
  /** 'exact' (pcap/Zeek), 'approximate' or 'ambiguous' (derived from flow records). */
  stateConfidence: 'exact' | 'approximate' | 'ambiguous';
  stateReason: string | null;
  /** Format of the evidence the counts and state were taken from. */
  sourceFormat: string | null;
  /** How many sources (exporters / evidence files) saw this session. */
  sightings: number;
  flowIds: number[];
  evidenceIds: number[];
  /** The name the originator used for the responder then (DNS, SNI, HTTP Host); filled by the API, null when none was seen. */
  name?: string | null;
}

/** Columns of `sessions` a SessionView is read from. */
export const SESSION_VIEW_COLUMNS = `uid, ts, end_us, "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", proto, ip_proto,
  service, duration, orig_bytes, resp_bytes, conn_state, history, orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes,
  missed_bytes, direction_inferred, state_confidence, state_reason, source_format, sightings, flow_ids, evidence_ids`;


/** Maps a `sessions` row (as DuckDB returns it) to the JSON-safe view. */
export function toSessionView(r: Record<string, unknown>): SessionView {
  return {
    uid: r.uid as string, ts: toNumber(r.ts), endUs: toNumber(r.end_us),
    origH: formatIpBigInt(BigInt(r['id.orig_h'] as bigint)), origP: toNumber(r['id.orig_p']),
    respH: formatIpBigInt(BigInt(r['id.resp_h'] as bigint)), respP: toNumber(r['id.resp_p']),
    proto: r.proto as string, ipProto: toNumber(r.ip_proto), service: (r.service as string) ?? null, duration: toNumber(r.duration),
    origBytes: toNumberOrNull(r.orig_bytes), respBytes: toNumberOrNull(r.resp_bytes), connState: r.conn_state as string,
    history: (r.history as string) ?? null, origPkts: toNumber(r.orig_pkts), origIpBytes: toNumber(r.orig_ip_bytes),
    respPkts: toNumber(r.resp_pkts), respIpBytes: toNumber(r.resp_ip_bytes), missedBytes: toNumberOrNull(r.missed_bytes),
    directionInferred: !!r.direction_inferred, stateConfidence: r.state_confidence as SessionView['stateConfidence'],
    stateReason: (r.state_reason as string) ?? null, sourceFormat: (r.source_format as string) ?? null,
    sightings: toNumber(r.sightings), flowIds: ((r.flow_ids as unknown[]) ?? []).map(toNumber).sort((a, b) => a - b),
    evidenceIds: ((r.evidence_ids as unknown[]) ?? []).map(toNumber).sort((a, b) => a - b),
    name: null,
  };
}

/**
 * The stored uid_hash range a uid names ('C' + 13 base-36 digits of uid_hash >> 1, see
 * SESSION_UID_SQL), so a lookup reads the stored column instead of computing every uid;
 * null for text that is no session uid.
 */
export function uidHashRange(uid: string): { lo: bigint; hi: bigint } | null {
  if (!/^C[0-9A-Z]{13}$/.test(uid)) return null;
  let v = 0n;
  for (const ch of uid.slice(1)) v = v * 36n + BigInt(parseInt(ch, 36));
  if (v >= 1n << 63n) return null;
  return { lo: v << 1n, hi: (v << 1n) | 1n };
}
