import { formatIp4 } from '../../model/ip';
import { icmpFromPort } from '../../model/icmp-port';
import { isIcmp } from '../../model/protocols';
import type { ExportHeader } from '../template-cache/export-header';
import type { ExportSession } from '../template-cache/export-session';
import { positionOf, type MessageSource } from '../template-cache/message-source';
import { V5_HEADER_LENGTH, V5_MAX_COUNT, V5_RECORD_LENGTH } from './netflow-v5-layout';

/**
 * Length of the v5 message at o if its header is plausible (version 5, 1..1364 records),
 * else -1. The caller checks that the length fits.
 */
export function netflowV5Length(dv: DataView, o: number, end: number): number {
  if (end - o < V5_HEADER_LENGTH || dv.getUint16(o) !== 5) return -1;
  const count = dv.getUint16(o + 2);
  if (count === 0 || count > V5_MAX_COUNT) return -1;
  return V5_HEADER_LENGTH + count * V5_RECORD_LENGTH;
}

/**
 * Decodes one complete v5 message at buf[o, o + length). Times: first/last are sysUptime
 * ms, converted with the header's unix_secs/unix_nsecs through the signed 32-bit
 * difference (right across the 49.7-day uptime wrap). The header's sampling interval is
 * recorded per flow, never applied to the counters. Engine type/id, next hop and masks go
 * into attrs when they are not zero.
 */
export function decodeNetflowV5(session: ExportSession, m: MessageSource, o: number): void {
  const { buf, dv } = m;
  // Header (Cisco NetFlow v5 export format): version, count, sysUptime, unix_secs,
  // unix_nsecs, flow_sequence, engine_type, engine_id, sampling_interval.
  const count = dv.getUint16(o + 2);
  const sysUptime = dv.getUint32(o + 4);
  const exportUs = dv.getUint32(o + 8) * 1e6 + Math.floor(dv.getUint32(o + 12) / 1000);
  const engineType = buf[o + 20];
  const engineId = buf[o + 21];
  const samplingField = dv.getUint16(o + 22);
  // Top 2 bits: sampling mode; low 14 bits: interval (0 = not sampled).
  const samplingMode = samplingField >>> 14;
  const interval = samplingField & 0x3fff;
  const sourceId = (engineType << 8) | engineId;
  const h: ExportHeader = {
    version: 5, exportUs, sysUptimeMs: sysUptime, sourceId, exporter: m.exporter,
    domainKey: `${m.exporterKey}/${sourceId}`, packetPos: m.packetPos,
  };
  session.message(h);
  const sampling = interval > 0 ? interval : undefined;
  if (sampling !== undefined) session.samplingFact(h, null, interval, `v5 header (mode ${samplingMode})`);
  const exporter = m.exporter;
  for (let i = 0, r = o + V5_HEADER_LENGTH; i < count; i++, r += V5_RECORD_LENGTH) {
    // Record: srcaddr dstaddr nexthop input(2) output(2) dPkts dOctets first last srcport(2)
    // dstport(2) pad1 tcp_flags prot tos src_as(2) dst_as(2) src_mask dst_mask pad2(2).
    const first = dv.getUint32(r + 24);
    const last = dv.getUint32(r + 28);
    const proto = buf[r + 38];
    let srcPort = dv.getUint16(r + 32);
    const dstPort = dv.getUint16(r + 34);
    const nextHop = dv.getUint32(r + 8);
    // attrs only when something is set: serialising them is the dearest part of storing a flow.
    let attrs: Record<string, unknown> | undefined = engineType !== 0 || engineId !== 0 ? { engineType, engineId } : undefined;
    if (nextHop !== 0) (attrs ??= {}).nextHop = formatIp4(nextHop);
    if (buf[r + 44] !== 0) (attrs ??= {}).srcMask = buf[r + 44];
    if (buf[r + 45] !== 0) (attrs ??= {}).dstMask = buf[r + 45];
    const icmp = isIcmp(proto);
    if (icmp) srcPort = 0;
    const [icmpType, icmpCode] = icmp ? icmpFromPort(dstPort) : [undefined, undefined];
    session.flow({
      pos: positionOf(m, r),
      startUs: exportUs - ((sysUptime - first) | 0) * 1000,
      endUs: exportUs - ((sysUptime - last) | 0) * 1000,
      proto,
      src: dv.getUint32(r),
      dst: dv.getUint32(r + 4),
      srcPort,
      dstPort,
      packets: dv.getUint32(r + 16),
      bytes: dv.getUint32(r + 20),
      tcpFlags: buf[r + 37],
      icmpType,
      icmpCode,
      tos: buf[r + 39],
      inIf: dv.getUint16(r + 12),
      outIf: dv.getUint16(r + 14),
      srcAs: dv.getUint16(r + 40),
      dstAs: dv.getUint16(r + 42),
      exporter,
      sampling,
      attrs,
    });
  }
}
