import type { FlowInput } from '../../model/flow-batch';
import type { ArgusFar } from './argus-far';
import { argusDirection, argusState } from './argus-state';
import * as W from './argus-layout';
import { icmpPort } from '../../model/icmp-port';
import { ARP_PROTO, arpState } from '../../model/protocols';

const CAUSE_NAMES: Record<number, string> = {
  [W.CAUSE_START]: 'start',
  [W.CAUSE_STATUS]: 'status',
  [W.CAUSE_STOP]: 'stop',
  [W.CAUSE_TIMEOUT]: 'timeout',
  [W.CAUSE_FLUSH]: 'flush',
  [W.CAUSE_SHUTDOWN]: 'shutdown',
  [W.CAUSE_CLOSED]: 'closed',
  [W.CAUSE_ERROR]: 'error',
};

/** True when ra's Dir arrow says the destination side sent first or alone ("<-", "<?"). */
export function arrowPointsBack(dir: string): boolean {
  return dir === '<-' || dir === '<?';
}

/**
 * Maps a canonicalized record to a flow row. Both directions are stored (packets/bytes =
 * SrcAddr -> DstAddr as ra shows them, rev* = the other way); bytes are Argus's, which
 * include the link-layer header. When ra's arrow reads "<-" or "<?" (only the destination
 * sent, or sent first) the row is turned round so that src is the sender, and attrs
 * records `flipped: true` beside ra's original `dir`.
 * Returns null for records that have no IP key (the caller counts those).
 */
export function argusFarToFlow(far: ArgusFar, pos: number, keepArp: boolean): FlowInput | null {
  const ip = far.family === 'ipv4' || far.family === 'ipv6';
  if (!ip && !(keepArp && far.family === 'arp')) return null;
  if (!far.hasTime) return null;
  const dir = argusDirection(far);
  const state = argusState(far);
  const flip = ip && arrowPointsBack(dir);
  if (flip) far.reverse();

  const startUs = minNonZero(far.srcStart, far.dstStart);
  const endUs = Math.max(far.srcEnd, far.dstEnd, startUs);
  const arp = far.family === 'arp';
  const proto = arp ? ARP_PROTO : far.proto;
  const icmp = (proto === 1 && far.family === 'ipv4') || (proto === 58 && far.family === 'ipv6');
  const ports = proto === 6 || proto === 17 || proto === 132;

  const attrs: Record<string, unknown> = { dir };
  if (flip) attrs.flipped = true;
  const cause = CAUSE_NAMES[far.cause & 0xf0];
  if (cause) attrs.cause = cause;
  if (far.dTos >= 0) attrs.dTos = far.dTos;
  if (far.sTtl >= 0) attrs.sTtl = far.sTtl;
  if (far.dTtl >= 0) attrs.dTtl = far.dTtl;
  if (icmp && far.icmpId >= 0) attrs.icmpId = far.icmpId;
  if (far.icmpDsrType >= 0) { attrs.icmpInfoType = far.icmpDsrType; attrs.icmpInfoCode = far.icmpDsrCode; }
  if (proto === 2 && far.keyType >= 0) { attrs.igmpType = far.keyType; attrs.igmpCode = far.keyCode; }
  if (far.spi >= 0) attrs.spi = far.spi;
  if (far.fragment) attrs.fragment = true;
  if (far.macSrc) { attrs.sMac = far.macSrc; attrs.dMac = far.macDst; }
  if (far.sVlan >= 0) attrs.sVlan = far.sVlan;
  if (far.dVlan >= 0) attrs.dVlan = far.dVlan;
  if (far.sMpls >= 0) attrs.sMpls = far.sMpls;
  if (far.dMpls >= 0) attrs.dMpls = far.dMpls;
  if ((far.flowSubtype & 0x3f) === W.FLOW_LAYER_3_MATRIX) attrs.flowModel = 'l3-matrix';
  if (far.agrCount >= 0) attrs.trans = far.agrCount;
  if (far.family === 'arp') {
    attrs.l2 = 'arp';
    if (far.arpOp >= 0) attrs.arpOp = far.arpOp;
    if (far.srcMac) attrs.sMac = far.srcMac;
  }

  const rec: FlowInput = {
    pos,
    startUs,
    endUs,
    proto,
    src: far.family === 'ipv6' ? (far.src6 as Uint32Array) : far.src4,
    dst: far.family === 'ipv6' ? (far.dst6 as Uint32Array) : far.dst4,
    srcPort: ports ? far.sport : 0,
    // ICMP "ports" follow the NetFlow convention (type << 8 | code in the destination port).
    dstPort: ports ? far.dport : icmp && far.keyType >= 0 ? icmpPort(far.keyType, far.keyCode) : 0,
    packets: far.sPkts,
    bytes: far.sBytes,
    revPackets: far.dPkts,
    revBytes: far.dBytes,
    state: arp ? arpState(far.dPkts > 0) : state,
    attrs,
  };
  if (arp) attrs.argusState = state;
  if (proto === 6 && far.hasFlags) {
    rec.tcpFlags = far.sFlags;
    // TCP_INIT carries the first packet's flags only.
    if (far.netSubtype !== W.NET_TCP_INIT || flip) rec.revTcpFlags = far.dFlags;
    if (far.netSubtype === W.NET_TCP_INIT && flip) rec.tcpFlags = undefined;
  }
  if (icmp && far.keyType >= 0) {
    rec.icmpType = far.keyType;
    rec.icmpCode = far.keyCode;
  }
  if (far.sTos >= 0) rec.tos = far.sTos;
  if (far.srcAs >= 0) rec.srcAs = far.srcAs;
  if (far.dstAs >= 0) rec.dstAs = far.dstAs;
  if (far.hasApp) {
    rec.payloadBytes = far.sApp;
    rec.revPayloadBytes = far.dApp;
  }
  if (far.label) rec.label = far.label;
  return rec;
}

function minNonZero(a: number, b: number): number {
  if (a && b) return Math.min(a, b);
  return a || b;
}
