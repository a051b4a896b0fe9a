import type { FlowInput } from '../../model/flow-batch';
import { ARP_PROTO, arpState } from '../../model/protocols';
import { parseIp, type Ip } from '../../model/ip';
import { arrowPointsBack } from '../argus/argus-far-to-flow';
import { ARGUS_TCP_FLAG_LETTERS, protoFromArgusName } from '../argus/argus-names';
import type { ArgusColumns } from './argus-csv-layout';
import { parseArgusTime, parseSecondsMicros } from './parse-argus-time';
import { icmpPort } from '../../model/icmp-port';
import type { IssueCode } from '../issue-codes';

/** How the decoder reads times and what it keeps, fixed for one file. */
export interface ArgusCsvContext {
  /** Zone of wall-clock times, microseconds east of UTC. */
  readonly offsetUs: number;
  /** UTC midnight of the capture day for time-of-day stamps, or null. */
  dayUs: number | null;
  readonly keepArp: boolean;
}

/** What one data line became. */
export type ArgusCsvRowResult =
  | { readonly kind: 'flow'; readonly flow: FlowInput; readonly pktsSplitUnknown: boolean }
  | { readonly kind: 'count'; readonly what: string }
  | { readonly kind: 'reject'; readonly code: IssueCode; readonly message: string }
  | { readonly kind: 'note'; readonly flow: FlowInput; readonly code: IssueCode; readonly message: string; readonly pktsSplitUnknown: boolean };

/** Arrows ra prints in its Dir column (ArgusPrintDirection). */
const KNOWN_DIRS = new Set(['->', '<-', '<->', '<?>', '?>', '<?', 'who', 'tel', '', '-', '?']);
const MAC = /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i;
const FLAG_STATE = /^[FSRPAUEC]*_[FSRPAUEC]*$/;

/** A trimmed cell, '' when the column is absent. */
function cell(f: readonly string[], at: number): string {
  return at >= 0 && at < f.length ? f[at].trim() : '';
}

/** `own` when given, else the total less the other side, else null. */
function other(total: number | null, otherSide: number | null, own: number | null): number | null {
  if (own !== null) return own;
  if (total !== null && otherSide !== null) return total - otherSide;
  return null;
}

function flagBits(letters: string): number {
  let v = 0;
  for (const ch of letters) v |= 1 << ARGUS_TCP_FLAG_LETTERS.indexOf(ch as (typeof ARGUS_TCP_FLAG_LETTERS)[number]);
  return v;
}

/** A counter column: "" = absent (null); decimal or "0x" hex; undefined = unreadable. */
function num(text: string): number | null | undefined {
  const n = text.length;
  if (n === 0) return null;
  let v = 0;
  let i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  if (i === n) return v;
  if (/^0x[0-9a-f]+$/i.test(text)) return parseInt(text.slice(2), 16);
  // "12.000000": a count printed with ra -p
  if (i > 0 && /^\.0*$/.test(text.slice(i))) return v;
  return undefined;
}

/**
 * Maps one split line of ra CSV to a flow row, following the binary decoder's conventions
 * (see argus-far-to-flow.ts): both directions, ra's state text, ICMP type/code as a
 * NetFlow-style destination port, rows turned round when the arrow reads "<-" or "<?".
 */
