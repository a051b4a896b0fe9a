import type { DecodeIssue, FlowSink } from '../decoder';
import type { FlowInput } from '../../model/flow-batch';
import { parseIp, type Ip } from '../../model/ip';
import { parseTimeToMicros } from '../../model/time';
import { decimalSecondsToMicros } from '../csv/decimal-micros';
import { parseProto } from '../../model/protocols';
import type { IssueCode } from '../issue-codes';

/**
 * One conn.log record as a JSON object: field name -> value, where a value is a string, a
 * number, a boolean, an array (set/vector) or undefined (absent).
 */
export type ZeekRecord = Record<string, unknown>;

/**
 * How ConnMapper reads a record: `get` returns a field's value as above (TSV text stays text,
 * `-` is undefined), `attrs` the fields without a flows column, or undefined when there are none.
 */
export interface ConnSource {
  get(field: string): unknown;
  attrs(): Record<string, unknown> | undefined;
}

/** Fields that have a flows column of their own; everything else goes to attrs. */
export const MAPPED = new Set([
  'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration',
  'orig_bytes', 'resp_bytes', 'conn_state', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes',
  'resp_pkts', 'resp_ip_bytes', 'ip_proto', 'label', '_path', '_write_ts',
]);

/** btest replaces every timestamp with this mask. */
const MASKED_TS = /^X+\.X+$/;
/** A ts below this many seconds (about 3 years after the epoch) is relative to a trace start. */
const RELATIVE_TS_LIMIT = 1e8;

/** Per-file state for the anomalies that are reported once, not per record. */
export class ConnMapper {
  maskedTimestamps = 0;
  relativeTimestamps = false;
  private unknownProtoNoted = false;

  constructor(private readonly sink: FlowSink) {}

  /**
   * Maps one record to a flow (Zeek's field semantics: `*_ip_bytes` are IP-layer bytes and become
   * bytes/revBytes, `*_bytes` are transport payload and become payloadBytes/revPayloadBytes), or
   * returns the issue that rejects it.
   */
  toFlow(rec: ConnSource, pos: number): FlowInput | DecodeIssue {
    const src = addr(rec.get('id.orig_h'));
    if (src === null) return bad(pos, 'bad-address', `id.orig_h '${String(rec.get('id.orig_h'))}' is not an IP address`);
    const dst = addr(rec.get('id.resp_h'));
    if (dst === null) return bad(pos, 'bad-address', `id.resp_h '${String(rec.get('id.resp_h'))}' is not an IP address`);

    let startUs: number | null;
    const ts = rec.get('ts');
    if (typeof ts === 'string' && MASKED_TS.test(ts)) {
      // BTest baselines: the time is gone; the record keeps everything else (see README).
      this.maskedTimestamps++;
      startUs = 0;
    } else {
      startUs = time(ts);
      if (startUs === null) return bad(pos, 'bad-time', `ts '${String(ts)}' is not a time`);
      if (!this.relativeTimestamps && startUs < RELATIVE_TS_LIMIT * 1e6 && startUs >= 0) {
        this.relativeTimestamps = true;
        this.sink.fact('relativeTimestamps', true);
        this.sink.note({ code: 'relative-timestamps', offset: pos, message: `ts ${String(ts)} is seconds since the trace start, not a Unix time; kept as given (1970-01-01 + ts)` });
      }
    }
    const dur = rec.get('duration');
    let durUs = 0;
    if (dur !== undefined) {
      const d = time(dur);
      if (d === null || d < 0) return bad(pos, 'bad-number', `duration '${String(dur)}' is not a non-negative number`);
      durUs = d;
    }

    const ipv6 = typeof src !== 'number';
    let proto: number | null = 0;
    const ipProto = rec.get('ip_proto');
    if (ipProto !== undefined) {
      proto = count(ipProto);
      if (proto === null || proto > 255) return bad(pos, 'bad-number', `ip_proto '${String(ipProto)}' is not a protocol number`);
    } else if (rec.get('proto') !== undefined) {
      proto = parseProto(String(rec.get('proto')), ipv6);
      if (proto === null) {
        proto = 0;
        if (!this.unknownProtoNoted) {
          this.unknownProtoNoted = true;
          this.sink.note({ code: 'unknown-proto', offset: pos, message: `proto '${String(rec.get('proto'))}' has no IP protocol number (and no ip_proto column); stored as 0` });
        }
      }
    }

    const nums = {
      srcPort: 0, dstPort: 0, packets: 0, bytes: 0,
    };
    for (const [field, key] of NUMERIC_REQUIRED) {
      const v = rec.get(field);
      if (v === undefined) continue;
      const n = count(v);
      if (n === null) return bad(pos, 'bad-number', `${field} '${String(v)}' is not a count`);
      nums[key] = n;
    }
    if (nums.srcPort > 65535 || nums.dstPort > 65535) return bad(pos, 'bad-number', `port out of range (${nums.srcPort}, ${nums.dstPort})`);

    const flow: FlowInput = {
      pos, startUs, endUs: startUs + durUs, proto, src, dst,
      srcPort: nums.srcPort, dstPort: nums.dstPort, packets: nums.packets, bytes: nums.bytes,
    };
    for (const [field, key] of NUMERIC_OPTIONAL) {
      const v = rec.get(field);
      if (v === undefined) continue;
      const n = count(v);
      if (n === null) return bad(pos, 'bad-number', `${field} '${String(v)}' is not a count`);
      flow[key] = n;
    }
    if (proto === 1 || proto === 58) {
      // Zeek writes the ICMP type as orig_p and the code as resp_p.
      flow.icmpType = nums.srcPort;
      flow.icmpCode = nums.dstPort;
    }
    flow.state = text(rec.get('conn_state'));
    flow.history = text(rec.get('history'));
    const svc = rec.get('service');
    flow.service = text(Array.isArray(svc) ? svc.join(',') : svc);
    flow.uid = text(rec.get('uid'));
    flow.label = text(rec.get('label'));

    const attrs = rec.attrs();
    if (attrs) flow.attrs = attrs;
    return flow;
  }
}

