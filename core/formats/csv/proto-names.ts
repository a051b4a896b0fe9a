/** IANA protocol numbers for the names text flow formats write (case-insensitive). */
const BY_NAME: Record<string, number> = {
  hopopt: 0, icmp: 1, igmp: 2, ipip: 4, ipv4: 4, tcp: 6, egp: 8, udp: 17, ipv6: 41, rsvp: 46, gre: 47,
  esp: 50, ah: 51, icmp6: 58, icmpv6: 58, 'ipv6-icmp': 58, ospf: 89, pim: 103, vrrp: 112, l2tp: 115, sctp: 132,
};

/**
 * A protocol given as a number (`6`) or a name (`TCP`, `icmp6`); null when unknown.
 * `ipv6` picks ICMPv6 for the name `icmp` when the addresses are IPv6 (Zeek writes `icmp` for both).
 */
export function protoNumber(text: string, ipv6 = false): number | null {
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const n = Number(text);
    return Number.isInteger(n) && n >= 0 && n <= 255 ? n : null;
  }
  const n = BY_NAME[text.toLowerCase()];
  if (n === undefined) return null;
  return n === 1 && ipv6 ? 58 : n;
}
