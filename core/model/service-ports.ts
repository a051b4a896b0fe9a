/**
 * The port tables that name or rank services. Three lists with three jobs, kept side by side
 * so that a new service is added in one file:
 * - SERVICE_NAMES: the name the overview shows for a port (IANA service-names registry);
 * - ZEEK_LIKELY_SERVER_PORTS: the ports Zeek's scripts register as server ports, which the
 *   flow meter must match exactly to flip roles as Zeek does;
 * - REGISTERED_SERVICE_PORTS: ports above 1023 that session building treats as the service
 *   side when no SYN shows the direction.
 */

/** [proto, port, name]: port-based service names for the overview (the common ones). */
export const SERVICE_NAMES: readonly (readonly [proto: number, port: number, name: string])[] = [
  [6, 20, 'ftp-data'], [6, 21, 'ftp'], [6, 22, 'ssh'], [6, 23, 'telnet'], [6, 25, 'smtp'], [6, 587, 'smtp'], [6, 465, 'smtp'],
  [6, 53, 'dns'], [17, 53, 'dns'], [17, 67, 'dhcp'], [17, 68, 'dhcp'], [17, 69, 'tftp'], [6, 80, 'http'], [6, 8080, 'http'],
  [6, 110, 'pop3'], [6, 995, 'pop3'], [17, 123, 'ntp'], [6, 135, 'msrpc'], [17, 137, 'netbios'], [17, 138, 'netbios'],
  [6, 139, 'netbios'], [6, 143, 'imap'], [6, 993, 'imap'], [17, 161, 'snmp'], [17, 162, 'snmp'], [6, 179, 'bgp'],
  [6, 389, 'ldap'], [6, 636, 'ldap'], [6, 443, 'https'], [17, 443, 'quic'], [6, 8443, 'https'], [6, 445, 'smb'],
  [17, 500, 'ipsec'], [17, 4500, 'ipsec'], [17, 514, 'syslog'], [6, 1433, 'mssql'], [6, 1521, 'oracle'], [17, 1900, 'ssdp'],
  [6, 3306, 'mysql'], [6, 3389, 'rdp'], [6, 5432, 'postgres'], [17, 5353, 'mdns'], [6, 5900, 'vnc'], [6, 6379, 'redis'],
  [6, 6667, 'irc'], [6, 9200, 'elasticsearch'], [17, 1194, 'openvpn'], [17, 51820, 'wireguard'],
];

const serviceByPort = new Map<number, string>(SERVICE_NAMES.map(([proto, port, name]) => [proto * 65536 + port, name]));

/** The service usually found on a port (IANA names, SERVICE_NAMES), or null: a guess, not a detection. */
export function servicePortName(proto: number, port: number): string | null {
  return serviceByPort.get(proto * 65536 + port) ?? null;
}

/**
 * Zeek's `likely_server_ports` (filled by `Analyzer::register_for_ports` in
 * scripts/base/protocols/* and base/packet-protocols/*), collected from Zeek's scripts.
 */
export const ZEEK_LIKELY_SERVER_PORTS: { readonly tcp: readonly number[]; readonly udp: readonly number[] } = {
  tcp: [
    21, 22, 25, 53, 79, 80, 81, 88, 135, 139, 143, 389, 443, 445, 465, 502, 514, 563, 585, 587, 614, 631, 636,
    989, 990, 992, 993, 995, 1080, 1434, 1883, 2811, 3128, 3268, 3306, 3389, 5222, 5223, 5269, 5432, 6379,
    6666, 6667, 6668, 6669, 8000, 8080, 8888, 20000,
  ],
  udp: [
    53, 67, 88, 123, 137, 161, 162, 389, 443, 514, 1812, 2123, 2152, 3389, 3544, 4011, 4754, 4789, 5060, 5072,
    5353, 5355, 6081, 20000,
  ],
};

const likelyTcp = new Uint8Array(65536);
const likelyUdp = new Uint8Array(65536);
for (const p of ZEEK_LIKELY_SERVER_PORTS.tcp) likelyTcp[p] = 1;
for (const p of ZEEK_LIKELY_SERVER_PORTS.udp) likelyUdp[p] = 1;

/**
 * True when Zeek would consider `port` of protocol `proto` (6 or 17) a likely server port:
 * Zeek flips a new connection's roles when its first packet comes *from* one of these ports
 * (and, for TCP, the packet is not a plain SYN).
 */
export function isLikelyServerPort(proto: number, port: number): boolean {
  return proto === 6 ? likelyTcp[port] === 1 : proto === 17 ? likelyUdp[port] === 1 : false;
}

/**
 * Registered ports (above 1023) that session building treats as the service side when no
 * SYN shows the direction; every port below 1024 counts too.
 */
export const REGISTERED_SERVICE_PORTS: readonly number[] = [
  1080, 1194, 1433, 1521, 1723, 1812, 1813, 1883, 2049, 2375, 3128, 3268, 3306, 3389, 3478, 4500, 5060, 5061, 5222,
  5353, 5355, 5432, 5671, 5672, 5900, 5985, 5986, 6379, 6443, 6667, 8000, 8008, 8080, 8081, 8443, 8888, 9000, 9090,
  9200, 9418, 11211, 27017,
];
