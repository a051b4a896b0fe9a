import { formatBytes, formatCount, formatTime, zoneAbbrev } from '../../lib/format';

/** One fact or counter of an evidence file as the analyst reads it: a label, a value, why it matters. */
export interface FactRow {
  key: string;
  label: string;
  value: string;
  /** What the value means, where the name alone does not say it. */
  explain?: string;
  /** Worth the analyst's attention (evidence not stored as flows, uncertain times, sampling). */
  notable?: boolean;
}

interface FactSpec {
  label: string;
  explain?: string;
  /** How to show the value; default: by its shape (times, counts, lists). */
  show?: (v: unknown, tz: string) => string;
  notable?: (v: unknown) => boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_LIST = 4;

/** A time in µs or ms since the epoch (facts use both), in the display zone with its zone. */
function timeText(us: number, tz: string): string {
  return `${formatTime(us, tz, 'us')} ${zoneAbbrev(us, tz)}`;
}

/** Epoch values by key name: ...Us is µs, ...Ms is ms (both only when they look like dates). */
function asTime(key: string, v: number, tz: string): string | null {
  if (/Us$/.test(key) && v > 1e14) return timeText(v, tz);
  if (/Ms$/.test(key) && v > 1e11) return timeText(v * 1000, tz).replace(/(\.\d{3})000 /, '$1 ');
  return null;
}

/** Words from a key: `argus-packets-dropped` -> "Argus packets dropped", `ipPackets` -> "IP packets". */
export function labelOf(key: string): string {
  const last = key.includes('.') ? key.slice(key.indexOf('.') + 1) : key;
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_.]+/g, ' ').toLowerCase().trim();
  const fixed = words.replace(/\b(ip|tcp|udp|icmp|arp|llc|csv|vpc|utc|ids?|dsrs?)\b/g, (w) => (w.endsWith('s') && w.length > 2 ? `${w.slice(0, -1).toUpperCase()}s` : w.toUpperCase()));
  return fixed.charAt(0).toUpperCase() + fixed.slice(1);
}

/** Any value by its shape: times by key name, numbers with separators, short lists, objects as "k v · k v". */
function plain(key: string, v: unknown, tz: string): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return asTime(key, v, tz) ?? formatCount(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const shown = v.slice(0, MAX_LIST).map((x) => plain(key, x, tz)).join('; ');
    return v.length > MAX_LIST ? `${shown}; and ${formatCount(v.length - MAX_LIST)} more` : shown;
  }
  if (isObj(v)) return Object.entries(v).map(([k, x]) => `${labelOf(k).toLowerCase()} ${isObj(x) ? '{…}' : plain(k, x, tz)}`).join(' · ');
  return String(v);
}

