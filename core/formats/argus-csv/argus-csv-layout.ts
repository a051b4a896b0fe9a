/**
 * Column labels of `ra -c <sep>` output and what Flowcase reads from each. ra prints a
 * label per field it was asked for with -s (argus-clients 3.0.8 argus_util.c
 * ArgusPrint*Label); users and published data sets (CTU-13 .binetflow) also use the
 * -s field names themselves as headers. Matching is case-insensitive.
 */
export type ArgusField =
  | 'stime' | 'ltime' | 'dur' | 'proto' | 'saddr' | 'sport' | 'dir' | 'daddr' | 'dport' | 'state'
  | 'stos' | 'dtos' | 'sttl' | 'dttl' | 'pkts' | 'bytes' | 'spkts' | 'dpkts' | 'sbytes' | 'dbytes'
  | 'sappbytes' | 'dappbytes' | 'label' | 'smac' | 'dmac' | 'sas' | 'das' | 'svlan' | 'dvlan';

const LABELS: Record<string, ArgusField> = {
  starttime: 'stime', stime: 'stime', 'start time': 'stime',
  lasttime: 'ltime', ltime: 'ltime',
  dur: 'dur', duration: 'dur',
  proto: 'proto', protocol: 'proto',
  srcaddr: 'saddr', saddr: 'saddr', srcip: 'saddr',
  sport: 'sport', srcport: 'sport',
  dir: 'dir', direction: 'dir',
  dstaddr: 'daddr', daddr: 'daddr', dstip: 'daddr',
  dport: 'dport', dstport: 'dport',
  state: 'state',
  stos: 'stos', dtos: 'dtos',
  sttl: 'sttl', dttl: 'dttl',
  totpkts: 'pkts', pkts: 'pkts',
  totbytes: 'bytes', bytes: 'bytes',
  srcpkts: 'spkts', spkts: 'spkts',
  dstpkts: 'dpkts', dpkts: 'dpkts',
  srcbytes: 'sbytes', sbytes: 'sbytes',
  dstbytes: 'dbytes', dbytes: 'dbytes',
  sappbytes: 'sappbytes', srcappbytes: 'sappbytes',
  dappbytes: 'dappbytes', dstappbytes: 'dappbytes',
  label: 'label',
  srcmac: 'smac', smac: 'smac',
  dstmac: 'dmac', dmac: 'dmac',
  sas: 'sas', srcas: 'sas',
  das: 'das', dstas: 'das',
  svlan: 'svlan', srcvlan: 'svlan',
  dvlan: 'dvlan', dstvlan: 'dvlan',
};

/** The Flowcase field a header label names, or null for a column kept in attrs. */
export function argusFieldOf(label: string): ArgusField | null {
  return LABELS[label.trim().toLowerCase()] ?? null;
}

/** Where each known field sits in a row (-1 = absent), plus the other columns by label. */
export interface ArgusColumns {
  readonly index: Readonly<Record<ArgusField, number>>;
  readonly extra: readonly { readonly label: string; readonly at: number }[];
  readonly count: number;
}

/** Maps a header row; returns null unless it names at least a start time and both addresses. */
export function mapArgusHeader(labels: readonly string[]): ArgusColumns | null {
  const index = Object.fromEntries(Object.values(LABELS).map((f) => [f, -1])) as Record<ArgusField, number>;
  const extra: { label: string; at: number }[] = [];
  labels.forEach((raw, at) => {
    const f = argusFieldOf(raw);
    if (f && index[f] < 0) index[f] = at;
    else if (raw.trim()) extra.push({ label: raw.trim(), at });
  });
  if (index.stime < 0 || index.saddr < 0 || index.daddr < 0) return null;
  return { index, extra, count: labels.length };
}

/** How many labels of a header line are Argus column labels (for sniffing). */
export function countArgusLabels(labels: readonly string[]): number {
  let n = 0;
  for (const l of labels) if (argusFieldOf(l)) n++;
  return n;
}
