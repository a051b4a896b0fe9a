/**
 * Scratch space one NetFlow v9 / IPFIX data record is decoded into. The compiled field
 * readers write into it, then `recordToFlow` turns it into a FlowInput. One instance is
 * reused for every record (reset() between records), so decoding allocates nothing per
 * record beyond the FlowInput, IPv6 addresses and, when the template has extra fields,
 * the attrs object.
 *
 * Numbers use -1 (counters, optional columns) or NaN (times) for "not in the record".
 */
export class RecordState {
  src4 = -1;
  dst4 = -1;
  src6: Uint32Array | null = null;
  dst6: Uint32Array | null = null;
  proto = 0;
  srcPort = 0;
  dstPort = 0;
  /** octetDeltaCount / packetDeltaCount (or the Total variants, v9 IN_*). */
  bytes = -1;
  packets = -1;
  /** Total counters, used when no delta counter is present. */
  bytesTotal = -1;
  packetsTotal = -1;
  /** v9 OUT_BYTES/OUT_PKTS (IPFIX postOctetDeltaCount...): used when nothing else counts. */
  bytesOut = -1;
  packetsOut = -1;
  /** NSEL initiator/responder counters (Cisco ASA), bidirectional by nature. */
  initBytes = -1;
  initPackets = -1;
  respBytes = -1;
  respPackets = -1;
  revBytes = -1;
  revPackets = -1;
  tcpFlags = -1;
  revTcpFlags = -1;
  /** YAF initialTCPFlags | unionTCPFlags (CERT PEN 6871), used when tcpControlBits is absent. */
  yafFlags = -1;
  revYafFlags = -1;
  tos = -1;
  inIf = -1;
  outIf = -1;
  srcAs = -1;
  dstAs = -1;
  icmpType = -1;
  icmpCode = -1;
  /** icmpTypeCodeIPv4/IPv6 (type * 256 + code). */
  icmpTypeCode = -1;
  ipVersion = 0;
  // Times. Absolute ones in UTC microseconds.
  startUs = NaN;
  endUs = NaN;
  startUptimeMs = NaN;
  endUptimeMs = NaN;
  startDeltaUs = NaN;
  endDeltaUs = NaN;
  durationUs = NaN;
  observationUs = NaN;
  systemInitMs = NaN;
  // Sampling as carried in this record (data or options).
  samplingInterval = -1;
  samplerRandomInterval = -1;
  packetInterval = -1;
  packetSpace = -1;
  samplingSize = -1;
  samplingPopulation = -1;
  samplerId = -1;
  /** Address family of the last address element read (4 or 6): decides between pairs. */
  lastFamily = 0;
  /** Other fields, created only when the template has such fields. */
  attrs: Record<string, unknown> | null = null;

  reset(): void {
    this.src4 = -1;
    this.dst4 = -1;
    this.src6 = null;
    this.dst6 = null;
    this.proto = 0;
    this.srcPort = 0;
    this.dstPort = 0;
    this.bytes = -1;
    this.packets = -1;
    this.bytesTotal = -1;
    this.packetsTotal = -1;
    this.bytesOut = -1;
    this.packetsOut = -1;
    this.initBytes = -1;
    this.initPackets = -1;
    this.respBytes = -1;
    this.respPackets = -1;
    this.revBytes = -1;
    this.revPackets = -1;
    this.tcpFlags = -1;
    this.revTcpFlags = -1;
    this.yafFlags = -1;
    this.revYafFlags = -1;
    this.tos = -1;
    this.inIf = -1;
    this.outIf = -1;
    this.srcAs = -1;
    this.dstAs = -1;
    this.icmpType = -1;
    this.icmpCode = -1;
    this.icmpTypeCode = -1;
    this.ipVersion = 0;
    this.startUs = NaN;
    this.endUs = NaN;
    this.startUptimeMs = NaN;
    this.endUptimeMs = NaN;
    this.startDeltaUs = NaN;
    this.endDeltaUs = NaN;
    this.durationUs = NaN;
    this.observationUs = NaN;
    this.systemInitMs = NaN;
    this.samplingInterval = -1;
    this.samplerRandomInterval = -1;
    this.packetInterval = -1;
    this.packetSpace = -1;
    this.samplingSize = -1;
    this.samplingPopulation = -1;
    this.samplerId = -1;
    this.lastFamily = 0;
    this.attrs = null;
  }

  /** The attrs object, created on first use. */
  extra(): Record<string, unknown> {
    return (this.attrs ??= {});
  }
}
