import type { FlowInput } from '../../model/flow-batch';
import type { Ip } from '../../model/ip';
import * as L from './nfcapd-layout';
import { cString, ip6le, isZeroIp, u64le } from './nfcapd-read';
import { put, putIp, putMac, putNonZero } from './nfcapd-attrs';
import type { NfcapdState } from './nfcapd-state';
import { icmpFromPort } from '../../model/icmp-port';
import { isIcmp } from '../../model/protocols';

/**
 * Decodes one V3 record (id.h `V3Record` = 11; nfxV3.h `recordHeaderV3_t` followed by
 * `numElements` elements) at buf[p, p + size) into a FlowInput, following nfdump 1.7's
 * `ExpandRecord_v3`. `pos` is what the flow reports as its position. Returns an error text
 * when an element overruns the record.
 */
export function decodeV3Record(
  st: NfcapdState, buf: Uint8Array, dv: DataView, p: number, size: number, pos: number,
  blockRecord: number | undefined,
): FlowInput | string {
  const end = p + size;
  if (size < L.V3_HEADER_SIZE) return `V3 record of ${size} bytes is shorter than its 12-byte header`;
  const numElements = dv.getUint16(p + 4, true);
  const engineType = buf[p + 6];
  const engineId = buf[p + 7];
  const exporterId = dv.getUint16(p + 8, true);
  const flags = buf[p + 10];

  let startMs = 0;
  let endMs = 0;
  let packets = 0;
  let bytes = 0;
  let srcPort = 0;
  let dstPort = 0;
  let proto = 0;
  let tcpFlags = 0;
  let fwdStatus = 0;
  let tos = 0;
  let src: Ip = 0;
  let dst: Ip = 0;
  let inIf: number | undefined;
  let outIf: number | undefined;
  let srcAs: number | undefined;
  let dstAs: number | undefined;
  let revPackets: number | undefined;
  let revBytes: number | undefined;
  let revTcpFlags: number | undefined;
  let received: Ip | undefined;
  let attrs: Record<string, unknown> | undefined;
  let rare: RareFields | undefined;

  let q = p + L.V3_HEADER_SIZE;
  for (let i = 0; i < numElements; i++) {
    if (q + 4 > end) return `element ${i} of ${numElements} starts beyond the record end`;
    const type = dv.getUint16(q, true);
    const len = dv.getUint16(q + 2, true);
    if (len < 4 || q + len > end) return `element ${i} (type ${type}, length ${len}) overruns the record`;
    const d = q + 4;
    const dlen = len - 4;
    switch (type) {
      case L.EXgenericFlowID:
        // nfxV3.h EXgenericFlow_t: msecFirst @0, msecLast @8, msecReceived @16, inPackets @24,
        // inBytes @32 (u64), srcPort @40, dstPort @42 (u16), proto @44, tcpFlags @45, fwdStatus @46, srcTos @47
        if (dlen < 48) return `EXgenericFlow of ${dlen} bytes, expected 48`;
        startMs = u64le(dv, d);
        endMs = u64le(dv, d + 8);
        packets = u64le(dv, d + 24);
        bytes = u64le(dv, d + 32);
        srcPort = dv.getUint16(d + 40, true);
        dstPort = dv.getUint16(d + 42, true);
        proto = buf[d + 44];
        tcpFlags = buf[d + 45];
        fwdStatus = buf[d + 46];
        tos = buf[d + 47];
        break;
      case L.EXipv4FlowID: {
        if (dlen < 8) return `EXipv4Flow of ${dlen} bytes, expected 8`;
        const s4 = dv.getUint32(d, true);
        const d4 = dv.getUint32(d + 4, true);
        if (typeof src !== 'number' && (!isZeroIp(src) || !isZeroIp(dst)) && s4 === 0 && d4 === 0) break;
        src = s4;
        dst = d4;
        break;
      }
      case L.EXipv6FlowID: {
        if (dlen < 32) return `EXipv6Flow of ${dlen} bytes, expected 32`;
        // Some exporters (pmacct 101/106 samples) fill both address families, one of them
        // with zeros; nfdump then prints the IPv4 address as ::a.b.c.d. Keep the set one.
        const s6 = ip6le(dv, d);
        const d6 = ip6le(dv, d + 16);
        if (typeof src === 'number' && (src !== 0 || dst !== 0) && isZeroIp(s6) && isZeroIp(d6)) break;
        src = s6;
        dst = d6;
        break;
      }
      case L.EXflowMiscID:
        // EXflowMisc_t: input @0, output @4 (u32), srcMask @8, dstMask @9, dir @10, dstTos @11,
        // biFlowDir @12, flowEndReason @13, revTcpFlags @14 (1.7.1; later "align")
        if (dlen < 16) return `EXflowMisc of ${dlen} bytes, expected 16`;
        inIf = dv.getUint32(d, true);
        outIf = dv.getUint32(d + 4, true);
        attrs = putNonZero(attrs, 'src_mask', buf[d + 8]);
        attrs = putNonZero(attrs, 'dst_mask', buf[d + 9]);
        attrs = putNonZero(attrs, 'dir', buf[d + 10]);
        attrs = putNonZero(attrs, 'dst_tos', buf[d + 11]);
        attrs = putNonZero(attrs, 'bi_flow_dir', buf[d + 12]);
        attrs = putNonZero(attrs, 'flow_end_reason', buf[d + 13]);
        if (buf[d + 14] !== 0) revTcpFlags = buf[d + 14];
        break;
      case L.EXcntFlowID: {
        // EXcntFlow_t: flows @0, outPackets @8, outBytes @16 (u64)
        if (dlen < 24) return `EXcntFlow of ${dlen} bytes, expected 24`;
        const flows = u64le(dv, d);
        const op = u64le(dv, d + 8);
        const ob = u64le(dv, d + 16);
        if (flows > 1) attrs = put(attrs, 'aggr_flows', flows);
        if (op !== 0 || ob !== 0) {
          revPackets = op;
          revBytes = ob;
        }
        break;
      }
      case L.EXasRoutingID:
        if (dlen < 8) return `EXasRouting of ${dlen} bytes, expected 8`;
        srcAs = dv.getUint32(d, true);
        dstAs = dv.getUint32(d + 4, true);
        break;
      case L.EXipReceivedV4ID:
        if (dlen < 4) return `EXipReceivedV4 of ${dlen} bytes`;
        received = dv.getUint32(d, true);
        break;
      default: {
        // everything else is rare: decoded out of line so that this loop stays small
        rare ??= { attrs: undefined, received: undefined, sampling: undefined, label: undefined };
        const err = decodeRareElement(st, rare, type, buf, dv, d, dlen, pos);
        if (err !== null) return err;
      }
    }
    q += len;
  }

  let sampling: number | undefined;
  let label: string | undefined;
  if (rare !== undefined) {
    if (rare.attrs) attrs = Object.assign(attrs ?? {}, rare.attrs);
    if (rare.received !== undefined) received = rare.received;
    sampling = rare.sampling;
    label = rare.label;
  }
  const [icmpType, icmpCode] = isIcmp(proto) ? icmpFromPort(dstPort) : [undefined, undefined];
  if (fwdStatus !== 0) attrs = put(attrs, 'fwd_status', fwdStatus);
  if (engineType !== 0 || engineId !== 0) {
    attrs = put(attrs, 'engine_type', engineType);
    attrs = put(attrs, 'engine_id', engineId);
  }
  if (flags & L.V3_FLAG_EVENT) attrs = put(attrs, 'event', true);
  if (blockRecord !== undefined) attrs = put(attrs, 'block_record', blockRecord);
  const exporter = st.recordExporter(exporterId, received);
  st.countRecord(packets, bytes, revPackets, revBytes);
  return {
    pos,
    startUs: startMs * 1000,
    endUs: endMs * 1000,
    proto,
    src,
    dst,
    srcPort,
    dstPort,
    packets,
    bytes,
    revPackets,
    revBytes,
    tcpFlags,
    revTcpFlags,
    icmpType,
    icmpCode,
    tos,
    inIf,
    outIf,
    srcAs,
    dstAs,
    exporter,
    sampling,
    label,
    attrs,
  };
}