const NUMERIC_REQUIRED: readonly [string, 'srcPort' | 'dstPort' | 'packets' | 'bytes'][] = [
  ['id.orig_p', 'srcPort'], ['id.resp_p', 'dstPort'], ['orig_pkts', 'packets'], ['orig_ip_bytes', 'bytes'],
];
const NUMERIC_OPTIONAL: readonly [string, 'revPackets' | 'revBytes' | 'payloadBytes' | 'revPayloadBytes' | 'missedBytes'][] = [
  ['resp_pkts', 'revPackets'], ['resp_ip_bytes', 'revBytes'], ['orig_bytes', 'payloadBytes'],
  ['resp_bytes', 'revPayloadBytes'], ['missed_bytes', 'missedBytes'],
];

/** A text column's value; empty and unset are NULL. */
function text(v: unknown): string | undefined {
  return v === undefined || v === '' ? undefined : String(v);
}

function bad(offset: number, code: IssueCode, message: string): DecodeIssue {
  return { code, offset, message };
}

function addr(v: unknown): Ip | null {
  return typeof v === 'string' ? parseIp(v) : null;
}

/** Zeek time/interval: a number (JSON), decimal text (TSV) or ISO 8601 text (JSON with ISO timestamps). */
/** A Zeek ts (epoch seconds as text or number, or ISO 8601 from JSON writers) in UTC microseconds. */
export function zeekTime(v: unknown): number | null {
  return time(v);
}

function time(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * 1e6) : null;
  if (typeof v !== 'string') return null;
  const us = decimalSecondsToMicros(v);
  if (us !== null) return us;
  return v.length >= 10 && v.charCodeAt(4) === 45 ? parseTimeToMicros(v) : null;
}

function count(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v !== 'string' || v.length === 0) return null;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

/** A JSON line's object as a ConnSource. */
export class JsonConnSource implements ConnSource {
  constructor(private readonly obj: ZeekRecord) {}

  get(field: string): unknown {
    const v = this.obj[field];
    return v === null ? undefined : v;
  }

  attrs(): Record<string, unknown> | undefined {
    let attrs: Record<string, unknown> | undefined;
    for (const key in this.obj) {
      if (MAPPED.has(key)) continue;
      const v = this.obj[key];
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
      (attrs ??= {})[key] = v;
    }
    return attrs;
  }
}
