/**
 * Port-based service names for the overview (IANA service-names registry, the common
 * ones). A flow's service is the name of its destination port, else of its source port
 * (the reply direction of a unidirectional export), else 'other'.
 */
export const SERVICE_PORTS: readonly (readonly [proto: number, port: number, name: string])[] = [
  [6, 20, 'ftp-data'], [6, 21, 'ftp'], [6, 22, 'ssh'], [6, 23, 'telnet'], [6, 25, 'smtp'], [6, 587, 'smtp'], [6, 465, 'smtp'],
  [6, 53, 'dns'], [17, 53, 'dns'], [17, 67, 'dhcp'], [17, 68, 'dhcp'], [17, 69, 'tftp'], [6, 80, 'http'], [6, 8080, 'http'],
  [6, 110, 'pop3'], [6, 995, 'pop3'], [17, 123, 'ntp'], [6, 135, 'msrpc'], [17, 137, 'netbios'], [17, 138, 'netbios'],
  [6, 139, 'netbios'], [6, 143, 'imap'], [6, 993, 'imap'], [17, 161, 'snmp'], [17, 162, 'snmp'], [6, 179, 'bgp'],
  [6, 389, 'ldap'], [6, 636, 'ldap'], [6, 443, 'https'], [17, 443, 'quic'], [6, 8443, 'https'], [6, 445, 'smb'],
  [17, 500, 'ipsec'], [17, 4500, 'ipsec'], [17, 514, 'syslog'], [6, 1433, 'mssql'], [6, 1521, 'oracle'], [17, 1900, 'ssdp'],
  [6, 3306, 'mysql'], [6, 3389, 'rdp'], [6, 5432, 'postgres'], [17, 5353, 'mdns'], [6, 5900, 'vnc'], [6, 6379, 'redis'],
  [6, 6667, 'irc'], [6, 9200, 'elasticsearch'], [17, 1194, 'openvpn'], [17, 51820, 'wireguard'],
];

/**
 * FlowScan's rule for passive FTP: a TCP flow between two high ports (>= 1024) of two hosts
 * that had an FTP control connection (port 21) starting before it, and at most this long
 * after that control connection ended, is FTP data.
 */
export const FTP_DATA_LOOKBACK_US = 300 * 1_000_000;

/** Service names by code: 0 'other', -1 'ftp-data' (by the rule), else SERVICE_PORTS index + 1. */
export function serviceName(code: number): string {
  if (code === -1) return 'ftp-data';
  return SERVICE_PORTS[code - 1]?.[2] ?? 'other';
}

/**
 * SQL VALUES rows (proto, port, code) for SERVICE_PORTS; every value comes from the
 * constant table above. Queries group by the small integer code, which is much cheaper
 * than grouping by a name per row, and names are put back in JS.
 */
export function serviceValuesSql(): string {
  return SERVICE_PORTS.map(([proto, port], i) => `(${proto}, ${port}, ${i + 1})`).join(', ');
}
