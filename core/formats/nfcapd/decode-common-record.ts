import type { FlowInput } from '../../model/flow-batch';
import type { Ip } from '../../model/ip';
import * as L from './nfcapd-layout';
import { cString, ip6le, u64le } from './nfcapd-read';
import { put, putIp, putMac, putNonZero } from './nfcapd-attrs';
import type { NfcapdState } from './nfcapd-state';
import { icmpFromPort } from '../../model/icmp-port';
import { isIcmp } from '../../model/protocols';

/**
 * Reads an extension map record (nfx.h `extension_map_t`: type 2, size, map_id u16 @4,
 * extension_size u16 @6, ex_id[] u16 from @8 terminated by 0). Returns an error text or null.
 */
export function readExtensionMap(st: NfcapdState, dv: DataView, p: number, size: number): string | null {
  if (size < 8) return `extension map of ${size} bytes is shorter than its 8-byte header`;
  const mapId = dv.getUint16(p + 4, true);
  const ids: number[] = [];
  for (let q = p + 8; q + 2 <= p + size; q += 2) {
    const id = dv.getUint16(q, true);
    if (id === 0) break;
    if (id >= L.V1_EXTENSION_SIZE.length) return `extension map ${mapId} lists unknown extension ${id}`;
    ids.push(id);
  }
  st.maps.set(mapId, ids);
  return null;
}

/**
 * Reads an exporter info record (exporter.h `exporter_info_record_t`, 32 bytes: header,
 * version u32 @4, ip_addr_t @8 (IPv4 in the u32 at @16), sa_family u16 @24, sysid u16 @26, id u32 @28).
 */
export function readExporterInfo(st: NfcapdState, dv: DataView, p: number, size: number): string | null {
  if (size < 32) return `exporter record of ${size} bytes, expected 32`;
  const version = dv.getUint32(p + 4, true);
  const family = dv.getUint16(p + 24, true);
  const sysid = dv.getUint16(p + 26, true);
  const id = dv.getUint32(p + 28, true);
  // AF_INET is 2 everywhere; anything else is one of the platforms' AF_INET6 values
  const ip: Ip = family === 2 ? dv.getUint32(p + 16, true) : ip6le(dv, p + 8);
  st.addExporter({ sysid, ip, version, id });
  return null;
}

/**
 * Decodes one common record (id.h `CommonRecordType` = 10, nfx.h `common_record_t`) laid out
 * by its extension map, following nfdump 1.7's `ExpandRecord_v2` (nffile_compat.c).
 * Fixed part (32 bytes): flags u16 @4, ext_map u16 @6, msec_first u16 @8, msec_last u16 @10,
 * first u32 @12, last u32 @16, fwd_status @20, tcp_flags @21, prot @22, tos @23,
 * srcPort u16 @24, dstPort u16 @26, exporter_sysid u16 @28, biFlowDir @30, flowEndReason @31.
 */
