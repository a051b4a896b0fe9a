import type { ArgusFar } from './argus-far';
import { ARGUS_ICMP_TYPE_NAMES } from './argus-names';
import * as W from './argus-layout';

/**
 * The State column `ra` prints for a flow record (argus-clients 3.0.8 argus_util.c
 * ArgusPrintState and the ArgusGet*Status helpers), without ra's -z/-Z options.
 * Call after canonicalizeArgusFar().
 */
export function argusState(far: ArgusFar): string {
  if ((far.cause & 0xf0) === W.CAUSE_ERROR) return 'ERR';
  switch (far.family) {
    case 'arp':
    case 'rarp':
      // ARGUS_FLOW_ARP: "hdr.type & ARGUS_START" is always true for a FAR, so never REQ.
      if (!far.hasMetric) return 'INT';
      if (far.sPkts && far.dPkts) return 'CON';
      return far.sPkts ? 'INT' : 'RSP';
    case 'ipv4':
    case 'ipv6':
      if ((far.flowSubtype & 0x3f) !== W.FLOW_CLASSIC5TUPLE) return 'UNK';
      if (far.proto === 6) return tcpState(far);
      if (far.proto === 1 && far.family === 'ipv4') return icmpState(far);
      if (far.proto === 58 && far.family === 'ipv6') return icmp6State(far);
      return ipState(far);
    case 'ether':
      return ipState(far);
    default:
      return 'UNK';
  }
}

/** ArgusGetIPStatus. */
function ipState(far: ArgusFar): string {
  if (far.sPkts && far.dPkts) return 'CON';
  // "cause & ARGUS_START" also holds for STOP (0x30); STATUS and TIMEOUT records say REQ.
  if (far.sPkts) return far.cause & W.CAUSE_START ? 'INT' : 'REQ';
  return 'RSP';
}

/** ArgusGetTCPStatus, default (no -z/-Z) form. */
function tcpState(far: ArgusFar): string {
  const s = far.tcpStatus;
  if (s) {
    if (s & W.TCP_RESET) return 'RST';
    if (s & (W.TCP_FIN | W.TCP_FIN_ACK)) return 'FIN';
    if (s & W.TCP_NORMAL_CLOSE) return 'CLO';
    if (far.cause & W.CAUSE_TIMEOUT) return 'TIM';
    if (s & W.TCP_CON_ESTABLISHED) return 'CON';
    if (s & W.TCP_SAW_SYN_SENT) return 'ACC';
    if (s & W.TCP_SAW_SYN) return 'REQ';
    return 'CON';
  }
  return far.sPkts && far.dPkts ? 'CON' : 'INT';
}

/** Suffixes ArgusGetICMPStatus appends to "UR" per ICMP_UNREACH code (RFC 792, RFC 1812). */
const UNREACH_SUFFIX = ['N', 'H', 'O', 'P', 'F', 'S', 'NU', 'HU', 'ISO', 'NPRO', 'HPRO', 'NTOS', 'HTOS', 'FIL', 'PRE', 'CUT'];

/** ArgusGetICMPStatus: the ICMP DSR's type/code when present, else the flow key's. */
function icmpState(far: ArgusFar): string {
  const type = far.icmpDsrType >= 0 ? far.icmpDsrType : far.keyType;
  const code = far.icmpDsrType >= 0 ? far.icmpDsrCode : far.keyCode;
  // ICMP_MAXTYPE is 47 in argus_util.h; types without a name print as UNK.
  let s = type >= 0 && type < ARGUS_ICMP_TYPE_NAMES.length ? ARGUS_ICMP_TYPE_NAMES[type] : 'UNK';
  if (type === 3 && code >= 0 && code < UNREACH_SUFFIX.length) s += UNREACH_SUFFIX[code];
  return s;
}

/** ArgusGetICMPv6Status (RFC 4443, RFC 4861, RFC 3810 type numbers). */
function icmp6State(far: ArgusFar): string {
  const type = far.keyType;
  const code = far.keyCode;
  switch (type) {
    case 1: return ['URNR', 'URAD', 'URBS', 'URAR', 'URP', 'URSF', 'URRR', 'URES'][code] ?? 'UNK';
    case 2: return 'PTB';
    case 3: return code === 0 ? 'TXT' : code === 1 ? 'TXR' : 'UNK';
    case 4: return ['PPH', 'PPNH', 'PPO'][code] ?? 'UNK';
    case 128: return 'ECO';
    case 129: return 'ECR';
    case 130: return 'MRQ';
    case 131: case 143: return 'MHR';
    case 133: return 'NRS';
    case 134: return 'NRA';
    case 135: return 'NNS';
    case 136: return 'NNA';
    case 137: return 'RED';
    default: return 'UNK';
  }
}

/**
 * The Dir column ra prints (ArgusPrintDirection), trimmed: "->", "<-", "<->", "<?>", "?>",
 * "<?", "who" (ARP), "tel" (RARP), "" when the record has no metrics.
 */
export function argusDirection(far: ArgusFar): string {
  if (far.family === 'arp') return 'who';
  if (far.family === 'rarp') return 'tel';
  if (!far.hasMetric) return '';
  let d0 = far.dPkts ? '<' : ' ';
  let d1 = far.sPkts || far.dPkts ? '-' : ' ';
  let d2 = far.sPkts ? '>' : ' ';
  if (far.proto === 6 && (far.family === 'ipv4' || far.family === 'ipv6') && far.hasNet) {
    if (far.tcpStatus & (W.TCP_SAW_SYN | W.TCP_SAW_SYN_SENT)) {
      // ra clears ARGUS_REVERSE before printing, so a seen handshake always reads "->".
      d0 = ' ';
      d2 = '>';
    } else d1 = '?';
  }
  return `${d0}${d1}${d2}`.trim();
}
