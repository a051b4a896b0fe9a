import type { FlowInput } from '../../model/flow-batch';
import { parseIp } from '../../model/ip';
import type { ResolvedMapping } from './csv-mapping';
import { parseCsvTime } from './csv-time';
import { decimalSecondsToMicros } from './decimal-micros';
import { icmpFromPort } from '../../model/icmp-port';
import { isIcmp, parseProto } from '../../model/protocols';
import type { ZonedClock } from './zoned-time';

/** A row that cannot become a flow: issue code and reason. */
export interface RowProblem {
  readonly code: 'bad-address' | 'bad-number' | 'bad-time' | 'bad-column-count';
  readonly message: string;
}

/** TCP flag letters, as nfdump (`...AP.S.`), Argus and most exports write them. RFC 793 / RFC 3168 bits. */
const FLAG_BITS: Record<string, number> = { F: 1, S: 2, R: 4, P: 8, A: 16, U: 32, E: 64, C: 128 };

/** Values that mean "nothing here" in nfdump's fixed columns. */
const DEFAULTS = new Set(['', '0', '0.0.0.0', '::', '00:00:00:00:00:00', '0-0-0', '0.000', '0/0']);

/** Maps one CSV row to a flow under a resolved mapping. */
export function csvRowToFlow(v: readonly string[], m: ResolvedMapping, pos: number, clock: ZonedClock): FlowInput | RowProblem {
  if (v.length !== m.columns.length) return { code: 'bad-column-count', message: `${v.length} fields, the header has ${m.columns.length}` };
  const ix = m.index;
  const srcText = cell(v, ix.srcAddr) ?? '';
  const src = parseIp(srcText);
  if (src === null) return { code: 'bad-address', message: `source address '${srcText}' is not an IP address` };
  const dstText = cell(v, ix.dstAddr) ?? '';
  const dst = parseIp(dstText);
  if (dst === null) return { code: 'bad-address', message: `destination address '${dstText}' is not an IP address` };

  const startText = cell(v, ix.startTime) ?? '';
  const startUs = cachedTime(m, startText, clock);
  if (startUs === null) return { code: 'bad-time', message: `start time '${startText}' does not read as ${m.timeFormat}` };
  let endUs = startUs;
  const endText = cell(v, ix.endTime);
  if (endText !== undefined) {
    const e = cachedTime(m, endText, clock);
    if (e === null) return { code: 'bad-time', message: `end time '${endText}' does not read as ${m.timeFormat}` };
    endUs = e;
  } else {
    const durText = cell(v, ix.duration);
    if (durText !== undefined) {
      const d = decimalSecondsToMicros(durText);
      if (d === null || d < 0) return { code: 'bad-number', message: `duration '${durText}' is not a non-negative number` };
      endUs = startUs + Math.round((d / 1e6) * m.durationScale);
    }
  }
  // Exporters do write end < start (nfcapd keeps such records, e.g. Cisco ASA NSEL with te = 1970):
  // the flow is kept at its start time and the written end stays visible in attrs.end_raw.
  let endRaw: string | undefined;
  if (endUs < startUs) {
    endRaw = endText ?? cell(v, ix.duration);
    endUs = startUs;
  }

  let proto = 0;
  const protoText = cell(v, ix.proto);
  if (protoText !== undefined) {
    // `icmp` means protocol 1 here, whatever the addresses (nfdump writes ICMP6 for 58).
    const p = parseProto(protoText);
    if (p === null) return { code: 'bad-number', message: `protocol '${protoText}' is neither a number nor a known name` };
    proto = p;
  }
  const flow: FlowInput = { pos, startUs, endUs, proto, src, dst, srcPort: 0, dstPort: 0, packets: 0, bytes: 0 };
  for (const [field, max] of COUNTS) {
    const x = count(v, ix[field], field, max);
    if (typeof x === 'object') return x;
    if (x !== undefined) (flow as unknown as Record<string, number>)[field] = x;
  }
  if (m.quirks.revOnlyWhenNonZero && !flow.revPackets && !flow.revBytes) {
    flow.revPackets = undefined;
    flow.revBytes = undefined;
  }
  if (m.quirks.bytesArePayload) {
    flow.payloadBytes = flow.bytes;
    if (flow.revBytes !== undefined) flow.revPayloadBytes = flow.revBytes;
  }
  if (m.quirks.icmpInDstPort && isIcmp(proto)) [flow.icmpType, flow.icmpCode] = icmpFromPort(flow.dstPort);
  const flagText = cell(v, ix.tcpFlags);
  if (flagText !== undefined && proto === 6) {
    const f = tcpFlags(flagText);
    if (f === null) return { code: 'bad-number', message: `TCP flags '${flagText}' are neither a number nor flag letters` };
    flow.tcpFlags = f;
  }
  const exporterText = cell(v, ix.exporter);
  if (exporterText !== undefined && !DEFAULTS.has(exporterText)) {
    const e = parseIp(exporterText);
    if (e === null) return { code: 'bad-address', message: `exporter '${exporterText}' is not an IP address` };
    flow.exporter = e;
  }
  const label = cell(v, ix.label);
  if (label !== undefined) flow.label = label;
  let attrs: Record<string, unknown> | undefined = endRaw === undefined ? undefined : { end_raw: endRaw };
  if (m.keep.length) {
    for (const [i, name] of m.keep) {
      const t = cell(v, i) ?? '';
      if (m.quirks.dropDefaultAttrs ? DEFAULTS.has(t) : t === '') continue;
      (attrs ??= {})[name] = /^-?\d+(\.\d+)?$/.test(t) && t.length < 16 ? Number(t) : t;
    }
  }
  if (attrs) flow.attrs = attrs;
  return flow;
}

