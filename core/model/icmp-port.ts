/**
 * The flow-record convention for ICMP "ports": the destination port field carries
 * type * 256 + code (Cisco NetFlow v5; RFC 7012 / IANA IE 32 icmpTypeCodeIPv4 and IE 139
 * icmpTypeCodeIPv6; nfdump, flow-tools and SiLK store it so). One rule for every format
 * that reads or writes it.
 */

/** ICMP type and code from a destination port written as type * 256 + code. */
export function icmpFromPort(port: number): [type: number, code: number] {
  return [port >>> 8, port & 0xff];
}

/** The destination port that carries an ICMP type and code (type * 256 + code). */
export function icmpPort(type: number, code: number): number {
  return (type << 8) | code;
}
