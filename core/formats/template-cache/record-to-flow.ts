import type { FlowInput } from '../../model/flow-batch';
import { formatIp4, formatIp6 } from '../../model/ip';
import type { ExportHeader } from './export-header';
import type { RecordState } from './record-state';
import type { DomainState } from './template-cache';
import { icmpFromPort, icmpPort } from '../../model/icmp-port';
import { isIcmp } from '../../model/protocols';

/** What recordToFlow found worth telling the user once (no record is lost). */
export interface RecordTimeNotes {
  /** sysUpTime-relative times with no systemInitTimeMilliseconds to anchor them (IPFIX). */
  uptimeWithoutInit: boolean;
  /** No time element at all: the export time was used. */
  noTimes: boolean;
}

/**
 * Sampling interval (1 in N) that applies to a record: the record's own sampling
 * fields first, then the options data of its sampler/selector, then the domain's only
 * sampler. -1 when the exporter declared none. Never applied to the counters.
 */
export function recordSampling(s: RecordState, d: DomainState): number {
  const own = samplingOf(s);
  if (own > 0) return own;
  if (d.sampling.size === 0) return -1;
  if (s.samplerId >= 0) {
    // A record naming a sampler whose options were not seen has no known rate.
    return d.sampling.get(s.samplerId) ?? d.sampling.get(-1) ?? -1;
  }
  if (d.sampling.size === 1) return d.sampling.values().next().value as number;
  return d.sampling.get(-1) ?? -1;
}

/** Sampling carried in one record (RFC 3954 §8 34/50, RFC 5477 305/306, 309/310); -1 if none. */
export function samplingOf(s: RecordState): number {
  if (s.samplingInterval > 0) return s.samplingInterval;
  if (s.samplerRandomInterval > 0) return s.samplerRandomInterval;
  if (s.samplingPopulation > 0 && s.samplingSize > 0) return Math.max(1, Math.round(s.samplingPopulation / s.samplingSize));
  if (s.packetInterval > 0) return Math.max(1, Math.round((s.packetInterval + Math.max(0, s.packetSpace)) / s.packetInterval));
  return -1;
}

function isZero6(w: Uint32Array): boolean {
  return (w[0] | w[1] | w[2] | w[3]) === 0;
}

function hasCounters(s: RecordState): boolean {
  return s.bytes >= 0 || s.packets >= 0 || s.bytesTotal >= 0 || s.packetsTotal >= 0 || s.initBytes >= 0 || s.bytesOut >= 0 || s.revBytes >= 0;
}

/** Absolute µs of a sysUpTime-relative value, or NaN when there is no anchor. */
function uptimeToUs(uptimeMs: number, s: RecordState, d: DomainState, h: ExportHeader): number {
  // A systemInitTimeMilliseconds of 0 (sent by some exporters) anchors nothing.
  const init = s.systemInitMs > 0 ? s.systemInitMs : d.systemInitMs;
  if (init > 0) return (init + uptimeMs) * 1000;
  if (!Number.isNaN(h.sysUptimeMs)) {
    // RFC 3954 §5.1: uptimes are u32 ms since boot and wrap after 49.7 days; the signed
    // 32-bit difference to the header's uptime is right across a wrap.
    const delta = (h.sysUptimeMs - uptimeMs) | 0;
    return h.exportUs - delta * 1000;
  }
  return NaN;
}

/**
 * Turns a decoded data record into a flow, written into `out` (one object reused for
 * every record: sinks copy what they keep). Returns false for a record with neither
 * addresses nor counters (the caller counts it). Times: absolute elements first, then
 * sysUpTime (with systemInitTimeMilliseconds or the v9 header uptime), then deltas to
 * the export time, then a duration; a record with none gets its observation time or the
 * export time.
 */
