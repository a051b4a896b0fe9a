import type { CsvTimeFormat } from './csv-time';

/**
 * Which column holds which flow field: the shape the import dialog produces and the `mapping`
 * decode option takes. Values are header names (matched case-insensitively, spaces trimmed);
 * a file without a header line names its columns `col1`, `col2`, ...
 */
export interface CsvMapping {
  readonly startTime: string;
  /** End time column; else start + duration; else the start time. */
  readonly endTime?: string;
  readonly duration?: string;
  /** Unit of the duration column (default seconds). */
  readonly durationUnit?: 's' | 'ms' | 'us';
  readonly srcAddr: string;
  readonly dstAddr: string;
  readonly srcPort?: string;
  readonly dstPort?: string;
  /** Protocol as a number or a name (TCP, udp, ICMP6...). */
  readonly proto?: string;
  readonly packets?: string;
  readonly bytes?: string;
  readonly revPackets?: string;
  readonly revBytes?: string;
  /** TCP flags as a number or letters (`SA`, nfdump's `...A..S.`). */
  readonly tcpFlags?: string;
  readonly tos?: string;
  readonly inIf?: string;
  readonly outIf?: string;
  readonly srcAs?: string;
  readonly dstAs?: string;
  readonly exporter?: string;
  readonly label?: string;
  readonly timeFormat?: CsvTimeFormat;
  /** IANA zone of times written without an offset (default UTC). */
  readonly timeZone?: string;
  /** Other columns to keep in attrs: 'all', none (default), or a list of header names. */
  readonly keepColumns?: 'all' | 'none' | readonly string[];
}

/** The CsvMapping keys that name columns (the others are settings). */
export const MAPPING_FIELDS = [
  'startTime', 'endTime', 'duration', 'srcAddr', 'dstAddr', 'srcPort', 'dstPort', 'proto', 'packets', 'bytes',
  'revPackets', 'revBytes', 'tcpFlags', 'tos', 'inIf', 'outIf', 'srcAs', 'dstAs', 'exporter', 'label',
] as const;
export type MappingField = (typeof MAPPING_FIELDS)[number];

/** Preset-specific readings that a plain column mapping cannot express. */
export interface CsvQuirks {
  /** nfdump writes ICMP type*256+code in the destination port. */
  readonly icmpInDstPort?: boolean;
  /** Reverse counters that are all zero mean a unidirectional record (nfdump without NSEL). */
  readonly revOnlyWhenNonZero?: boolean;
  /** Kept columns whose value is a zero/empty default are left out of attrs. */
  readonly dropDefaultAttrs?: boolean;
  /** The byte columns count transport payload, not IP bytes (CICFlowMeter TotLen). */
  readonly bytesArePayload?: boolean;
  /** nfdump's trailing `Summary` block. */
  readonly nfdumpSummary?: boolean;
}

/** A mapping bound to column positions. */
export interface ResolvedMapping {
  readonly columns: readonly string[];
  readonly index: Readonly<Partial<Record<MappingField, number>>>;
  readonly durationScale: number;
  readonly timeFormat: CsvTimeFormat;
  readonly timeZone: string;
  /** Positions of the columns kept in attrs, with their names. */
  readonly keep: readonly (readonly [number, string])[];
  readonly quirks: CsvQuirks;
  /** Recent time texts and their values (see csvRowToFlow). */
  readonly timeCache: Map<string, number>;
}

/** Lower case without spaces, dots, dashes or underscores, so `Src IP`, `src_ip` and `SrcIP` meet. */
export function normaliseColumn(name: string): string {
  return name.trim().toLowerCase().replace(/[\s._\-/()]+/g, '');
}

