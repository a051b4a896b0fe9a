import { readFileSync } from 'node:fs';

/** One flow record as Wireshark's cflow dissector prints it (`tshark -V -O cflow`). */
export interface TsharkFlow {
  frame: number;
  src: string;
  dst: string;
  srcPort?: number;
  dstPort?: number;
  proto?: number;
  packets?: number;
  bytes?: number;
  /** Every "Name: value" line of the record, first occurrence per name. */
  fields: Record<string, string>;
}

/** Parses the flow records (those with SrcAddr/DstAddr) of a tshark cflow decode. */
export function readTsharkCflow(path: string): TsharkFlow[] {
  const out: TsharkFlow[] = [];
  let frame = 0;
  let cur: Record<string, string> | null = null;
  const flush = () => {
    if (cur && cur.SrcAddr !== undefined && cur.DstAddr !== undefined) {
      const num = (k: string) => (cur![k] === undefined ? undefined : Number(cur![k].split(' ')[0]));
      out.push({
        frame, src: cur.SrcAddr, dst: cur.DstAddr, srcPort: num('SrcPort'), dstPort: num('DstPort'),
        proto: cur.Protocol === undefined ? undefined : Number(/\((\d+)\)/.exec(cur.Protocol)?.[1]),
        packets: num('Packets') ?? num('Permanent Packets'), bytes: num('Octets') ?? num('Permanent Octets'), fields: cur,
      });
    }
    cur = null;
  };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const fm = /^Frame (\d+):/.exec(line);
    if (fm) { flush(); frame = Number(fm[1]); continue; }
    // v9/IPFIX records are "Flow n", v5 records "pdu n/m".
    const record = /^\s+Flow \d+$/.test(line) || /^\s+pdu \d+\/\d+$/.test(line);
    if (record || /^\s+(Set|FlowSet) \d+ \[/.test(line)) { flush(); if (record) cur = {}; continue; }
    if (!cur) continue;
    const m = /^\s+([^:[]+?): (.*)$/.exec(line);
    if (m && !m[2].includes('(Reverse') && cur[m[1]] === undefined) cur[m[1]] = m[2];
  }
  flush();
  return out;
}
