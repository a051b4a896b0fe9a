import type { ArgusFar } from './argus-far';
import * as W from './argus-layout';

/** TCP header flag bits (RFC 9293 §3.1). */
const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;

/** ICMP request type -> its reply type (RFC 792, RFC 950): echo, timestamp, information, mask. */
const REPLY_OF_REQUEST: Record<number, number> = { 8: 0, 13: 14, 15: 16, 17: 18 };

/**
 * Puts a parsed record into the orientation `ra` (argus-clients 3.0.8, run with -n) shows,
 * replaying what ArgusGenerateRecordStruct (argus_client.c) does after reading the DSRs:
 * - a key stored with ARGUS_REVERSE is swapped back (addresses, and ports for TCP/UDP);
 * - an ARP record with ARGUS_REVERSE keeps its key but swaps its metrics;
 * - TCP flags of a direction without packets are cleared;
 * - ArgusPerformCorrection: an IPv4 TCP flow whose SYN was missed but whose SYN-ACK was
 *   seen is turned round, and an ICMP reply seen alone (keyed by argus under its request
 *   type with ARGUS_DIRECTION) gets its reply type back and is turned round. The port-number
 *   heuristic ra applies only without -n (it needs the services table) is not replayed.
 */
export function canonicalizeArgusFar(far: ArgusFar): void {
  const reverseKey = (far.flowSubtype & W.FLOW_REVERSE) !== 0;
  if (far.family === 'arp' || far.family === 'rarp') {
    if (reverseKey) far.reverse(true);
    return;
  }
  if (reverseKey && (far.family === 'ipv4' || far.family === 'ipv6')) {
    let t = far.src4; far.src4 = far.dst4; far.dst4 = t;
    const a = far.src6; far.src6 = far.dst6; far.dst6 = a;
    if ((far.flowSubtype & 0x3f) === W.FLOW_CLASSIC5TUPLE && (far.proto === 6 || far.proto === 17)) {
      t = far.sport; far.sport = far.dport; far.dport = t;
    }
  }
  if (far.netSubtype === W.NET_TCP_STATUS || far.netSubtype === W.NET_TCP_PERF) {
    if (!far.sPkts) far.sFlags = 0;
    if (!far.dPkts) far.dFlags = 0;
  }
  if (far.family !== 'ipv4' || (far.flowSubtype & 0x3f) !== W.FLOW_CLASSIC5TUPLE) return;
  const directionSet = (far.flowQual & W.FLOW_QUAL_DIRECTION) !== 0;
  if (far.proto === 6 && !directionSet && shouldReverseTcp(far)) far.reverse();
  if (far.proto === 1 && directionSet && far.sPkts && !far.dPkts) {
    // ArgusIcmp.c keys a reply that arrived first under its request type and sets
    // ARGUS_DIRECTION; ra then takes the type from the ICMP object and turns replies round.
    if (far.netIcmpType >= 0) {
      far.keyType = far.netIcmpType;
      far.keyCode = far.netIcmpCode;
    } else {
      const reply = REPLY_OF_REQUEST[far.keyType];
      if (reply !== undefined) {
        far.keyType = reply;
        far.keyCode = 0;
      }
    }
    // ICMP_ECHOREPLY, ICMP_TSTAMPREPLY, ICMP_IREQREPLY, ICMP_MASKREPLY (RFC 792, RFC 950)
    if (far.keyType === 0 || far.keyType === 14 || far.keyType === 16 || far.keyType === 18) far.reverse();
  }
}

/** The TcpShouldReverse test of ArgusGenerateRecordStruct for records that saw a SYN-ACK but no SYN. */
function shouldReverseTcp(far: ArgusFar): boolean {
  const s = far.tcpStatus;
  if (!(s & W.TCP_SAW_SYN_SENT) || s & W.TCP_SAW_SYN) return false;
  const progressed = (s & (W.TCP_CON_ESTABLISHED | W.TCP_NORMAL_CLOSE | W.TCP_FIN | W.TCP_FIN_ACK)) !== 0;
  switch (far.netSubtype) {
    case W.NET_TCP_STATUS:
      // ra reads the src/dst flag bytes of this case from a zeroed field, so only the
      // status test can fire.
      return progressed;
    case W.NET_TCP_PERF:
      if (progressed) return true;
      if (far.sFlags & TH_SYN && !(far.dFlags & TH_RST)) {
        if (far.sPkts > 5 && far.dPkts > 5) return true;
        if (far.sPkts && !far.dPkts && far.sFlags & TH_FIN && Math.floor(far.sBytes / far.sPkts) > 60) return true;
      }
      return false;
    default:
      // TCP_INIT: ra tests a flags byte that its canonical form leaves at zero.
      return false;
  }
}