/** A trimmed cell, undefined when the column is unmapped or the cell empty. */
function cell(v: readonly string[], i: number | undefined): string | undefined {
  if (i === undefined) return undefined;
  const s = v[i];
  const t = s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32 ? s.trim() : s;
  return t === '' ? undefined : t;
}

/** A count column: digits only (a `.0` tail allowed), at most max. */
function count(v: readonly string[], i: number | undefined, field: string, max: number): number | undefined | RowProblem {
  const t = cell(v, i);
  if (t === undefined) return undefined;
  let x = 0;
  let k = 0;
  for (; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c < 48 || c > 57) break;
    x = x * 10 + (c - 48);
  }
  if (k < t.length && !/^\.0*$/.test(t.slice(k))) x = NaN;
  if (k === 0 || !(x <= max)) return { code: 'bad-number', message: `${field} '${t}' is not a count${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ''}` };
  return x;
}

/** Flow exports repeat the same second many times over: recent conversions are remembered. */
function cachedTime(m: ResolvedMapping, text: string, clock: ZonedClock): number | null {
  const cache = m.timeCache;
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const us = parseCsvTime(text, m.timeFormat, clock);
  if (us === null) return null;
  if (cache.size >= 1024) cache.clear();
  cache.set(text, us);
  return us;
}

const COUNTS: readonly (readonly ['srcPort' | 'dstPort' | 'packets' | 'bytes' | 'revPackets' | 'revBytes' | 'tos' | 'inIf' | 'outIf' | 'srcAs' | 'dstAs', number])[] = [
  ['srcPort', 65535], ['dstPort', 65535], ['packets', Number.MAX_SAFE_INTEGER], ['bytes', Number.MAX_SAFE_INTEGER],
  ['revPackets', Number.MAX_SAFE_INTEGER], ['revBytes', Number.MAX_SAFE_INTEGER], ['tos', 255],
  ['inIf', 0xffffffff], ['outIf', 0xffffffff], ['srcAs', 0xffffffff], ['dstAs', 0xffffffff],
];

/** A flags value as a number (`18`, `0x12`) or letters (`SA`, `...A..S.`); null otherwise. */
export function tcpFlags(text: string): number | null {
  if (/^\d+$/.test(text)) { const x = Number(text); return x <= 255 ? x : null; }
  if (/^0x[0-9a-f]{1,2}$/i.test(text)) return parseInt(text, 16);
  let bits = 0;
  for (const ch of text.toUpperCase()) {
    if (ch === '.' || ch === '_' || ch === '-' || ch === ' ') continue;
    const b = FLAG_BITS[ch];
    if (b === undefined) return null;
    bits |= b;
  }
  return bits;
}
