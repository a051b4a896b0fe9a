import type { DecodeContext, DecodeFailure, RecordProblem } from '../decoder';
import type { FlowInput } from '../../model/flow-batch';
import { parseIp } from '../../model/ip';
import { forEachLine, rejectLine } from '../common/line-reader';
import { parseCount } from '../csv/decimal-micros';
import { VPC_KNOWN_FIELDS, VPC_MAPPED_FIELDS, VPC_V2_FIELDS } from './vpc-flow-layout';

/** `2021-01-01T00:00:00.000Z`, the event time CloudWatch Logs writes before each message. */
const CW_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** Attributes that are numbers in the AWS documentation; the rest (ids, account) stay text. */
const NUMERIC_ATTRS = new Set(['version', 'tcp-flags']);

/**
 * Reads AWS VPC Flow Logs text: space-separated, the header line (S3 delivery) naming the
 * fields of a custom format, otherwise the version 2 default order. NODATA and SKIPDATA rows
 * (log-status; no traffic or records lost in the aggregation interval) are counted as
 * `nodata-rows` / `skipdata-rows`, not stored. The action (ACCEPT/REJECT) becomes the label.
 */
export async function decodeVpcFlow(ctx: DecodeContext): Promise<DecodeFailure | void> {
  const { sink } = ctx;
  let fields: string[] | null = null;
  let idx: Record<string, number> = {};
  let header = false;
  let cwPrefix = false;
  return forEachLine(ctx, (no, text) => {
    const line = text.trim();
    if (line.length === 0) return;
    let values = line.split(/\s+/);
    // CloudWatch Logs exports put the ingestion time in front of each v2 record.
    if (!header && values.length === VPC_V2_FIELDS.length + 1 && CW_TIME.test(values[0])) {
      if (!cwPrefix) { cwPrefix = true; sink.fact('cloudWatchTimestamps', true); }
      values = values.slice(1);
    }
    if (fields === null) {
      if (isHeader(values)) {
        fields = values.map(normaliseName);
        header = true;
      } else {
        fields = [...VPC_V2_FIELDS];
        sink.note({ code: 'no-header', offset: no, message: 'no header line: fields read in the default version 2 order' });
      }
      idx = Object.fromEntries(fields.map((f, i) => [f, i]));
      const missing = ['srcaddr', 'dstaddr', 'start', 'end'].filter((f) => idx[f] === undefined);
      if (missing.length) return { code: 'missing-columns', offset: no, message: `the header names no ${missing.join(', ')} field; not a VPC flow log Flowcase can read` };
      sink.fact('vpcFields', fields.join(' '));
      sink.fact('vpcHeader', header);
      if (header) return;
    }
    if (values.length !== fields.length) return rejectLine(sink, no, { code: 'bad-column-count', message: `${values.length} fields, the format has ${fields.length}` });
    const status = idx['log-status'] !== undefined ? values[idx['log-status']] : 'OK';
    if (status === 'NODATA') return sink.count('nodata-rows');
    if (status === 'SKIPDATA') return sink.count('skipdata-rows');
    const flow = toFlow(values, idx, fields, no);
    if ('code' in flow) rejectLine(sink, no, flow);
    else sink.flow(flow);
  });
}

/** A header line names fields; a record line starts with a version number or an address. */
function isHeader(values: string[]): boolean {
  let known = 0;
  for (const v of values) if (VPC_KNOWN_FIELDS.has(normaliseName(v))) known++;
  return known >= Math.max(2, values.length / 2);
}

/** Athena / Parquet exports spell the names with underscores. */
function normaliseName(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

function toFlow(v: string[], idx: Record<string, number>, fields: string[], pos: number): FlowInput | RecordProblem {
  const src = parseIp(v[idx.srcaddr]);
  if (src === null) return { code: 'bad-address', message: `srcaddr '${v[idx.srcaddr]}' is not an IP address` };
  const dst = parseIp(v[idx.dstaddr]);
  if (dst === null) return { code: 'bad-address', message: `dstaddr '${v[idx.dstaddr]}' is not an IP address` };
  const num = (name: string, dflt: number | null): number | RecordProblem => {
    const i = idx[name];
    if (i === undefined || v[i] === '-') return dflt ?? { code: 'bad-number', message: `${name} is missing` };
    const n = parseCount(v[i]);
    return n === null ? { code: 'bad-number', message: `${name} '${v[i]}' is not a number` } : n;
  };
  const start = num('start', null);
  if (typeof start !== 'number') return start;
  const end = num('end', null);
  if (typeof end !== 'number') return end;
  if (end < start) return { code: 'bad-number', message: `end ${end} is before start ${start}` };
  const proto = num('protocol', 0);
  if (typeof proto !== 'number') return proto;
  if (proto > 255) return { code: 'bad-number', message: `protocol ${proto} is out of range` };
  const srcPort = num('srcport', 0);
  if (typeof srcPort !== 'number') return srcPort;
  const dstPort = num('dstport', 0);
  if (typeof dstPort !== 'number') return dstPort;
  if (srcPort > 65535 || dstPort > 65535) return { code: 'bad-number', message: `port out of range (${srcPort}, ${dstPort})` };
  const packets = num('packets', 0);
  if (typeof packets !== 'number') return packets;
  const bytes = num('bytes', 0);
  if (typeof bytes !== 'number') return bytes;
  const flow: FlowInput = {
    pos, startUs: start * 1e6, endUs: end * 1e6, proto, src, dst, srcPort, dstPort, packets, bytes,
  };
  if (idx.action !== undefined && v[idx.action] !== '-') flow.label = v[idx.action];
  let attrs: Record<string, unknown> | undefined;
  for (let i = 0; i < fields.length; i++) {
    const name = fields[i];
    if (VPC_MAPPED_FIELDS.has(name) || v[i] === '-') continue;
    (attrs ??= {})[name] = NUMERIC_ATTRS.has(name) ? numberOr(v[i]) : v[i];
  }
  if (attrs) {
    flow.attrs = attrs;
    const flags = attrs['tcp-flags'];
    // VPC tcp-flags is the OR of the flags seen in the interval (SYN 2, FIN 1, RST 4, SYN-ACK 18).
    if (typeof flags === 'number' && flags <= 255) flow.tcpFlags = flags;
  }
  return flow;
}

function numberOr(s: string): number | string {
  const n = parseCount(s);
  return n === null ? s : n;
}
