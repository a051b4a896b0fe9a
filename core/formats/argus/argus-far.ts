/**
 * The parts of one Argus flow record (FAR) that Flowcase uses, filled DSR by DSR.
 * One instance is reused for every record of a file (reset() between records), so the
 * per-record path allocates nothing but the IPv6 address arrays and the FlowInput.
 */
export type ArgusFamily = 'none' | 'ipv4' | 'ipv6' | 'ether' | 'arp' | 'rarp' | 'other';

export class ArgusFar {
  /** ArgusRecordHeader.cause. */
  cause = 0;

  // ArgusFlow DSR
  hasFlow = false;
  flowSubtype = 0;
  flowQual = 0;
  family: ArgusFamily = 'none';
  proto = 0;
  src4 = 0;
  dst4 = 0;
  src6: Uint32Array | null = null;
  dst6: Uint32Array | null = null;
  sport = 0;
  dport = 0;
  /** ICMP/ICMPv6/IGMP type and code from the flow key; -1 when the key has none. */
  keyType = -1;
  keyCode = -1;
  icmpId = -1;
  fragment = false;
  spi = -1;
  /** Layer-2 key (llc / non-IP records): addresses as text, SAPs. */
  srcMac = '';
  dstMac = '';
  etherType = 0;
  ssap = 0;
  dsap = 0;
  arpOp = -1;

  // ArgusTimeObject DSR, UTC microseconds (0 = absent)
  srcStart = 0;
  srcEnd = 0;
  dstStart = 0;
  dstEnd = 0;
  hasTime = false;

  // ArgusMetricStruct DSR
  hasMetric = false;
  hasApp = false;
  sPkts = 0;
  sBytes = 0;
  sApp = 0;
  dPkts = 0;
  dBytes = 0;
  dApp = 0;

  // ArgusNetworkStruct DSR
  netSubtype = 0;
  hasNet = false;
  tcpStatus = 0;
  sFlags = 0;
  dFlags = 0;
  hasFlags = false;
  netIcmpType = -1;
  netIcmpCode = -1;

  // ArgusIcmpStruct DSR (top-level)
  icmpDsrType = -1;
  icmpDsrCode = -1;

  // ArgusIPAttrStruct DSR
  sTtl = -1;
  sTos = -1;
  dTtl = -1;
  dTos = -1;

  // ArgusMacStruct DSR
  macSrc = '';
  macDst = '';

  // VLAN, MPLS, ASN, label, transport
  sVlan = -1;
  dVlan = -1;
  sMpls = -1;
  dMpls = -1;
  srcAs = -1;
  dstAs = -1;
  label = '';
  srcId = '';
  seq = -1;
  /** ArgusAgrStruct.count: how many records racluster/ramerge merged into this one (ra's Trans). */
  agrCount = -1;

  /** DSR types this record carried that the decoder skipped by length. */
  skippedDsrs = 0;

  reset(cause: number): void {
    this.cause = cause;
    this.hasFlow = false;
    this.flowSubtype = 0;
    this.flowQual = 0;
    this.family = 'none';
    this.proto = 0;
    this.src4 = 0;
    this.dst4 = 0;
    this.src6 = null;
    this.dst6 = null;
    this.sport = 0;
    this.dport = 0;
    this.keyType = -1;
    this.keyCode = -1;
    this.icmpId = -1;
    this.fragment = false;
    this.spi = -1;
    this.srcMac = '';
    this.dstMac = '';
    this.etherType = 0;
    this.ssap = 0;
    this.dsap = 0;
    this.arpOp = -1;
    this.srcStart = 0;
    this.srcEnd = 0;
    this.dstStart = 0;
    this.dstEnd = 0;
    this.hasTime = false;
    this.hasMetric = false;
    this.hasApp = false;
    this.sPkts = 0;
    this.sBytes = 0;
    this.sApp = 0;
    this.dPkts = 0;
    this.dBytes = 0;
    this.dApp = 0;
    this.netSubtype = 0;
    this.hasNet = false;
    this.tcpStatus = 0;
    this.sFlags = 0;
    this.dFlags = 0;
    this.hasFlags = false;
    this.netIcmpType = -1;
    this.netIcmpCode = -1;
    this.icmpDsrType = -1;
    this.icmpDsrCode = -1;
    this.sTtl = -1;
    this.sTos = -1;
    this.dTtl = -1;
    this.dTos = -1;
    this.macSrc = '';
    this.macDst = '';
    this.sVlan = -1;
    this.dVlan = -1;
    this.sMpls = -1;
    this.dMpls = -1;
    this.srcAs = -1;
    this.dstAs = -1;
    this.label = '';
    this.srcId = '';
    this.seq = -1;
    this.agrCount = -1;
    this.skippedDsrs = 0;
  }

  /**
   * Swaps the two directions of everything except what `keepKey` protects, the way
   * argus-clients' ArgusReverseRecord (argus_util.c) does: addresses, ports, metrics,
   * times, IP attributes, TCP flags, MACs, VLANs, MPLS labels and AS numbers.
   */
  reverse(keepKey = false): void {
    if (!keepKey) {
      let t = this.src4; this.src4 = this.dst4; this.dst4 = t;
      const a = this.src6; this.src6 = this.dst6; this.dst6 = a;
      // ArgusReverseRecord swaps ports only for TCP and UDP keys.
      if (this.proto === 6 || this.proto === 17) { t = this.sport; this.sport = this.dport; this.dport = t; }
      const m = this.srcMac; this.srcMac = this.dstMac; this.dstMac = m;
      t = this.ssap; this.ssap = this.dsap; this.dsap = t;
    }
    let n = this.sPkts; this.sPkts = this.dPkts; this.dPkts = n;
    n = this.sBytes; this.sBytes = this.dBytes; this.dBytes = n;
    n = this.sApp; this.sApp = this.dApp; this.dApp = n;
    n = this.srcStart; this.srcStart = this.dstStart; this.dstStart = n;
    n = this.srcEnd; this.srcEnd = this.dstEnd; this.dstEnd = n;
    n = this.sTtl; this.sTtl = this.dTtl; this.dTtl = n;
    n = this.sTos; this.sTos = this.dTos; this.dTos = n;
    n = this.sFlags; this.sFlags = this.dFlags; this.dFlags = n;
    n = this.sVlan; this.sVlan = this.dVlan; this.dVlan = n;
    n = this.sMpls; this.sMpls = this.dMpls; this.dMpls = n;
    n = this.srcAs; this.srcAs = this.dstAs; this.dstAs = n;
    const s = this.macSrc; this.macSrc = this.macDst; this.macDst = s;
  }
}
