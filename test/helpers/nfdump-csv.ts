import { readFileSync } from 'node:fs';

/** One flow row of `nfdump -o csv` (nfdump 1.7): the columns the NetFlow tests compare. */
export interface NfdumpRow {
  /** Start/end as UTC epoch seconds (nfdump's csv prints whole seconds). */
  ts: number;
  te: number;
  sa: string;
  da: string;
  sp: number;
  dp: number;
  pr: string;
  flg: string;
  stos: number;
  ipkt: number;
  ibyt: number;
  opkt: number;
  obyt: number;
  inIf: number;
  outIf: number;
  sas: number;
  das: number;
}

/** Parses an `nfdump -o csv` file: the header line, rows, then a "Summary" block. */
export function readNfdumpCsv(path: string): NfdumpRow[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const head = lines[0].split(',');
  const col = (name: string) => head.indexOf(name);
  const idx = {
    ts: col('ts'), te: col('te'), sa: col('sa'), da: col('da'), sp: col('sp'), dp: col('dp'), pr: col('pr'), flg: col('flg'),
    stos: col('stos'), ipkt: col('ipkt'), ibyt: col('ibyt'), opkt: col('opkt'), obyt: col('obyt'), in: col('in'), out: col('out'),
    sas: col('sas'), das: col('das'),
  };
  const rows: NfdumpRow[] = [];
  for (const line of lines.slice(1)) {
    if (line === '' || line.startsWith('Summary') || line.startsWith('No matching')) break;
    const f = line.split(',');
    rows.push({
      ts: Date.parse(`${f[idx.ts].replace(' ', 'T')}Z`) / 1000,
      te: Date.parse(`${f[idx.te].replace(' ', 'T')}Z`) / 1000,
      sa: f[idx.sa], da: f[idx.da], sp: Number(f[idx.sp]), dp: Number(f[idx.dp]), pr: f[idx.pr], flg: f[idx.flg],
      stos: Number(f[idx.stos]), ipkt: Number(f[idx.ipkt]), ibyt: Number(f[idx.ibyt]), opkt: Number(f[idx.opkt]), obyt: Number(f[idx.obyt]),
      inIf: Number(f[idx.in]), outIf: Number(f[idx.out]), sas: Number(f[idx.sas]), das: Number(f[idx.das]),
    });
  }
  return rows;
}

const PROTO_NAMES: Record<number, string> = { 1: 'ICMP', 2: 'IGMP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMP6', 112: 'VRRP', 132: 'SCTP' };

/** nfdump's protocol column text for a protocol number. */
export function nfdumpProto(p: number): string {
  return PROTO_NAMES[p] ?? String(p);
}

/** nfdump's 8-character TCP flags text (CWR ECE URG ACK PSH RST SYN FIN, '.' = unset). */
export function nfdumpFlags(flags: number): string {
  const names = 'CEUAPRSF';
  let s = '';
  for (let i = 0; i < 8; i++) s += flags & (0x80 >> i) ? names[i] : '.';
  return s;
}
