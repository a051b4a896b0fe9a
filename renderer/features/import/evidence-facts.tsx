import type { EvidenceView } from '../../../core/api/contract';
import { formatCount, formatUtcIso } from '../../lib/format';

/** One fact or counter as a short line: `exporters: 127.0.0.1 (v9, 6 datagrams)`. */
export interface FactChip {
  /** Unique in the list (a fact and a counter may share a name). */
  id: string;
  key: string;
  text: string;
  /** Worth the analyst's attention (non-IP frames, masked times, sampling). */
  notable?: boolean;
}

const MAX_TEXT = 140;
const MAX_ITEMS = 3;

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

function listOf<T>(items: T[], show: (x: T) => string): string {
  const head = items.slice(0, MAX_ITEMS).map(show).join('; ');
  return items.length > MAX_ITEMS ? `${head}; +${items.length - MAX_ITEMS} more` : head;
}

/** A value of any shape as compact text (facts are free-form JSON). */
function plain(key: string, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return /Us$/.test(key) && v > 1e14 ? formatUtcIso(v) : formatCount(v);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.every((x) => typeof x !== 'object' || x === null) ? listOf(v, (x) => plain(key, x)) : `${v.length} entries`;
  return Object.entries(obj(v))
    .map(([k, x]) => `${k} ${Array.isArray(x) ? x.join('/') : typeof x === 'object' && x !== null ? '{…}' : String(x)}`)
    .join(', ');
}

/** Facts the NetFlow/IPFIX readers record, said the way an analyst asks about them. */
const SPECIAL: Record<string, (v: unknown) => Omit<FactChip, 'id'> | null> = {
  exporters: (v) => {
    const xs = Array.isArray(v) ? v.map(obj) : [];
    return {
      key: 'exporters',
      text: `${xs.length}: ${listOf(xs, (x) => {
        const vers = Array.isArray(x.versions) ? x.versions.map((n) => (n === 10 ? 'IPFIX' : `v${String(n)}`)).join('/') : '';
        const dg = typeof x.datagrams === 'number' ? `, ${formatCount(x.datagrams)} datagrams` : '';
        const src = x.sourceId !== undefined && x.sourceId !== 0 ? ` id ${String(x.sourceId)}` : '';
        return `${String(x.address ?? '?')}${src} (${vers}${dg})`;
      })}`,
    };
  },
  templates: (v) => {
    const xs = Array.isArray(v) ? v.map(obj) : [];
    const options = xs.filter((x) => x.options === true).length;
    return { key: 'templates', text: `${xs.length} learned${options ? ` (${options} options)` : ''}: ${listOf(xs, (x) => `${String(x.id)}/${String(x.fields)} fields`)}` };
  },
  sampling: (v) => {
    const xs = Array.isArray(v) ? v.map(obj) : [];
    const sampled = xs.some((x) => typeof x.interval === 'number' && x.interval > 1);
    return {
      key: 'sampling',
      notable: sampled,
      text: listOf(xs, (x) => (x.interval === 1 ? 'unsampled (1:1)' : `1 in ${String(x.interval)}`) + (x.exporter ? ` from ${String(x.exporter)}` : '')),
    };
  },
  capture: (v) => {
    const c = obj(v);
    const parts = [String(c.container ?? ''), c.frames !== undefined ? `${formatCount(c.frames as number)} frames` : '', c.ipPackets !== undefined ? `${formatCount(c.ipPackets as number)} IP` : '', c.timestampResolution ? `${String(c.timestampResolution)} timestamps` : ''];
    return { key: 'capture', text: parts.filter(Boolean).join(', ') };
  },
};

/** Keys the analyst should notice (the reading of the file is less certain, or not all of it was flows). */
const NOTABLE = /masked|relative|non-ip|truncat|unknown|skipped|sampl|clock|dateSource/i;

/**
 * What an import learned about a file, compactly: facts (exporters, templates, sampling, date
 * source…) first, then counters (datagrams, records, packets, non-IP frames…).
 */
export function evidenceChips(e: Pick<EvidenceView, 'facts' | 'counters'>): FactChip[] {
  const chips: FactChip[] = [];
  for (const [k, v] of Object.entries(e.facts ?? {})) {
    const special = SPECIAL[k]?.(v);
    if (special) chips.push({ ...special, id: `f:${k}`, text: clip(special.text) });
    else chips.push({ id: `f:${k}`, key: k, text: clip(plain(k, v)), notable: NOTABLE.test(k) });
  }
  // A counter that repeats a fact (`ip-packets` beside `ipPackets`, same number) is said once.
  const norm = (k: string) => k.replace(/[-_]/g, '').toLowerCase();
  const factNumbers = new Map(Object.entries(e.facts ?? {}).filter(([, v]) => typeof v === 'number').map(([k, v]) => [norm(k), v]));
  for (const [k, v] of Object.entries(e.counters ?? {})) {
    if (factNumbers.get(norm(k)) === v) continue;
    chips.push({ id: `c:${k}`, key: k, text: formatCount(v), notable: NOTABLE.test(k) && v > 0 });
  }
  return chips;
}

/** The facts and counters of one imported file, one compact line each. */
export function EvidenceFacts({ evidence }: { evidence: Pick<EvidenceView, 'facts' | 'counters'> }) {
  const chips = evidenceChips(evidence);
  if (!chips.length) return null;
  return (
    <ul className="fact-chips" data-testid="evidence-facts">
      {chips.map((c) => (
        <li key={c.id} className={c.notable ? 'notable' : ''}>
          <span className="fact-key">{c.key}</span> <span className="mono">{c.text}</span>
        </li>
      ))}
    </ul>
  );
}
