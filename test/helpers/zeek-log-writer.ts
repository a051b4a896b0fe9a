import { createWriteStream } from 'node:fs';

/**
 * Writes a Zeek conn.log (TSV, Zeek 6 header) with n synthetic connections, typed from
 * Zeek's documented layout. Used by the ingest tests as a fixture the project makes itself.
 */
export const ZEEK_FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration',
  'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes',
  'resp_pkts', 'resp_ip_bytes', 'tunnel_parents'];
const TYPES = ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'interval', 'count', 'count', 'string', 'bool',
  'bool', 'count', 'string', 'count', 'count', 'count', 'count', 'set[string]'];

export interface SyntheticConn {
  ts: number;
  orig: string;
  origPort: number;
  resp: string;
  respPort: number;
  origPkts: number;
  origIpBytes: number;
  respPkts: number;
  respIpBytes: number;
}

export function syntheticConn(i: number, baseTs = 1_700_000_000): SyntheticConn {
  return {
    ts: baseTs + i * 0.25,
    orig: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    origPort: 1024 + (i % 60000),
    resp: `192.0.2.${(i % 200) + 1}`,
    respPort: [22, 80, 443, 53][i % 4],
    origPkts: 3 + (i % 7),
    origIpBytes: 180 + (i % 1000),
    respPkts: 2 + (i % 5),
    respIpBytes: 120 + (i % 3000),
  };
}

export function zeekHeader(): string {
  return ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn',
    '#open\t2023-11-14-22-13-20', `#fields\t${ZEEK_FIELDS.join('\t')}`, `#types\t${TYPES.join('\t')}`].join('\n') + '\n';
}

export function zeekLine(c: SyntheticConn, i: number): string {
  const proto = c.respPort === 53 ? 'udp' : 'tcp';
  return [c.ts.toFixed(6), `C${i.toString(36).padStart(8, '0')}`, c.orig, c.origPort, c.resp, c.respPort, proto, '-', '1.500000',
    c.origIpBytes - 40 * c.origPkts > 0 ? c.origIpBytes - 40 * c.origPkts : 0, 0, 'SF', 'T', 'F', 0, 'ShADadFf', c.origPkts,
    c.origIpBytes, c.respPkts, c.respIpBytes, '(empty)'].join('\t');
}

/** Streams a conn.log of n connections to path; resolves with the connections' totals. */
export async function writeZeekConnLog(path: string, n: number, start = 0): Promise<{ packets: number; bytes: number }> {
  const out = createWriteStream(path);
  let packets = 0;
  let bytes = 0;
  out.write(zeekHeader());
  let buf: string[] = [];
  for (let i = start; i < start + n; i++) {
    const c = syntheticConn(i);
    packets += c.origPkts + c.respPkts;
    bytes += c.origIpBytes + c.respIpBytes;
    buf.push(zeekLine(c, i));
    if (buf.length === 5000) {
      if (!out.write(buf.join('\n') + '\n')) await new Promise((r) => out.once('drain', r));
      buf = [];
    }
  }
  out.write(buf.length ? buf.join('\n') + '\n#close\t2023-11-14-23-00-00\n' : '#close\t2023-11-14-23-00-00\n');
  await new Promise<void>((ok, fail) => out.end((err?: Error | null) => (err ? fail(err) : ok())));
  return { packets, bytes };
}
