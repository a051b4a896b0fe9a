import { ipToBigInt, parseCidr, parseIp } from '../../model/ip';
import type { ExclusionScope } from './detection-types';

/** The parts of a detection an exclusion is matched against. */
export interface ExclusionSubject {
  kind: string;
  src: string | null;
  dst: string | null;
  ports: readonly number[];
}

const inCidr = (cidr: string, addr: string | null): boolean => {
  if (!addr) return false;
  const c = parseCidr(cidr);
  const ip = parseIp(addr);
  if (!c || ip === null) return false;
  const v = ipToBigInt(ip);
  return v >= c.first && v <= c.last;
};

/**
 * Whether an exclusion covers a detection: every part the exclusion names must match
 * (absent parts match anything). A side the detection leaves open (dst null: many targets)
 * does not match a part that names it, so a narrow exclusion never hides a wide finding.
 */
export function exclusionMatches(x: ExclusionScope, d: ExclusionSubject): boolean {
  if (x.detector !== 'all' && x.detector !== d.kind) return false;
  if (x.src && !inCidr(x.src, d.src)) return false;
  if (x.dst && !inCidr(x.dst, d.dst)) return false;
  if (x.host && !inCidr(x.host, d.src) && !inCidr(x.host, d.dst)) return false;
  if (x.port !== undefined && x.port !== null && !(d.ports.length > 0 && d.ports.every((p) => p === x.port))) return false;
  return true;
}

/** A scope's parts checked: each address part must be an address or CIDR. Returns an error text or null. */
export function scopeProblem(x: ExclusionScope): string | null {
  for (const k of ['src', 'dst', 'host'] as const) {
    const v = x[k];
    if (v && !parseCidr(v)) return `${k} '${v}' is not an address or network (write e.g. 10.0.0.5 or 10.0.0.0/24)`;
  }
  if (!x.src && !x.dst && !x.host && (x.port === undefined || x.port === null) && x.detector === 'all') {
    return 'an exclusion of everything would hide every detection: name a host, network, port or detector';
  }
  return null;
}

/** Text for lists and the audit log: "host_scan: src 10.0.0.9" */
export function scopeText(x: ExclusionScope): string {
  const parts: string[] = [];
  if (x.src) parts.push(`src ${x.src}`);
  if (x.dst) parts.push(`dst ${x.dst}`);
  if (x.host) parts.push(`host ${x.host}`);
  if (x.port !== undefined && x.port !== null) parts.push(`port ${x.port}`);
  return `${x.detector}: ${parts.join(', ') || 'everything'}`;
}