/** Fields the rare elements contribute; allocated only for records that carry such elements. */
interface RareFields {
  attrs: Record<string, unknown> | undefined;
  received: Ip | undefined;
  sampling: number | undefined;
  label: string | undefined;
}

/** Decodes the elements outside the common set into `r`; returns an error text or null. */
function decodeRareElement(
  st: NfcapdState, r: RareFields, type: number, buf: Uint8Array, dv: DataView, d: number, dlen: number, pos: number,
): string | null {
  switch (type) {
    case L.EXvLanID:
      if (dlen < 8) return `EXvLan of ${dlen} bytes, expected 8`;
      r.attrs = putNonZero(r.attrs, 'src_vlan', dv.getUint32(d, true));
      r.attrs = putNonZero(r.attrs, 'dst_vlan', dv.getUint32(d + 4, true));
      return null;
    case L.EXbgpNextHopV4ID:
      if (dlen < 4) return `EXbgpNextHopV4 of ${dlen} bytes`;
      r.attrs = putIp(r.attrs, 'bgp_next_hop', dv.getUint32(d, true));
      return null;
    case L.EXbgpNextHopV6ID:
      if (dlen < 16) return `EXbgpNextHopV6 of ${dlen} bytes`;
      r.attrs = putIp(r.attrs, 'bgp_next_hop', ip6le(dv, d));
      return null;
    case L.EXipNextHopV4ID:
      if (dlen < 4) return `EXipNextHopV4 of ${dlen} bytes`;
      r.attrs = putIp(r.attrs, 'next_hop', dv.getUint32(d, true));
      return null;
    case L.EXipNextHopV6ID:
      if (dlen < 16) return `EXipNextHopV6 of ${dlen} bytes`;
      r.attrs = putIp(r.attrs, 'next_hop', ip6le(dv, d));
      return null;
    case L.EXipReceivedV6ID:
      if (dlen < 16) return `EXipReceivedV6 of ${dlen} bytes`;
      r.received = ip6le(dv, d);
      return null;
    case L.EXmplsLabelID: {
      if (dlen < 40) return `EXmplsLabel of ${dlen} bytes, expected 40`;
      const labels: number[] = [];
      for (let j = 0; j < 10; j++) {
        const v = dv.getUint32(d + 4 * j, true);
        if (v === 0) break;
        labels.push(v);
      }
      if (labels.length) r.attrs = put(r.attrs, 'mpls', labels);
      return null;
    }
    case L.EXmacAddrID:
      // EXmacAddr_t: inSrcMac, outDstMac, inDstMac, outSrcMac (u64, MAC in the low 48 bits)
      if (dlen < 32) return `EXmacAddr of ${dlen} bytes, expected 32`;
      r.attrs = putMac(r.attrs, 'in_src_mac', dv, d);
      r.attrs = putMac(r.attrs, 'out_dst_mac', dv, d + 8);
      r.attrs = putMac(r.attrs, 'in_dst_mac', dv, d + 16);
      r.attrs = putMac(r.attrs, 'out_src_mac', dv, d + 24);
      return null;
    case L.EXasAdjacentID:
      if (dlen < 8) return `EXasAdjacent of ${dlen} bytes`;
      r.attrs = putNonZero(r.attrs, 'next_adjacent_as', dv.getUint32(d, true));
      r.attrs = putNonZero(r.attrs, 'prev_adjacent_as', dv.getUint32(d + 4, true));
      return null;
    case L.EXlatencyID:
      if (dlen < 24) return `EXlatency of ${dlen} bytes`;
      r.attrs = putNonZero(r.attrs, 'client_nw_delay_us', u64le(dv, d));
      r.attrs = putNonZero(r.attrs, 'server_nw_delay_us', u64le(dv, d + 8));
      r.attrs = putNonZero(r.attrs, 'appl_latency_us', u64le(dv, d + 16));
      return null;
    case L.EXsamplerInfoID:
      // EXsamplerInfo_t: id i32 @0, interval u32 @4, mode u16 @8, exporter_sysid u16 @10
      if (dlen < 12) return `EXsamplerInfo of ${dlen} bytes`;
      if (dv.getUint32(d + 4, true) > 0) r.sampling = dv.getUint32(d + 4, true);
      return null;
    case L.EXnselCommonID:
      // EXnselCommon_t: msecEvent u64 @0, connID u32 @8, fwXevent u16 @12, fwEvent u8 @14
      if (dlen < 15) return `EXnselCommon of ${dlen} bytes`;
      r.attrs = put(r.attrs, 'event_time_ms', u64le(dv, d));
      r.attrs = put(r.attrs, 'conn_id', dv.getUint32(d + 8, true));
      r.attrs = put(r.attrs, 'fw_xevent', dv.getUint16(d + 12, true));
      r.attrs = put(r.attrs, 'fw_event', buf[d + 14]);
      return null;
    case L.EXnselXlateIPv4ID:
      if (dlen < 8) return `EXnselXlateIPv4 of ${dlen} bytes`;
      r.attrs = putIp(r.attrs, 'xlate_src_ip', dv.getUint32(d, true));
      r.attrs = putIp(r.attrs, 'xlate_dst_ip', dv.getUint32(d + 4, true));
      return null;
    case L.EXnselXlateIPv6ID:
      if (dlen < 32) return `EXnselXlateIPv6 of ${dlen} bytes`;
      r.attrs = putIp(r.attrs, 'xlate_src_ip', ip6le(dv, d));
      r.attrs = putIp(r.attrs, 'xlate_dst_ip', ip6le(dv, d + 16));
      return null;
    case L.EXnselXlatePortID:
      if (dlen < 4) return `EXnselXlatePort of ${dlen} bytes`;
      r.attrs = put(r.attrs, 'xlate_src_port', dv.getUint16(d, true));
      r.attrs = put(r.attrs, 'xlate_dst_port', dv.getUint16(d + 2, true));
      return null;
    case L.EXnselAclID: {
      if (dlen < 24) return `EXnselAcl of ${dlen} bytes`;
      // stored in network order (ExpandRecord_v3 applies ntohl)
      const acl = (o: number) => [0, 4, 8].map((k) => dv.getUint32(o + k, false));
      r.attrs = put(r.attrs, 'ingress_acl', acl(d));
      r.attrs = put(r.attrs, 'egress_acl', acl(d + 12));
      return null;
    }
    case L.EXnselUserID:
      r.attrs = put(r.attrs, 'username', cString(buf, d, Math.min(dlen, 66)));
      return null;
    case L.EXnelCommonID:
      if (dlen === 24) {
        // EXnelCommonCompat_t (older files): msecEvent, egressVrf, ingressVrf, natPoolID, natEvent
        r.attrs = put(r.attrs, 'event_time_ms', u64le(dv, d));
        r.attrs = put(r.attrs, 'egress_vrf', dv.getUint32(d + 8, true));
        r.attrs = put(r.attrs, 'ingress_vrf', dv.getUint32(d + 12, true));
        r.attrs = put(r.attrs, 'nat_pool_id', dv.getUint32(d + 16, true));
        r.attrs = put(r.attrs, 'nat_event', buf[d + 20]);
      } else if (dlen >= 13) {
        // EXnelCommon_t: msecEvent u64 @0, natPoolID u32 @8, natEvent u8 @12
        r.attrs = put(r.attrs, 'event_time_ms', u64le(dv, d));
        r.attrs = put(r.attrs, 'nat_pool_id', dv.getUint32(d + 8, true));
        r.attrs = put(r.attrs, 'nat_event', buf[d + 12]);
      }
      return null;
    case L.EXnelXlatePortID:
      if (dlen < 8) return `EXnelXlatePort of ${dlen} bytes`;
      r.attrs = put(r.attrs, 'port_block', [0, 2, 4, 6].map((k) => dv.getUint16(d + k, true)));
      return null;
    case L.EXnbarAppID: {
      let hex = '';
      for (let j = 0; j < dlen; j++) hex += buf[d + j].toString(16).padStart(2, '0');
      r.attrs = put(r.attrs, 'nbar_app_id', hex);
      return null;
    }
    case L.EXlabelID:
      if (dlen > 0) r.label = cString(buf, d, dlen);
      return null;
    case L.EXinPayloadID:
      r.attrs = put(r.attrs, 'in_payload_captured', dlen);
      return null;
    case L.EXoutPayloadID:
      r.attrs = put(r.attrs, 'out_payload_captured', dlen);
      return null;
    case L.EXtunIPv4ID:
      if (dlen < 12) return `EXtunIPv4 of ${dlen} bytes`;
      r.attrs = putIp(r.attrs, 'tun_src_ip', dv.getUint32(d, true));
      r.attrs = putIp(r.attrs, 'tun_dst_ip', dv.getUint32(d + 4, true));
      r.attrs = put(r.attrs, 'tun_proto', dv.getUint32(d + 8, true));
      return null;
    case L.EXtunIPv6ID:
      if (dlen < 36) return `EXtunIPv6 of ${dlen} bytes`;
      r.attrs = putIp(r.attrs, 'tun_src_ip', ip6le(dv, d));
      r.attrs = putIp(r.attrs, 'tun_dst_ip', ip6le(dv, d + 16));
      r.attrs = put(r.attrs, 'tun_proto', dv.getUint32(d + 32, true));
      return null;
    case L.EXobservationID:
      if (dlen < 12) return `EXobservation of ${dlen} bytes`;
      r.attrs = put(r.attrs, 'observation_point_id', u64le(dv, d));
      r.attrs = put(r.attrs, 'observation_domain_id', dv.getUint32(d + 8, true));
      return null;
    case L.EXvrfID:
      if (dlen < 8) return `EXvrf of ${dlen} bytes`;
      r.attrs = putNonZero(r.attrs, 'egress_vrf', dv.getUint32(d, true));
      r.attrs = putNonZero(r.attrs, 'ingress_vrf', dv.getUint32(d + 4, true));
      return null;
    case L.EXpfinfoID:
      // EXpfinfo_t: action, reason, dir, rewritten (u8), rulenr, subrulenr, uid, pid (u32), ifname
      if (dlen < 20) return `EXpfinfo of ${dlen} bytes`;
      r.attrs = put(r.attrs, 'pf_action', buf[d]);
      r.attrs = put(r.attrs, 'pf_reason', buf[d + 1]);
      r.attrs = put(r.attrs, 'pf_dir', buf[d + 2]);
      r.attrs = put(r.attrs, 'pf_rule', dv.getUint32(d + 4, true));
      if (dlen > 20) r.attrs = put(r.attrs, 'pf_ifname', cString(buf, d + 20, dlen - 20));
      return null;
    default:
      st.noteOnce(`v3:${type}`, pos, `nfdump element type ${type} is not decoded (kept out of the flow)`);
      return null;
  }
}