export function decodeCommonRecord(
  st: NfcapdState, buf: Uint8Array, dv: DataView, p: number, size: number, pos: number,
  blockRecord: number | undefined,
): FlowInput | string {
  const end = p + size;
  if (size < L.COMMON_RECORD_HEADER_SIZE) return `common record of ${size} bytes is shorter than its 32-byte header`;
  const flags = dv.getUint16(p + 4, true);
  const mapId = dv.getUint16(p + 6, true);
  const map = st.maps.get(mapId);
  if (!map) return `common record refers to extension map ${mapId}, which the file has not defined`;
  const startMs = dv.getUint32(p + 12, true) * 1000 + dv.getUint16(p + 8, true);
  const endMs = dv.getUint32(p + 16, true) * 1000 + dv.getUint16(p + 10, true);
  const fwdStatus = buf[p + 20];
  const tcpFlags = buf[p + 21];
  const proto = buf[p + 22];
  const tos = buf[p + 23];
  const srcPort = dv.getUint16(p + 24, true);
  const dstPort = dv.getUint16(p + 26, true);
  const sysid = dv.getUint16(p + 28, true);
  let attrs: Record<string, unknown> | undefined;
  attrs = putNonZero(attrs, 'bi_flow_dir', buf[p + 30]);
  attrs = putNonZero(attrs, 'flow_end_reason', buf[p + 31]);

  let q = p + L.COMMON_RECORD_HEADER_SIZE;
  // required extensions 1..3: addresses, packets, bytes (sizes chosen by the flags)
  const need = ((flags & L.FLAG_IPV6_ADDR) ? 32 : 8) + ((flags & L.FLAG_PKG_64) ? 8 : 4) + ((flags & L.FLAG_BYTES_64) ? 8 : 4);
  if (q + need > end) return `common record of ${size} bytes too short for its addresses and counters`;
  let src: Ip;
  let dst: Ip;
  if (flags & L.FLAG_IPV6_ADDR) {
    src = ip6le(dv, q);
    dst = ip6le(dv, q + 16);
    q += 32;
  } else {
    src = dv.getUint32(q, true);
    dst = dv.getUint32(q + 4, true);
    q += 8;
  }
  let packets: number;
  if (flags & L.FLAG_PKG_64) { packets = u64le(dv, q); q += 8; } else { packets = dv.getUint32(q, true); q += 4; }
  let bytes: number;
  if (flags & L.FLAG_BYTES_64) { bytes = u64le(dv, q); q += 8; } else { bytes = dv.getUint32(q, true); q += 4; }

  let inIf: number | undefined;
  let outIf: number | undefined;
  let srcAs: number | undefined;
  let dstAs: number | undefined;
  let revPackets: number | undefined;
  let revBytes: number | undefined;
  let received: Ip | undefined;
  let icmpOverride: number | undefined;

  for (const id of map) {
    const esize = L.V1_EXTENSION_SIZE[id];
    if (q + esize > end) return `extension ${id} overruns the ${size}-byte record`;
    switch (id) {
      case 4: inIf = dv.getUint16(q, true); outIf = dv.getUint16(q + 2, true); break;
      case 5: inIf = dv.getUint32(q, true); outIf = dv.getUint32(q + 4, true); break;
      case 6: srcAs = dv.getUint16(q, true); dstAs = dv.getUint16(q + 2, true); break;
      case 7: srcAs = dv.getUint32(q, true); dstAs = dv.getUint32(q + 4, true); break;
      case 8:
        // tpl_ext_8_t: dst_tos, dir, src_mask, dst_mask
        attrs = putNonZero(attrs, 'dst_tos', buf[q]);
        attrs = putNonZero(attrs, 'dir', buf[q + 1]);
        attrs = putNonZero(attrs, 'src_mask', buf[q + 2]);
        attrs = putNonZero(attrs, 'dst_mask', buf[q + 3]);
        break;
      case 9: attrs = putIp(attrs, 'next_hop', dv.getUint32(q, true)); break;
      case 10: attrs = putIp(attrs, 'next_hop', ip6le(dv, q)); break;
      case 11: attrs = putIp(attrs, 'bgp_next_hop', dv.getUint32(q, true)); break;
      case 12: attrs = putIp(attrs, 'bgp_next_hop', ip6le(dv, q)); break;
      case 13:
        attrs = putNonZero(attrs, 'src_vlan', dv.getUint16(q, true));
        attrs = putNonZero(attrs, 'dst_vlan', dv.getUint16(q + 2, true));
        break;
      case 14: revPackets = dv.getUint32(q, true); break;
      case 15: revPackets = u64le(dv, q); break;
      case 16: revBytes = dv.getUint32(q, true); break;
      case 17: revBytes = u64le(dv, q); break;
      case 18: if (dv.getUint32(q, true) > 1) attrs = put(attrs, 'aggr_flows', dv.getUint32(q, true)); break;
      case 19: if (u64le(dv, q) > 1) attrs = put(attrs, 'aggr_flows', u64le(dv, q)); break;
      case 20: attrs = putMac(attrs, 'in_src_mac', dv, q); attrs = putMac(attrs, 'out_dst_mac', dv, q + 8); break;
      case 21: attrs = putMac(attrs, 'in_dst_mac', dv, q); attrs = putMac(attrs, 'out_src_mac', dv, q + 8); break;
      case 22: {
        const labels: number[] = [];
        for (let j = 0; j < 10; j++) {
          const v = dv.getUint32(q + 4 * j, true);
          if (v === 0) break;
          labels.push(v);
        }
        if (labels.length) attrs = put(attrs, 'mpls', labels);
        break;
      }
      case 23: received = dv.getUint32(q, true); break;
      case 24: received = ip6le(dv, q); break;
      case 25:
        // tpl_ext_25_t: fill u16, engine_type, engine_id
        if (buf[q + 2] !== 0 || buf[q + 3] !== 0) {
          attrs = put(attrs, 'engine_type', buf[q + 2]);
          attrs = put(attrs, 'engine_id', buf[q + 3]);
        }
        break;
      case 26:
        attrs = putNonZero(attrs, 'next_adjacent_as', dv.getUint32(q, true));
        attrs = putNonZero(attrs, 'prev_adjacent_as', dv.getUint32(q + 4, true));
        break;
      case 27: break; // time received
      case 37:
        // tpl_ext_37_t: event_time u64, conn_id u32, nsel_icmp u16 (code low byte, type high), fw_event u8, fill, fw_xevent u16, sgt u16
        attrs = put(attrs, 'event_time_ms', u64le(dv, q));
        attrs = put(attrs, 'conn_id', dv.getUint32(q + 8, true));
        attrs = put(attrs, 'fw_event', buf[q + 14]);
        attrs = put(attrs, 'fw_xevent', dv.getUint16(q + 16, true));
        if (proto === 1 || proto === 58) icmpOverride = dv.getUint16(q + 12, true);
        break;
      case 38:
        attrs = put(attrs, 'xlate_src_port', dv.getUint16(q, true));
        attrs = put(attrs, 'xlate_dst_port', dv.getUint16(q + 2, true));
        break;
      case 39:
        attrs = putIp(attrs, 'xlate_src_ip', dv.getUint32(q, true));
        attrs = putIp(attrs, 'xlate_dst_ip', dv.getUint32(q + 4, true));
        break;
      case 40:
        attrs = putIp(attrs, 'xlate_src_ip', ip6le(dv, q));
        attrs = putIp(attrs, 'xlate_dst_ip', ip6le(dv, q + 16));
        break;
      case 41: {
        const acl = (o: number) => [0, 4, 8].map((k) => dv.getUint32(o + k, true));
        attrs = put(attrs, 'ingress_acl', acl(q));
        attrs = put(attrs, 'egress_acl', acl(q + 12));
        break;
      }
      case 42: attrs = put(attrs, 'username', cString(buf, q, 24)); break;
      case 43: attrs = put(attrs, 'username', cString(buf, q, 72)); break;
      case 45:
        attrs = putNonZero(attrs, 'client_nw_delay_us', u64le(dv, q));
        attrs = putNonZero(attrs, 'server_nw_delay_us', u64le(dv, q + 8));
        attrs = putNonZero(attrs, 'appl_latency_us', u64le(dv, q + 16));
        break;
      case 46:
        // tpl_ext_46_t: nat_event u8, flags u8, fill u16, egress_vrfid u32, ingress_vrfid u32
        attrs = put(attrs, 'nat_event', buf[q]);
        attrs = putNonZero(attrs, 'egress_vrf', dv.getUint32(q + 4, true));
        attrs = putNonZero(attrs, 'ingress_vrf', dv.getUint32(q + 8, true));
        break;
      case 48:
        attrs = put(attrs, 'port_block', [0, 2, 4, 6].map((k) => dv.getUint16(q + k, true)));
        break;
      default:
        if (esize === 0) st.noteOnce(`v1:${id}`, pos, `nfdump extension ${id} is reserved; skipped without data`);
    }
    q += esize;
  }

  const [icmpType, icmpCode] = isIcmp(proto) ? icmpFromPort(icmpOverride ?? dstPort) : [undefined, undefined];
  if (fwdStatus !== 0) attrs = put(attrs, 'fwd_status', fwdStatus);
  if (blockRecord !== undefined) attrs = put(attrs, 'block_record', blockRecord);
  const exporter = st.recordExporter(sysid, received);
  if (revPackets === 0 && revBytes === 0) { revPackets = undefined; revBytes = undefined; }
  st.countRecord(packets, bytes, revPackets, revBytes);
  return {
    pos, startUs: startMs * 1000, endUs: endMs * 1000, proto, src, dst, srcPort, dstPort, packets, bytes,
    revPackets, revBytes, tcpFlags, icmpType, icmpCode, tos, inIf, outIf, srcAs, dstAs, exporter, attrs,
  };
}