export function recordToFlow(s: RecordState, d: DomainState, h: ExportHeader, pos: number, notes: RecordTimeNotes, out: FlowInput): boolean {
  let src: FlowInput['src'];
  let dst: FlowInput['dst'];
  const has6 = (s.src6 !== null && !isZero6(s.src6)) || (s.dst6 !== null && !isZero6(s.dst6));
  const has4 = s.src4 > 0 || s.dst4 > 0;
  // Templates may carry both families (one zero-filled, or an outer and an inner pair):
  // take the non-zero one, and of two non-zero pairs the one later in the template (its
  // ports and protocol follow it); the other pair is kept in attrs.
  let attrs = s.attrs;
  if (has6 && (!has4 || s.lastFamily === 6)) {
    src = s.src6 ?? new Uint32Array(4);
    dst = s.dst6 ?? new Uint32Array(4);
    if (has4) {
      attrs ??= {};
      attrs.otherSrc = formatIp4(Math.max(0, s.src4));
      attrs.otherDst = formatIp4(Math.max(0, s.dst4));
    }
  } else if (has4) {
    src = Math.max(0, s.src4);
    dst = Math.max(0, s.dst4);
    if (has6) {
      attrs ??= {};
      attrs.otherSrc = formatIp6(s.src6 ?? new Uint32Array(4));
      attrs.otherDst = formatIp6(s.dst6 ?? new Uint32Array(4));
    }
  } else if (s.src6 !== null || s.dst6 !== null) {
    src = s.src6 ?? new Uint32Array(4);
    dst = s.dst6 ?? new Uint32Array(4);
  } else if (s.src4 >= 0 || s.dst4 >= 0) {
    src = Math.max(0, s.src4);
    dst = Math.max(0, s.dst4);
  } else if (hasCounters(s)) {
    // Records keyed by something else (a WLAN station, a MAC) still count traffic:
    // kept with 0.0.0.0 addresses, as nfcapd stores them; their keys stay in attrs.
    src = 0;
    dst = 0;
  } else return false;

  let start = s.startUs;
  let end = s.endUs;
  if (Number.isNaN(start) && !Number.isNaN(s.startUptimeMs)) start = uptimeToUs(s.startUptimeMs, s, d, h);
  if (Number.isNaN(end) && !Number.isNaN(s.endUptimeMs)) end = uptimeToUs(s.endUptimeMs, s, d, h);
  if (Number.isNaN(start) && Number.isNaN(end) && (!Number.isNaN(s.startUptimeMs) || !Number.isNaN(s.endUptimeMs))) {
    // IPFIX sysUpTime without systemInitTimeMilliseconds: anchor the flow's end at the
    // export time so that its duration survives; noted once per domain.
    notes.uptimeWithoutInit = true;
    const su = s.startUptimeMs;
    const eu = s.endUptimeMs;
    end = h.exportUs;
    start = !Number.isNaN(su) && !Number.isNaN(eu) ? end - Math.max(0, eu - su) * 1000 : end;
  }
  if (Number.isNaN(start) && !Number.isNaN(s.startDeltaUs)) start = h.exportUs - s.startDeltaUs;
  if (Number.isNaN(end) && !Number.isNaN(s.endDeltaUs)) end = h.exportUs - s.endDeltaUs;
  if (!Number.isNaN(s.durationUs)) {
    if (Number.isNaN(end) && !Number.isNaN(start)) end = start + s.durationUs;
    else if (Number.isNaN(start) && !Number.isNaN(end)) start = end - s.durationUs;
  }
  if (Number.isNaN(start)) start = end;
  if (Number.isNaN(end)) end = start;
  if (Number.isNaN(start)) {
    if (!Number.isNaN(s.observationUs)) start = end = s.observationUs;
    else {
      start = end = h.exportUs;
      notes.noTimes = true;
    }
  }

  const proto = s.proto;
  let srcPort = s.srcPort;
  let dstPort = s.dstPort;
  let icmpType: number | undefined;
  let icmpCode: number | undefined;
  if (isIcmp(proto)) {
    if (s.icmpTypeCode >= 0 || s.icmpType >= 0 || s.icmpCode >= 0) {
      // Explicit ICMP elements win over ports (Cisco ASA puts ICMP ids in the ports); the
      // destination port then carries type * 256 + code, as nfdump stores it.
      const tc = s.icmpTypeCode >= 0 ? s.icmpTypeCode : icmpPort(Math.max(0, s.icmpType), Math.max(0, s.icmpCode));
      srcPort = 0;
      dstPort = tc;
    }
    [icmpType, icmpCode] = icmpFromPort(dstPort);
  }

  let bytes = s.bytes >= 0 ? s.bytes : s.bytesTotal >= 0 ? s.bytesTotal : s.initBytes >= 0 ? s.initBytes : s.bytesOut;
  let packets = s.packets >= 0 ? s.packets : s.packetsTotal >= 0 ? s.packetsTotal : s.initPackets >= 0 ? s.initPackets : s.packetsOut;
  const revBytes = s.revBytes >= 0 ? s.revBytes : s.respBytes >= 0 ? s.respBytes : -1;
  const revPackets = s.revPackets >= 0 ? s.revPackets : s.respPackets >= 0 ? s.respPackets : -1;
  if (bytes < 0) bytes = 0;
  if (packets < 0) packets = 0;
  if (s.bytesOut >= 0 && bytes !== s.bytesOut) (attrs ??= {}).outBytes = s.bytesOut;
  if (s.packetsOut >= 0 && packets !== s.packetsOut) (attrs ??= {}).outPackets = s.packetsOut;

  const sampling = recordSampling(s, d);
  const hasRev = revPackets >= 0 || revBytes >= 0;
  out.pos = pos;
  out.startUs = start;
  out.endUs = end;
  out.proto = proto;
  out.src = src;
  out.dst = dst;
  out.srcPort = srcPort;
  out.dstPort = dstPort;
  out.packets = packets;
  out.bytes = bytes;
  out.revPackets = hasRev ? Math.max(0, revPackets) : undefined;
  out.revBytes = hasRev ? Math.max(0, revBytes) : undefined;
  out.tcpFlags = s.tcpFlags >= 0 ? s.tcpFlags : s.yafFlags >= 0 ? s.yafFlags : undefined;
  out.revTcpFlags = s.revTcpFlags >= 0 ? s.revTcpFlags : s.revYafFlags >= 0 ? s.revYafFlags : undefined;
  out.icmpType = icmpType;
  out.icmpCode = icmpCode;
  out.tos = s.tos >= 0 ? s.tos : undefined;
  out.inIf = s.inIf >= 0 ? s.inIf : undefined;
  out.outIf = s.outIf >= 0 ? s.outIf : undefined;
  out.srcAs = s.srcAs >= 0 ? s.srcAs : undefined;
  out.dstAs = s.dstAs >= 0 ? s.dstAs : undefined;
  out.exporter = h.exporter;
  out.sampling = sampling > 0 ? sampling : undefined;
  out.attrs = attrs ?? undefined;
  return true;
}

/** A FlowInput to be filled by recordToFlow, with every field present (one hidden class). */
export function scratchFlow(): FlowInput {
  return {
    pos: 0, startUs: 0, endUs: 0, proto: 0, src: 0, dst: 0, srcPort: 0, dstPort: 0, packets: 0, bytes: 0,
    revPackets: undefined, revBytes: undefined, tcpFlags: undefined, revTcpFlags: undefined, icmpType: undefined, icmpCode: undefined,
    tos: undefined, inIf: undefined, outIf: undefined, srcAs: undefined, dstAs: undefined, exporter: undefined, sampling: undefined, attrs: undefined,
  };
}