const FACTS: Record<string, FactSpec> = {
  firstPacketUs: { label: 'First packet' },
  lastPacketUs: { label: 'Last packet' },
  packets: { label: 'Frames in the capture', show: (v, tz) => (typeof v === 'number' ? formatCount(v) : plain('packets', v, tz)) },
  ipPackets: { label: 'IP packets', explain: 'IPv4/IPv6 packets the flows are built from; the other frames are counted below' },
  linkTypes: { label: 'Link types' },
  capture: {
    label: 'Capture file',
    show: (v) => {
      if (!isObj(v)) return String(v);
      const parts = [v.container ? String(v.container) : '', typeof v.frames === 'number' ? `${formatCount(v.frames)} frames` : '',
        typeof v.ipPackets === 'number' ? `${formatCount(v.ipPackets)} IP` : '', v.timestampResolution ? `${String(v.timestampResolution)} timestamps` : '',
        typeof v.snapLen === 'number' ? `snap length ${formatCount(v.snapLen)}` : ''];
      return parts.filter(Boolean).join(', ');
    },
  },
  exporters: {
    label: 'Exporters',
    show: (v) => (Array.isArray(v) ? v.filter(isObj).slice(0, MAX_LIST).map((x) => {
      const vers = Array.isArray(x.versions) ? x.versions.map((n) => (n === 10 ? 'IPFIX' : `v${String(n)}`)).join('/') : '';
      const dg = typeof x.datagrams === 'number' ? `, ${formatCount(x.datagrams)} datagrams` : '';
      return `${String(x.address ?? '?')}${x.sourceId ? ` id ${String(x.sourceId)}` : ''} (${vers}${dg})`;
    }).join('; ') + (v.length > MAX_LIST ? `; and ${v.length - MAX_LIST} more` : '') : String(v)),
  },
  templates: {
    label: 'Templates learned',
    show: (v) => (Array.isArray(v) ? `${formatCount(v.length)}: ${v.filter(isObj).slice(0, MAX_LIST).map((x) => `${String(x.id)} (${String(x.fields)} fields${x.options ? ', options' : ''})`).join('; ')}${v.length > MAX_LIST ? '; …' : ''}` : String(v)),
  },
  sampling: {
    label: 'Sampling',
    explain: 'counts are stored as exported; multiply by N for an estimate of the real traffic',
    show: (v) => (Array.isArray(v) ? v.filter(isObj).map((x) => (x.interval === 1 ? 'unsampled (1 in 1)' : `1 in ${formatCount(Number(x.interval))}`) + (x.exporter ? ` from ${String(x.exporter)}` : '')).join('; ') : String(v)),
    notable: (v) => Array.isArray(v) && v.some((x) => isObj(x) && typeof x.interval === 'number' && x.interval > 1),
  },
  timeZone: { label: 'Zone of the file\'s times', explain: 'the file writes wall-clock times; they were read in this zone and stored as UTC' },
  dateSource: { label: 'Date taken from', notable: () => true },
  relativeTimestamps: { label: 'Relative timestamps', notable: () => true, explain: 'the file gives times relative to an unknown start: absolute times are not known' },
  timestampsMasked: { label: 'Masked timestamps', notable: () => true },
  headerBlocks: { label: 'Header blocks', explain: 'the log was written in several parts (each with its own header), read as one' },
  'nfcapd.layout': { label: 'nfdump file layout' },
  'nfcapd.compression': { label: 'Compression' },
  'nfcapd.nfdump_version': { label: 'Written by nfdump' },
  'nfcapd.created': { label: 'File created', show: (v, tz) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? timeText(Date.parse(v) * 1000, tz).replace('.000000 ', ' ') : String(v)) },
  'nfcapd.creator': { label: 'Written by' },
  'nfcapd.ident': { label: 'Ident', explain: 'the collector\'s name for the source (nfcapd -I)' },
  'nfcapd.anonymized': { label: 'Anonymized', notable: (v) => v === true, explain: 'addresses were anonymized by nfanon' },
  'nfcapd.samplers': { label: 'Samplers' },
  'nfcapd.stat': {
    label: 'nfcapd\'s own totals',
    explain: 'the statistics record nfcapd wrote into the file; compare with the records stored',
    show: (v, tz) => {
      if (!isObj(v)) return String(v);
      const n = (k: string) => (typeof v[k] === 'number' ? v[k] : null);
      return [n('flows') !== null ? `${formatCount(n('flows')!)} flows` : '', n('packets') !== null ? `${formatCount(n('packets')!)} packets` : '',
        n('bytes') !== null ? `${formatCount(n('bytes')!)} bytes (${formatBytes(n('bytes')!)})` : '',
        n('firstMs') ? `first ${asTime('firstMs', n('firstMs')!, tz)}` : '', n('lastMs') ? `last ${asTime('lastMs', n('lastMs')!, tz)}` : '']
        .filter(Boolean).join(' · ');
    },
  },
  'nfcapd.declared_blocks': {
    label: 'Data blocks declared',
    explain: 'the number of data blocks the file header announces; the appendix block (ident and statistics) is not among them',
  },
  'nfcapd.blocks': {
    label: 'Blocks read',
    explain: 'every block read from the file, the appendix included: one more than declared when the file has an appendix',
  },
};

const COUNTERS: Record<string, { label?: string; explain: string; notable?: boolean }> = {
  'non-ip-frames': { explain: 'frames that are not IPv4/IPv6 (ARP, LLDP, STP…): counted, not stored as flows', notable: true },
  'arp-frames': { label: 'ARP frames', explain: 'address resolution frames seen in the capture' },
  'bad-checksum-packets': { explain: 'packets whose TCP/UDP checksum is wrong; a capture taken on the sending host usually has them (checksum offloading)', notable: true },
  'truncated-transport-headers': { explain: 'packets cut before the end of their TCP/UDP header (snap length)', notable: true },
  'orphan-fragments': { explain: 'IP fragments whose first fragment was never seen', notable: true },
  'man-records': { label: 'Management records', explain: 'Argus status records about the probe itself, not traffic', notable: true },
  'masked-timestamps': { explain: 'records whose times were masked by the exporter', notable: true },
  'end-before-start': { explain: 'records whose end time is before their start (stored as the source gave them)', notable: true },
  'records-without-addresses': { explain: 'records with no IP addresses: counted, not stored', notable: true },
  'options-records': { explain: 'NetFlow/IPFIX options data (exporter and sampler settings), not flows' },
  datagrams: { explain: 'export datagrams read' },
  templates: { explain: 'template records seen (repeats included)' },
};

/** The facts of one evidence file as labelled, formatted rows, times in the display zone. */
export function factRows(facts: Record<string, unknown> | null | undefined, tz: string): FactRow[] {
  const rows: FactRow[] = [];
  for (const [key, v] of Object.entries(facts ?? {})) {
    const spec = FACTS[key];
    const value = spec?.show ? spec.show(v, tz) : plain(key, v, tz);
    rows.push({
      key, label: spec?.label ?? labelOf(key), value,
      ...(spec?.explain ? { explain: spec.explain } : {}),
      ...((spec?.notable?.(v) ?? /masked|relative|skipped|sampl/i.test(key)) ? { notable: true } : {}),
    });
  }
  return rows;
}

/** The counters of one evidence file with separators and, for the ones that mean left-out evidence, why. */
export function counterRows(counters: Record<string, number> | null | undefined): FactRow[] {
  return Object.entries(counters ?? {}).map(([key, v]) => {
    const c = COUNTERS[key];
    return {
      key, label: c?.label ?? labelOf(key), value: formatCount(v),
      ...(c?.explain ? { explain: c.explain } : {}),
      ...(c?.notable && v > 0 ? { notable: true } : {}),
    };
  });
}
