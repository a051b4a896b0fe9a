/**
 * IP protocol numbers (IANA "Assigned Internet Protocol Numbers") with the names flow tools
 * print and read. One table for every place that names a protocol: the CLI and the UI print
 * `protoName`, text formats and the filter language read names through `protoByName`.
 */

/** [number, name as nfdump prints it, other spellings text formats write]. */
const PROTOCOLS: readonly (readonly [number: number, name: string, ...aliases: string[]])[] = [
  [0, 'HOPOPT'], [1, 'ICMP'], [2, 'IGMP'], [4, 'IPIP', 'ipv4'], [6, 'TCP'], [8, 'EGP'], [17, 'UDP'],
  [41, 'IPv6'], [46, 'RSVP'], [47, 'GRE'], [50, 'ESP'], [51, 'AH'], [58, 'ICMP6', 'icmpv6', 'ipv6-icmp'],
  [88, 'EIGRP'], [89, 'OSPF'], [103, 'PIM'], [112, 'VRRP'], [115, 'L2TP'], [132, 'SCTP'], [136, 'UDPLite'],
  [255, 'ARP'],
];

/**
 * The protocol value of ARP rows (Argus ARP records, `.binetflow` arp rows). ARP is not carried
 * in IP, so it has no IP protocol number; 255 is IANA's reserved value, which no IP packet
 * carries, and names these rows `ARP` everywhere (`proto arp` in filters). Their addresses are
 * ARP's sender and target protocol addresses; `state` is `who-has` (unanswered) or `reply`.
 */
export const ARP_PROTO = 255;

/** The state of an ARP row: a request that was answered (`reply`) or not (`who-has`). */
export function arpState(answered: boolean): string {
  return answered ? 'reply' : 'who-has';
}

const NAME = new Map<number, string>(PROTOCOLS.map(([n, name]) => [n, name]));
const BY_NAME = new Map<string, number>(
  PROTOCOLS.flatMap(([n, name, ...aliases]) => [name, ...aliases].map((s) => [s.toLowerCase(), n] as const)),
);

/** The usual name of an IP protocol ("TCP", "ICMP6"), or its number as text. */
export function protoName(proto: number): string {
  return NAME.get(proto) ?? String(proto);
}

/** The lower-case name of a protocol the table knows ("tcp", "icmp6"), else undefined. */
export function protoKeyword(proto: number): string | undefined {
  return NAME.get(proto)?.toLowerCase();
}

/** The number of a protocol name or alias, case-insensitive ("TCP", "ipv6-icmp"); undefined when unknown. */
export function protoByName(name: string): number | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/**
 * A protocol written as a number (`6`) or a name (`TCP`, `icmp6`), as text flow formats
 * write it; null when unknown. With `ipv6`, the name `icmp` means ICMPv6 (Zeek writes `icmp`
 * for both).
 */
export function parseProto(text: string, ipv6 = false): number | null {
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const n = Number(text);
    return Number.isInteger(n) && n >= 0 && n <= 255 ? n : null;
  }
  const n = protoByName(text);
  if (n === undefined) return null;
  return n === 1 && ipv6 ? 58 : n;
}

/** ICMP or ICMPv6: protocols whose flows carry a type and code instead of ports. */
export function isIcmp(proto: number): boolean {
  return proto === 1 || proto === 58;
}
