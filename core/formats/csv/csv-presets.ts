import type { CsvMapping, CsvQuirks } from './csv-mapping';
import { normaliseColumn } from './csv-mapping';

export type CsvPresetId = 'nfdump' | 'cicflowmeter';

export interface CsvPreset {
  readonly id: CsvPresetId;
  readonly label: string;
  readonly mapping: CsvMapping;
  readonly quirks: CsvQuirks;
}

/** nfdump's `-o csv` header (nfdump 1.6/1.7): the first eight columns are enough to recognise it. */
const NFDUMP_HEAD = ['ts', 'te', 'td', 'sa', 'da', 'sp', 'dp', 'pr'];

/**
 * `nfdump -o csv`: ts/te are `YYYY-MM-DD hh:mm:ss` in the time zone nfdump ran in (UTC unless
 * told otherwise), td seconds with ms, ipkt/ibyt the flow's (IP-layer) counters, opkt/obyt only
 * for bidirectional NSEL records, ra the exporter. A `Summary` block ends the output.
 */
export const NFDUMP_PRESET: CsvPreset = {
  id: 'nfdump',
  label: 'nfdump -o csv',
  mapping: {
    startTime: 'ts', endTime: 'te', srcAddr: 'sa', dstAddr: 'da', srcPort: 'sp', dstPort: 'dp', proto: 'pr',
    tcpFlags: 'flg', tos: 'stos', packets: 'ipkt', bytes: 'ibyt', revPackets: 'opkt', revBytes: 'obyt',
    inIf: 'in', outIf: 'out', srcAs: 'sas', dstAs: 'das', exporter: 'ra', timeFormat: 'iso',
    keepColumns: ['td', 'fwd', 'smk', 'dmk', 'dtos', 'dir', 'nh', 'nhb', 'svln', 'dvln', 'ismc', 'odmc', 'idmc', 'osmc',
      'mpls1', 'mpls2', 'mpls3', 'mpls4', 'mpls5', 'mpls6', 'mpls7', 'mpls8', 'mpls9', 'mpls10', 'cl', 'sl', 'al', 'eng', 'exid', 'tr'],
  },
  quirks: { icmpInDstPort: true, revOnlyWhenNonZero: true, dropDefaultAttrs: true, nfdumpSummary: true },
};

/** The CICFlowMeter column names across its versions (CIC-IDS2017, CSE-CIC-IDS2018, the Python port), normalised. */
const CIC_ALIASES: Record<keyof CsvMapping & string, string[]> = {
  startTime: ['timestamp'],
  duration: ['flowduration'],
  srcAddr: ['srcip', 'sourceip'],
  dstAddr: ['dstip', 'destinationip'],
  srcPort: ['srcport', 'sourceport'],
  dstPort: ['dstport', 'destinationport'],
  proto: ['protocol'],
  packets: ['totfwdpkts', 'totalfwdpackets', 'totalfwdpacket'],
  revPackets: ['totbwdpkts', 'totalbackwardpackets', 'totalbwdpackets', 'totalbwdpacket'],
  bytes: ['totlenfwdpkts', 'totallengthoffwdpackets', 'totallengthoffwdpacket', 'fwdpktslentotal'],
  revBytes: ['totlenbwdpkts', 'totallengthofbwdpackets', 'totallengthofbwdpacket', 'bwdpktslentotal'],
  label: ['label'],
} as Record<keyof CsvMapping & string, string[]>;

/**
 * CICFlowMeter: Timestamp is the flow start as local wall-clock text (`dd/MM/yyyy hh:mm:ss a`
 * in the Java tool, `YYYY-MM-DD hh:mm:ss` in the Python port), Flow Duration microseconds, the
 * TotLen columns transport payload bytes (there is no IP byte count), Label the dataset label.
 */
function cicPreset(columns: readonly string[]): CsvPreset | null {
  const norm = columns.map(normaliseColumn);
  const mapping: Record<string, unknown> = { timeFormat: 'auto', durationUnit: 'us', keepColumns: [] as string[] };
  for (const [field, aliases] of Object.entries(CIC_ALIASES)) {
    const i = norm.findIndex((n) => aliases.includes(n));
    if (i >= 0) mapping[field] = columns[i].trim();
  }
  if (!mapping.startTime || !mapping.srcAddr || !mapping.dstAddr || !mapping.duration) return null;
  const flowId = norm.indexOf('flowid');
  if (flowId >= 0) mapping.keepColumns = [columns[flowId].trim()];
  return { id: 'cicflowmeter', label: 'CICFlowMeter', mapping: mapping as unknown as CsvMapping, quirks: { bytesArePayload: true } };
}

/** Recognises a preset from the header columns; null when none fits. */
export function detectPreset(columns: readonly string[]): CsvPreset | null {
  const lower = columns.map((c) => c.trim().toLowerCase());
  if (NFDUMP_HEAD.every((c, i) => lower[i] === c)) return NFDUMP_PRESET;
  return cicPreset(columns);
}

/** A preset by id, bound to this header (CICFlowMeter's names vary by version). */
export function presetById(id: string, columns: readonly string[]): CsvPreset | null {
  if (id === 'nfdump') return NFDUMP_PRESET;
  if (id === 'cicflowmeter') return cicPreset(columns);
  return null;
}