export function argusCsvRowToFlow(f: readonly string[], cols: ArgusColumns, lineNo: number, ctx: ArgusCsvContext): ArgusCsvRowResult {
  const ix = cols.index;
  const protoText = cell(f, ix.proto).toLowerCase();
  if (protoText === 'man') return { kind: 'count', what: 'man-records' };
  if (protoText === 'evt') return { kind: 'count', what: 'event-records' };

  const saddr = cell(f, ix.saddr);
  const daddr = cell(f, ix.daddr);
  const isArp = protoText === 'arp' || protoText === 'rarp';
  if (isArp && !(ctx.keepArp && protoText === 'arp')) return { kind: 'count', what: `${protoText}-records` };
  let src: Ip | null = parseIp(saddr);
  let dst: Ip | null = parseIp(daddr);
  if (src === null || dst === null) {
    // Layer-2 flows (llc, and ether types ra names) carry MAC "addresses": counted, not stored.
    if ((MAC.test(saddr) || saddr === '') && (MAC.test(daddr) || daddr === '')) {
      return { kind: 'count', what: protoText === 'llc' ? 'llc-records' : 'non-ip-records' };
    }
    return { kind: 'reject', code: 'bad-address', message: `line ${lineNo}: address "${src === null ? saddr : daddr}" is neither IP nor MAC` };
  }
  const proto = isArp ? ARP_PROTO : protoFromArgusName(protoText);
  if (proto === null) return { kind: 'reject', code: 'bad-proto', message: `line ${lineNo}: unknown protocol "${cell(f, ix.proto)}"` };

  const startUs = parseArgusTime(cell(f, ix.stime), ctx.offsetUs, ctx.dayUs);
  if (startUs === null) return { kind: 'reject', code: 'bad-time', message: `line ${lineNo}: start time "${cell(f, ix.stime)}" unreadable` };
  let endUs = startUs;
  if (ix.ltime >= 0 && cell(f, ix.ltime) !== '') {
    const t = parseArgusTime(cell(f, ix.ltime), ctx.offsetUs, ctx.dayUs);
    if (t === null) return { kind: 'reject', code: 'bad-time', message: `line ${lineNo}: last time "${cell(f, ix.ltime)}" unreadable` };
    // A time-of-day last time past midnight belongs to the next day.
    endUs = t < startUs && ctx.dayUs !== null && startUs - t > 43_200e6 ? t + 86_400e6 : t;
  } else if (ix.dur >= 0 && cell(f, ix.dur) !== '') {
    const d = parseSecondsMicros(cell(f, ix.dur));
    if (d === null) return { kind: 'reject', code: 'bad-number', message: `line ${lineNo}: duration "${cell(f, ix.dur)}" unreadable` };
    endUs = startUs + d;
  }
  if (endUs < startUs) return { kind: 'reject', code: 'bad-time', message: `line ${lineNo}: last time before start time` };

  // Counters: any of Tot*/Src*/Dst* columns; the missing ones follow from the others.
  const totP = num(cell(f, ix.pkts));
  const totB = num(cell(f, ix.bytes));
  const sP = num(cell(f, ix.spkts));
  const sB = num(cell(f, ix.sbytes));
  const dP = num(cell(f, ix.dpkts));
  const dB = num(cell(f, ix.dbytes));
  if (totP === undefined || totB === undefined || sP === undefined || sB === undefined || dP === undefined || dB === undefined) {
    return { kind: 'reject', code: 'bad-number', message: `line ${lineNo}: a packet or byte count is not a number` };
  }
  let sb = other(totB, dB, sB);
  let db = other(totB, sB, dB);
  let sp = other(totP, dP, sP);
  let dp = other(totP, sP, dP);
  // One side without bytes sent no packets, and the other sent them all.
  if (sp === null && sb !== null && db !== null && totP != null) {
    if (db === 0) { sp = totP; dp = 0; } else if (sb === 0) { sp = 0; dp = totP; }
  }
  if (sb === null && sp !== null && dp !== null && totB != null) {
    if (dp === 0) { sb = totB; db = 0; } else if (sp === 0) { sb = 0; db = totB; }
  }
  if ((sb !== null && sb < 0) || (db !== null && db < 0) || (sp !== null && sp < 0) || (dp !== null && dp < 0)) {
    return { kind: 'reject', code: 'bad-number', message: `line ${lineNo}: source counts exceed the totals` };
  }
  const pktsSplitUnknown = sp === null;

  const dirRaw = cell(f, ix.dir);
  const dir = dirRaw.includes(' ') ? dirRaw.replace(/\s+/g, '') : dirRaw;
  const sport = cell(f, ix.sport);
  const dport = cell(f, ix.dport);
  const ports = proto === 6 || proto === 17 || proto === 132;
  let srcPort = 0;
  let dstPort = 0;
  let icmpType: number | undefined;
  let icmpCode: number | undefined;
  const attrs: Record<string, unknown> = { dir };
  if (ports) {
    const a = num(sport);
    const b = num(dport);
    if (a === undefined || b === undefined || (a ?? 0) > 0xffff || (b ?? 0) > 0xffff) {
      // ra without -n prints service names; keep them, the number is unknown.
      if (a === undefined) attrs.sportName = sport;
      if (b === undefined) attrs.dportName = dport;
    }
    srcPort = typeof a === 'number' && a <= 0xffff ? a : 0;
    dstPort = typeof b === 'number' && b <= 0xffff ? b : 0;
  } else if (proto === 1) {
    // ra prints the ICMP flow key's type and code bytes as one little-endian short (0x0008 =
    // type 8 code 0) and the ICMP id as the destination "port".
    const tc = num(sport);
    const id = num(dport);
    if (typeof tc === 'number') {
      icmpType = tc & 0xff;
      icmpCode = (tc >> 8) & 0xff;
      dstPort = icmpPort(icmpType, icmpCode);
    }
    if (typeof id === 'number') attrs.icmpId = id;
  } else if (proto === 58) {
    // ICMPv6: ra prints the type as Sport and the code as Dport, in decimal.
    const t = num(sport);
    const c = num(dport);
    if (typeof t === 'number' && t <= 255) icmpType = t;
    if (typeof c === 'number' && c <= 255) icmpCode = c;
    if (icmpType !== undefined) dstPort = icmpPort(icmpType, icmpCode ?? 0);
  }

  let packets = sp ?? totP ?? 0;
  let revPackets: number | undefined = pktsSplitUnknown ? undefined : (dp ?? 0);
  let bytes = sb ?? totB ?? 0;
  let revBytes: number | undefined = sb === null ? undefined : (db ?? 0);
  const state = cell(f, ix.state);
  let tcpFlags: number | undefined;
  let revTcpFlags: number | undefined;
  if (proto === 6 && FLAG_STATE.test(state)) {
    const [a, b] = state.split('_');
    tcpFlags = flagBits(a);
    revTcpFlags = flagBits(b);
  }
  let tos = num(cell(f, ix.stos)) ?? undefined;
  let dTos = num(cell(f, ix.dtos)) ?? undefined;
  let sTtl = num(cell(f, ix.sttl)) ?? undefined;
  let dTtl = num(cell(f, ix.dttl)) ?? undefined;
  let sMac = cell(f, ix.smac);
  let dMac = cell(f, ix.dmac);
  let sAs = num(cell(f, ix.sas)) ?? undefined;
  let dAs = num(cell(f, ix.das)) ?? undefined;
  let sApp = num(cell(f, ix.sappbytes)) ?? undefined;
  let dApp = num(cell(f, ix.dappbytes)) ?? undefined;

  const flip = !isArp && arrowPointsBack(dir) && !pktsSplitUnknown && revBytes !== undefined;
  if (flip) {
    [src, dst] = [dst, src];
    if (ports) [srcPort, dstPort] = [dstPort, srcPort];
    [packets, revPackets] = [revPackets ?? 0, packets];
    [bytes, revBytes] = [revBytes ?? 0, bytes];
    [tcpFlags, revTcpFlags] = [revTcpFlags, tcpFlags];
    [tos, dTos] = [dTos, tos];
    [sTtl, dTtl] = [dTtl, sTtl];
    [sMac, dMac] = [dMac, sMac];
    [sAs, dAs] = [dAs, sAs];
    [sApp, dApp] = [dApp, sApp];
    attrs.flipped = true;
  }
  if (dTos !== undefined) attrs.dTos = dTos;
  if (sTtl !== undefined) attrs.sTtl = sTtl;
  if (dTtl !== undefined) attrs.dTtl = dTtl;
  if (sMac) attrs.sMac = sMac;
  if (dMac) attrs.dMac = dMac;
  if (ix.svlan >= 0 && cell(f, ix.svlan)) attrs.sVlan = cell(f, ix.svlan);
  if (ix.dvlan >= 0 && cell(f, ix.dvlan)) attrs.dVlan = cell(f, ix.dvlan);
  if (isArp) {
    attrs.l2 = 'arp';
    if (state) attrs.argusState = state;
  }
  if (pktsSplitUnknown) attrs.pkts = 'total';
  for (const e of cols.extra) {
    const v = cell(f, e.at);
    if (v !== '') attrs[e.label] = v;
  }

  const flow: FlowInput = {
    pos: lineNo, startUs, endUs, proto, src, dst, srcPort, dstPort, packets, bytes, revPackets, revBytes,
    state: isArp ? arpState(state === 'CON' || (revPackets ?? 0) > 0 || (revBytes ?? 0) > 0) : state || undefined, attrs,
  };
  if (tcpFlags !== undefined) flow.tcpFlags = tcpFlags;
  if (revTcpFlags !== undefined) flow.revTcpFlags = revTcpFlags;
  if (icmpType !== undefined) { flow.icmpType = icmpType; flow.icmpCode = icmpCode ?? 0; }
  if (tos !== undefined && tos <= 255) flow.tos = tos;
  if (sAs !== undefined) flow.srcAs = sAs;
  if (dAs !== undefined) flow.dstAs = dAs;
  if (sApp !== undefined) flow.payloadBytes = sApp;
  if (dApp !== undefined) flow.revPayloadBytes = dApp;
  const label = cell(f, ix.label);
  if (label) flow.label = label;
  if (!KNOWN_DIRS.has(dir)) {
    return { kind: 'note', flow, code: 'unknown-direction', message: `line ${lineNo}: direction "${dirRaw.trim()}" is not one ra prints; kept in attrs.dir`, pktsSplitUnknown };
  }
  return { kind: 'flow', flow, pktsSplitUnknown };
}