/** Binds a mapping to the header; returns an error message naming what is missing. */
export function resolveMapping(columns: readonly string[], mapping: CsvMapping, quirks: CsvQuirks = {}): ResolvedMapping | string {
  const byName = new Map<string, number>();
  columns.forEach((c, i) => {
    const exact = c.trim().toLowerCase();
    if (!byName.has(exact)) byName.set(exact, i);
  });
  const byNorm = new Map<string, number>();
  columns.forEach((c, i) => {
    const n = normaliseColumn(c);
    if (!byNorm.has(n)) byNorm.set(n, i);
  });
  const find = (name: string): number | undefined => byName.get(name.trim().toLowerCase()) ?? byNorm.get(normaliseColumn(name));
  const index: Partial<Record<MappingField, number>> = {};
  const unknown: string[] = [];
  for (const field of MAPPING_FIELDS) {
    const col = mapping[field];
    if (col === undefined || col === '') continue;
    const i = find(col);
    if (i === undefined) unknown.push(`${field} '${col}'`);
    else index[field] = i;
  }
  if (unknown.length) return `the mapping names column(s) the file does not have: ${unknown.join(', ')} (columns: ${columns.join(', ')})`;
  const missing = (['startTime', 'srcAddr', 'dstAddr'] as const).filter((f) => index[f] === undefined);
  if (missing.length) return `the mapping needs ${missing.join(', ')}`;
  const used = new Set(Object.values(index));
  let keep: [number, string][] = [];
  const kc = mapping.keepColumns ?? 'none';
  if (kc === 'all') keep = columns.map((c, i) => [i, c.trim()] as [number, string]).filter(([i]) => !used.has(i));
  else if (Array.isArray(kc)) {
    for (const name of kc as readonly string[]) {
      const i = find(name);
      if (i === undefined) return `keepColumns names '${name}', which the file does not have`;
      keep.push([i, columns[i].trim()]);
    }
  }
  const unit = mapping.durationUnit ?? 's';
  return {
    columns, index, keep, quirks, timeCache: new Map(),
    durationScale: unit === 'ms' ? 1000 : unit === 'us' ? 1 : 1e6,
    timeFormat: mapping.timeFormat ?? 'auto',
    timeZone: mapping.timeZone ?? 'UTC',
  };
}

/**
 * A best guess at the mapping from common column names (what the import dialog pre-fills for a
 * CSV that matches no preset); null when it finds no start time or no addresses.
 */
export function guessMapping(columns: readonly string[]): CsvMapping | null {
  const norm = columns.map(normaliseColumn);
  const pick = (...names: string[]): string | undefined => {
    for (const n of names) {
      const i = norm.indexOf(n);
      if (i >= 0) return columns[i].trim();
    }
    return undefined;
  };
  const startTime = pick('starttime', 'start', 'stime', 'firstseen', 'first', 'ts', 'timestamp', 'time', 'datefirstseen', 'flowstart', 'flowstartmilliseconds', 'date');
  const srcAddr = pick('srcaddr', 'srcip', 'sourceip', 'sourceaddress', 'saddr', 'src', 'sa', 'ipsrc', 'sourceipv4address', 'srcipaddr', 'ip1');
  const dstAddr = pick('dstaddr', 'dstip', 'destinationip', 'destinationaddress', 'daddr', 'dst', 'da', 'ipdst', 'destinationipv4address', 'dstipaddr', 'ip2');
  if (!startTime || !srcAddr || !dstAddr) return null;
  const m: Record<string, string | undefined> = {
    startTime, srcAddr, dstAddr,
    endTime: pick('endtime', 'end', 'ltime', 'lastseen', 'last', 'te', 'flowend'),
    duration: pick('duration', 'dur', 'td'),
    srcPort: pick('srcport', 'sport', 'sourceport', 'sp', 'sourcetransportport', 'l4srcport'),
    dstPort: pick('dstport', 'dport', 'destinationport', 'dp', 'destinationtransportport', 'l4dstport'),
    proto: pick('proto', 'protocol', 'pr', 'ipproto', 'protocolidentifier'),
    packets: pick('packets', 'pkts', 'srcpkts', 'spkts', 'ipkt', 'totpkts', 'packetdeltacount', 'inpkts'),
    bytes: pick('bytes', 'srcbytes', 'sbytes', 'ibyt', 'totbytes', 'octetdeltacount', 'inbytes'),
    revPackets: pick('dstpkts', 'dpkts', 'opkt', 'outpkts'),
    revBytes: pick('dstbytes', 'dbytes', 'obyt', 'outbytes'),
    tcpFlags: pick('tcpflags', 'flags', 'flg'),
    label: pick('label', 'class', 'attack'),
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) if (v !== undefined) out[k] = v;
  return out as unknown as CsvMapping;
}