/**
 * Fast path for the most common V3 record (nfpcapd, NetFlow v5 collectors): exactly
 * EXgenericFlow + EXipv4Flow, 76 bytes, no engine, flags or exporter-independent extras.
 * Gives the same flow as decodeV3Record() without its element loop; returns null for any
 * other record so the caller falls back to the general decoder.
 */
export function decodeV3Common(st: NfcapdState, buf: Uint8Array, dv: DataView, p: number, pos: number): FlowInput | null {
  // recordHeaderV3_t: size @2 = 76, numElements @4 = 2, engineType/engineID @6 = 0, flags @10 = 0;
  // element headers: (type 1, length 52) @12 and (type 2, length 12) @64
  if (dv.getUint32(p, true) !== 0x004c000b || dv.getUint32(p + 4, true) !== 2 || buf[p + 10] !== 0) return null;
  if (dv.getUint32(p + 12, true) !== 0x00340001 || dv.getUint32(p + 64, true) !== 0x000c0002) return null;
  const exporterId = dv.getUint16(p + 8, true);
  const g = p + 16;
  const proto4 = buf[g + 44];
  const dport = dv.getUint16(g + 42, true);
  const [icmpType, icmpCode] = isIcmp(proto4) ? icmpFromPort(dport) : [undefined, undefined];
  const fwd = buf[g + 46];
  const packets4 = u64le(dv, g + 24);
  const bytes4 = u64le(dv, g + 32);
  st.countRecord(packets4, bytes4);
  // Only the fields this record has: a smaller object is cheaper to allocate and collect.
  return {
    pos,
    startUs: u64le(dv, g) * 1000,
    endUs: u64le(dv, g + 8) * 1000,
    proto: proto4,
    src: dv.getUint32(p + 68, true),
    dst: dv.getUint32(p + 72, true),
    srcPort: dv.getUint16(g + 40, true),
    dstPort: dport,
    packets: packets4,
    bytes: bytes4,
    tcpFlags: buf[g + 45],
    icmpType,
    icmpCode,
    tos: buf[g + 47],
    exporter: st.exporterIp(exporterId),
    attrs: fwd !== 0 ? { fwd_status: fwd } : undefined,
  };
}
