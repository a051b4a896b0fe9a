/**
 * Names `ra` prints, from argus-clients 3.0.8 `include/argus_util.h`
 * (`ip_proto_string[]`, `icmptypestr[]`), and their reverse lookups for Argus CSV.
 */

/** ip_proto_string[] (argus_util.h): protocol number -> the name in ra's Proto column. */
export const ARGUS_PROTO_NAMES: readonly (string | null)[] = (() => {
  const named = [
    'ip', 'icmp', 'igmp', 'ggp', 'ipnip', 'st2', 'tcp', 'cbt', 'egp', 'igp', 'bbn-rcc', 'nvp',
    'pup', 'argus', 'emcon', 'xnet', 'chaos', 'udp', 'mux', 'dcn', 'hmp', 'prm', 'xns-idp', 'trunk-1', 'trunk-2',
    'leaf-1', 'leaf-2', 'rdp', 'irtp', 'iso-tp4', 'netblt', 'mfe-nsp', 'merit-inp', 'sep', '3pc', 'idpr', 'xtp',
    'ddp', 'idpr-cmtp', 'tp++', 'il', 'ipv6', 'sdrp', 'ipv6-route', 'ipv6-frag', 'idrp', 'rsvp', 'gre', 'mhrp',
    'bna', 'esp', 'ah', 'i-nlsp', 'swipe', 'narp', 'mobile', 'tlsp', 'skip', 'ipv6-icmp', 'ipv6-no', 'ipv6-opts',
    'any', 'cftp', 'any', 'sat-expak', 'kryptolan', 'rvd', 'ippc', 'any', 'sat-mon', 'visa', 'ipcv', 'cpnx',
    'cphb', 'wsn', 'pvp', 'br-sat-mon', 'sun-nd', 'wb-mon', 'wb-expak', 'iso-ip', 'vmtp', 'secure-vmtp', 'vines',
    'ttp', 'nsfnet-igp', 'dgp', 'tcf', 'eigrp', 'ospf', 'sprite-rpc', 'larp', 'mtp', 'ax.25', 'ipip', 'micp',
    'aes-sp3-d', 'etherip', 'encap', 'pri-enc', 'gmtp', 'ifmp', 'pnni', 'pim', 'aris', 'scps', 'qnx', 'a/n',
    'ipcomp', 'snp', 'compaq-peer', 'ipx-n-ip', 'vrrp', 'pgm', 'zero', 'l2tp', 'ddx', 'iatp', 'stp', 'srp', 'uti',
    'smp', 'sm', 'ptp', 'isis', 'fire', 'crtp', 'crudp', 'sccopmce', 'iplt', 'sps', 'pipe', 'sctp', 'fc', 'rsvp',
  ];
  const table: (string | null)[] = new Array(256).fill(null);
  named.forEach((n, i) => { table[i] = n; });
  table[253] = 'ib';
  return table;
})();

const PROTO_BY_NAME: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  ARGUS_PROTO_NAMES.forEach((n, i) => {
    // First number wins: "any" and "rsvp" appear twice in ra's table.
    if (n !== null && !m.has(n)) m.set(n, i);
  });
  // Names ra prints for UDP flows it recognised by their Network DSR.
  m.set('rtp', 17);
  m.set('rtcp', 17);
  m.set('udt', 17);
  // ra -n also prints these spellings in some builds.
  m.set('icmp6', 58);
  m.set('ipv6icmp', 58);
  return m;
})();

let lastName = '';
let lastProto: number | null = null;

/** IP protocol number for a name in ra's Proto column (or a decimal number), else null. */
export function protoFromArgusName(name: string): number | null {
  if (name === lastName) return lastProto;
  const s = name.trim().toLowerCase();
  let v: number | null;
  if (/^\d{1,3}$/.test(s)) v = Number(s) <= 255 ? Number(s) : null;
  else v = PROTO_BY_NAME.get(s) ?? null;
  lastName = name;
  lastProto = v;
  return v;
}

/** icmptypestr[] (argus_util.h): ICMP type -> the state ra prints for it ("ECO", "UR", ...). */
export const ARGUS_ICMP_TYPE_NAMES: readonly string[] = [
  'ECR', '   ', '   ', 'UR', 'SRC', 'RED',
  'AHA', '   ', 'ECO', 'RTA', 'RTS', 'TXD',
  'PAR', 'TST', 'TSR', 'IRQ', 'IRR', 'MAS',
  'MSR', 'SEC', 'ROB', 'ROB', 'ROB', 'ROB',
  'ROB', 'ROB', 'ROB', 'ROB', 'ROB', 'ROB',
  'TRC', 'DCE', 'MHR', 'WAY', 'IAH', 'MRQ',
  'MRP', 'DNQ', 'DNP', 'SKP', 'PHO', 'NRS',
  'NRA', 'NNS', 'NNA', 'PTB',
];

/** ArgusTCPFlags[] (argus_util.c): the letters of `ra -Z b` states, bit 0 (FIN) first. */
export const ARGUS_TCP_FLAG_LETTERS = ['F', 'S', 'R', 'P', 'A', 'U', 'E', 'C'] as const;
