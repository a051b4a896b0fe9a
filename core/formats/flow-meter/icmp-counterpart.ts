/**
 * Zeek keys ICMP "connections" by (type, counterpart type): a request and its reply share
 * a key, so an echo request and its echo reply form one bidirectional flow. Messages
 * without a counterpart are one-way and keyed by (type, code).
 * Returns the value Zeek uses as the responder "port"; `oneWay` tells which case applied.
 */
export function icmpCounterpart(v6: boolean, type: number, code: number): { port: number; oneWay: boolean } {
  const c = v6 ? ICMP6_COUNTERPART[type] : ICMP4_COUNTERPART[type];
  return c === undefined ? { port: code, oneWay: true } : { port: c, oneWay: false };
}

/** Fast path without allocation: counterpart type, or -1 for one-way messages. */
export function icmpCounterpartType(v6: boolean, type: number): number {
  const c = v6 ? ICMP6_COUNTERPART[type] : ICMP4_COUNTERPART[type];
  return c === undefined ? -1 : c;
}

// RFC 792/950/1256: echo, router solicitation/advertisement, timestamp, information, address mask.
export const ICMP4_COUNTERPART: Readonly<Record<number, number>> = { 8: 0, 0: 8, 10: 9, 9: 10, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 };
// RFC 4443/4861/2710/4620/6275: echo, router/neighbor discovery, MLD query/report, node information, HA discovery, mobile prefix.
export const ICMP6_COUNTERPART: Readonly<Record<number, number>> = {
  128: 129, 129: 128, 133: 134, 134: 133, 135: 136, 136: 135, 130: 131, 131: 130, 139: 140, 140: 139,
  144: 145, 145: 144, 146: 147, 147: 146,
};

/**
 * SQL for Zeek's ICMP responder "port" from a row's type and code columns: the counterpart
 * type where the message has one (echo 128 <-> 129, RS 133 <-> RA 134, NS 135 <-> NA 136...),
 * else the code.
 */
export function icmpRespPortSql(proto: string, type: string, code: string): string {
  const arm = (p: number, m: Readonly<Record<number, number>>) =>
    Object.entries(m).map(([t, c]) => `WHEN ${proto} = ${p} AND ${type} = ${t} THEN ${c}`).join(' ');
  return `CASE ${arm(1, ICMP4_COUNTERPART)} ${arm(58, ICMP6_COUNTERPART)} ELSE coalesce(${code}, 0) END`;
}
