import type { DecodeContext, DecodeFailure } from '../decoder';
import type { FlowInput } from '../../model/flow-batch';
import { parseIp } from '../../model/ip';
import { readLines } from '../common/line-reader';
import { parseCount } from '../csv/decimal-micros';
import { VPC_KNOWN_FIELDS, VPC_MAPPED_FIELDS, VPC_V2_FIELDS } from './vpc-fields';

const YIELD_EVERY = 4096;
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
  let sinceYield = 0;
  let header = false;
  let cwPrefix = false;
  for await (const lines of readLines(ctx.source)) {
    for (const { no, text } of lines) {
      // Counted per line, not per flow, so that a file of bad lines still lets progress and cancel through.
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await sink.yield();
        if (sink.aborted) return;
      }
      const line = text.trim();
      if (line.length === 0) continue;
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
        if (header) continue;
      }
      if (values.length !== fields.length) {
        sink.reject({ code: 'bad-column-count', offset: no, message: `line ${no}: ${values.length} fields, the format has ${fields.length}` });
        continue;
      }
      const status = idx['log-status'] !== undefined ? values[idx['log-status']] : 'OK';
      if (status === 'NODATA') { sink.count('nodata-rows'); continue; }
      if (status === 'SKIPDATA') { sink.count('skipdata-rows'); continue; }
      const flow = toFlow(values, idx, fields, no);
      if (typeof flow === 'string') sink.reject({ code: flow.startsWith('bad-address') ? 'bad-address' : 'bad-number', offset: no, message: `line ${no}: ${flow.slice(flow.indexOf(':') + 2)}` });
      else sink.flow(flow);
    }
  }
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

function toFlow(v: string[], idx: Record<string, number>, fields: string[], pos: number): FlowInput | string {
  const src = parseIp(v[idx.srcaddr]);
  if (src === null) return `bad-address: srcaddr '${v[idx.srcaddr]}' is not an IP address`;
  const dst = parseIp(v[idx.dstaddr]);
  if (dst === null) return `bad-address: dstaddr '${v[idx.dstaddr]}' is not an IP address`;
  const num = (name: string, dflt: number | null): number | string => {
    const i = idx[name];
    if (i === undefined || v[i] === '-') return dflt ?? `bad-number: ${name} is missing`;
    const n = parseCount(v[i]);
    return n === null ? `bad-number: ${name} '${v[i]}' is not a number` : n;
  };
  const start = num('start', null);
  if (typeof start === 'string') return start;
  const end = num('end', null);
  if (typeof end === 'string') return end;
  if (end < start) return `bad-number: end ${end} is before start ${start}`;
  const proto = num('protocol', 0);
  if (typeof proto === 'string') return proto;
  if (proto > 255) return `bad-number: protocol ${proto} is out of range`;
  const srcPort = num('srcport', 0);
  if (typeof srcPort === 'string') return srcPort;
  const dstPort = num('dstport', 0);
  if (typeof dstPort === 'string') return dstPort;
  if (srcPort > 65535 || dstPort > 65535) return `bad-number: port out of range (${srcPort}, ${dstPort})`;
  const packets = num('packets', 0);
  if (typeof packets === 'string') return packets;
  const bytes = num('bytes', 0);
  if (typeof bytes === 'string') return bytes;
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
