import type { Detection, DetectionKind, ExclusionScope, Severity } from '../../../core/api/contract';
import { formatTime } from '../../lib/format';

/** Pure helpers of the detections view: order, grouping, labels, bins (no React, unit-tested). */

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** One colour per severity, the same in the table, the chart and the overview's marks. */
export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#8e1b1b', high: '#d1242f', medium: '#e07b28', low: '#c9a227',
};

export function severityRank(s: Severity | null | undefined): number {
  return s ? 4 - SEVERITY_ORDER.indexOf(s) : 0;
}

/** Words for a detection kind ("port_scan" → "port scan"). */
export function kindLabel(kind: DetectionKind | string): string {
  return kind.replace(/_/g, ' ');
}

export type DetectionSort = 'severity' | 'time' | 'host';

/**
 * A comparable key for an address: IPv4 by number (10.0.0.9 before 10.0.0.10), IPv6 by its
 * eight groups zero-padded, so both sort numerically and v4 before v6.
 */
export function addrSortKey(addr: string | null): string {
  if (!addr) return '~';
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (v4) return `4${v4.slice(1).map((p) => p.padStart(3, '0')).join('.')}`;
  if (addr.includes(':')) {
    const [head, tail = ''] = addr.toLowerCase().split('::');
    const h = head ? head.split(':') : [];
    const t = addr.includes('::') && tail ? tail.split(':') : [];
    const groups = addr.includes('::') ? [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
    return `6${groups.map((g) => g.padStart(4, '0')).join(':')}`;
  }
  return `9${addr}`;
}

/** The host a detection is filed under: its source, else its target (a flood from many sources). */
export function hostOf(d: Pick<Detection, 'src' | 'dst'>): string | null {
  return d.src ?? d.dst;
}

/** Severity (then score, then earliest), time (earliest first), or host (then time). */
export function sortDetections<T extends Detection>(list: readonly T[], by: DetectionSort, desc = false): T[] {
  const cmp = (a: T, b: T): number => {
    if (by === 'severity') {
      return severityRank(b.severity) - severityRank(a.severity) || b.score - a.score || a.startUs - b.startUs || a.id - b.id;
    }
    if (by === 'host') {
      const ka = addrSortKey(hostOf(a));
      const kb = addrSortKey(hostOf(b));
      return (ka < kb ? -1 : ka > kb ? 1 : 0) || a.startUs - b.startUs || a.id - b.id;
    }
    return a.startUs - b.startUs || a.endUs - b.endUs || a.id - b.id;
  };
  const out = [...list].sort(cmp);
  return desc ? out.reverse() : out;
}

export interface HostGroup<T extends Detection = Detection> {
  /** The address, or null for detections with neither a single source nor target. */
  host: string | null;
  detections: T[];
  /** The strongest severity and score in the group, and its time span. */
  severity: Severity;
  score: number;
  startUs: number;
  endUs: number;
}

/**
 * Groups detections by host (hostOf), each group keeping the order it was given; groups are
 * ordered by the sort too: by their worst detection (severity), earliest start (time) or
 * address (host).
 */
export function groupByHost<T extends Detection>(sorted: readonly T[], by: DetectionSort, desc = false): HostGroup<T>[] {
  const groups = new Map<string, HostGroup<T>>();
  for (const d of sorted) {
    const host = hostOf(d);
    const key = host ?? '';
    let g = groups.get(key);
    if (!g) {
      g = { host, detections: [], severity: d.severity, score: d.score, startUs: d.startUs, endUs: d.endUs };
      groups.set(key, g);
    }
    g.detections.push(d);
    if (severityRank(d.severity) > severityRank(g.severity)) g.severity = d.severity;
    g.score = Math.max(g.score, d.score);
    g.startUs = Math.min(g.startUs, d.startUs);
    g.endUs = Math.max(g.endUs, d.endUs);
  }
  const list = [...groups.values()];
  const cmp = (a: HostGroup<T>, b: HostGroup<T>): number => {
    if (by === 'severity') return severityRank(b.severity) - severityRank(a.severity) || b.score - a.score || a.startUs - b.startUs;
    if (by === 'host') {
      const ka = addrSortKey(a.host);
      const kb = addrSortKey(b.host);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    }
    return a.startUs - b.startUs;
  };
  list.sort(cmp);
  return desc ? list.reverse() : list;
}

/** How narrow an exclusion is: more parts set and one detector rather than all = narrower. */
export function scopeSpecificity(s: ExclusionScope): number {
  let n = s.detector === 'all' ? 0 : 1;
  if (s.src) n += 2 + prefixWeight(s.src);
  if (s.dst) n += 2 + prefixWeight(s.dst);
  if (s.host) n += 1 + prefixWeight(s.host);
  if (s.port !== null && s.port !== undefined) n += 2;
  return n;
}

/** A single address weighs more than a network; a /8 less than a /24. */
function prefixWeight(cidr: string): number {
  const m = /\/(\d+)$/.exec(cidr);
  if (!m) return 1;
  const bits = Number(m[1]);
  const full = cidr.includes(':') ? 128 : 32;
  return bits / full;
}

/** The scopes narrowest first (stable for equal ones, so the core's own order breaks ties). */
export function narrowestFirst(scopes: readonly ExclusionScope[]): ExclusionScope[] {
  return scopes.map((s, i) => ({ s, i, n: scopeSpecificity(s) })).sort((a, b) => b.n - a.n || a.i - b.i).map((x) => x.s);
}

/**
 * An exclusion in words: "brute force from 147.32.80.40 to 147.32.80.37 on port 902",
 * "every detector: host 10.0.0.0/8".
 */
export function scopeLabel(s: ExclusionScope): string {
  const parts: string[] = [];
  if (s.src) parts.push(`from ${s.src}`);
  if (s.dst) parts.push(`to ${s.dst}`);
  if (s.host) parts.push(`involving ${s.host}`);
  if (s.port !== null && s.port !== undefined) parts.push(`on port ${s.port}`);
  const what = s.detector === 'all' ? 'every detector' : kindLabel(s.detector);
  return parts.length ? `${what} ${parts.join(' ')}` : `${what}, any host`;
}

/** A stable key for a scope (for React lists and radio values). */
export function scopeKey(s: ExclusionScope): string {
  return [s.detector, s.src ?? '', s.dst ?? '', s.host ?? '', s.port ?? ''].join('|');
}

/** Ports as a short list: "22, 80, 443 +1,021 more" (portsTotal may exceed the ports kept). */
export function portsText(ports: readonly number[], total: number, max = 6): string {
  if (!ports.length) return total > 0 ? `${total} ports` : '';
  const shown = ports.slice(0, max).join(', ');
  const more = Math.max(total, ports.length) - Math.min(ports.length, max);
  return more > 0 ? `${shown} +${more.toLocaleString('en-US')} more` : shown;
}

export interface SeverityBin {
  startUs: number;
  values: Record<Severity, number>;
}

/**
 * Detections per bin and severity, each counted in the bin where it starts (as the traffic
 * chart counts flows), over [fromUs, toUs).
 */
export function binBySeverity(list: readonly Pick<Detection, 'startUs' | 'severity'>[], fromUs: number, toUs: number, binUs: number): SeverityBin[] {
  const n = binUs > 0 ? Math.max(1, Math.ceil((toUs - fromUs) / binUs)) : 0;
  const bins: SeverityBin[] = Array.from({ length: n }, (_, i) => ({ startUs: fromUs + i * binUs, values: { low: 0, medium: 0, high: 0, critical: 0 } }));
  for (const d of list) {
    const i = Math.floor((d.startUs - fromUs) / binUs);
    if (i >= 0 && i < n) bins[i].values[d.severity] += 1;
  }
  return bins;
}

/**
 * Where a detection sends the analyst: its evidence filter and the window of its flows. The
 * shared range selects flows starting in [from, to), so `to` is one past the last start.
 */
export function evidenceView(d: Pick<Detection, 'evidence' | 'startUs' | 'endUs'>): { filter: string; range: { fromUs: number; toUs: number } } {
  return { filter: d.evidence, range: { fromUs: Math.floor(d.startUs), toUs: Math.max(Math.floor(d.startUs) + 1, Math.ceil(d.endUs) + 1) } };
}

/** The window a list of detections spans (null when empty). */
export function spanOf(list: readonly Pick<Detection, 'startUs' | 'endUs'>[]): { fromUs: number; toUs: number } | null {
  if (!list.length) return null;
  let a = Infinity;
  let b = -Infinity;
  for (const d of list) {
    a = Math.min(a, d.startUs);
    b = Math.max(b, d.endUs);
  }
  return { fromUs: a, toUs: b + 1 };
}

/** A detection as a mark on a time chart: its span, coloured by severity, the reason on hover with the zone. */
export function detectionMark(d: Pick<Detection, 'id' | 'kind' | 'severity' | 'summary' | 'startUs' | 'endUs'>, tz: string): { key: string; fromUs: number; toUs: number; color: string; title: string } {
  return {
    key: String(d.id), fromUs: d.startUs, toUs: d.endUs, color: SEVERITY_COLORS[d.severity],
    title: `${d.severity} ${kindLabel(d.kind)}: ${d.summary}\n${formatTime(d.startUs, tz, 's')} → ${formatTime(d.endUs, tz, 's')} (${tz})`,
  };
}
