/**
 * Ports Zeek's default scripts register as server ports (`likely_server_ports`, filled by
 * `Analyzer::register_for_ports` in scripts/base/protocols/* and base/packet-protocols/*).
 * Zeek flips a new connection's roles when its first packet comes *from* one of these
 * ports (and, for TCP, the packet is not a plain SYN). Collected from Zeek's scripts.
 */
const TCP_PORTS = [
  21, 22, 25, 53, 79, 80, 81, 88, 135, 139, 143, 389, 443, 445, 465, 502, 514, 563, 585, 587, 614, 631, 636,
  989, 990, 992, 993, 995, 1080, 1434, 1883, 2811, 3128, 3268, 3306, 3389, 5222, 5223, 5269, 5432, 6379,
  6666, 6667, 6668, 6669, 8000, 8080, 8888, 20000,
];
const UDP_PORTS = [
  53, 67, 88, 123, 137, 161, 162, 389, 443, 514, 1812, 2123, 2152, 3389, 3544, 4011, 4754, 4789, 5060, 5072,
  5353, 5355, 6081, 20000,
];

const tcp = new Uint8Array(65536);
const udp = new Uint8Array(65536);
for (const p of TCP_PORTS) tcp[p] = 1;
for (const p of UDP_PORTS) udp[p] = 1;

/** True when Zeek would consider `port` of protocol `proto` (6 or 17) a likely server port. */
export function isLikelyServerPort(proto: number, port: number): boolean {
  return proto === 6 ? tcp[port] === 1 : proto === 17 ? udp[port] === 1 : false;
}
