/** TCP flags as letters in nfdump's order (CWR ECE URG ACK PSH RST SYN FIN), '.' for unset. */
export function tcpFlagsText(flags: number | null | undefined): string {
  if (flags === null || flags === undefined) return '';
  const letters = 'CEUAPRSF';
  let out = '';
  for (let i = 0; i < 8; i++) out += flags & (0x80 >> i) ? letters[i] : '.';
  return out;
}

export const PROTO_NAMES: Record<number, string> = {
  1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMP6', 89: 'OSPF', 132: 'SCTP',
};

export function protoName(p: number): string {
  return PROTO_NAMES[p] ?? String(p);
}
