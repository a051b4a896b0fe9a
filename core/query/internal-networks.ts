import { formatIpBigInt, parseCidr, type Cidr } from '../model/ip';
import type { CaseStore } from '../store/case-store';
import { letters } from './param-names';

/** Settings key holding the case's internal networks as a JSON array of CIDR strings. */
export const INTERNAL_NETWORKS_KEY = 'internal_networks';

/**
 * Address space a site normally calls its own when nobody said otherwise: RFC 1918
 * private IPv4, RFC 6598 shared (CGNAT) 100.64/10, RFC 3927 / RFC 4291 link-local,
 * RFC 4193 unique-local IPv6, and loopback.
 */
export const DEFAULT_INTERNAL_NETWORKS: readonly string[] = [
  '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8',
  'fc00::/7', 'fe80::/10', '::1/128',
];

export type InternalNetworksResult = { ok: true; networks: string[] } | { ok: false; message: string };

/** The case's internal networks (the defaults until someone sets them). */
export async function getInternalNetworks(store: CaseStore): Promise<string[]> {
  const raw = await store.getSetting(INTERNAL_NETWORKS_KEY);
  if (raw) {
    try {
      const list = JSON.parse(raw) as unknown;
      if (Array.isArray(list) && list.every((x) => typeof x === 'string' && parseCidr(x))) return list as string[];
    } catch {
      // A damaged setting falls back to the defaults rather than hiding every flow's direction.
    }
  }
  return [...DEFAULT_INTERNAL_NETWORKS];
}

/**
 * Replaces the case's internal networks after checking every entry; records the change
 * (old and new lists) in the audit log. Returns the normalised list or what is wrong.
 */
export async function setInternalNetworks(store: CaseStore, networks: readonly string[], actor = 'user'): Promise<InternalNetworksResult> {
  const normalised: string[] = [];
  for (const text of networks) {
    const c = parseCidr(text);
    if (!c) return { ok: false, message: `'${text}' is not a network (write e.g. 10.0.0.0/8 or 2001:db8::/32)` };
    normalised.push(cidrText(c));
  }
  const before = await getInternalNetworks(store);
  await store.transaction(async () => {
    await store.setSetting(INTERNAL_NETWORKS_KEY, JSON.stringify(normalised));
    await store.audit('settings.internal_networks', { before, after: normalised }, actor);
  });
  return { ok: true, networks: normalised };
}

/** Canonical text: network address and prefix (`10.1.2.3/8` becomes `10.0.0.0/8`). */
export function cidrText(c: Cidr): string {
  return `${formatIpBigInt(c.first)}/${c.prefix}`;
}

/** Address ranges of a CIDR list in the store's UHUGEINT form. */
export function networkRanges(networks: readonly string[]): { first: bigint; last: bigint }[] {
  return networks.map((n) => parseCidr(n)).filter((c): c is Cidr => c !== null).map((c) => ({ first: c.first, last: c.last }));
}

/** A membership test over ranges, for results already in JS. */
export function internalMatcher(networks: readonly string[]): (addr: bigint) => boolean {
  const ranges = networkRanges(networks);
  return (addr) => ranges.some((r) => addr >= r.first && addr <= r.last);
}

/**
 * SQL that is TRUE when `column` lies in one of the networks. Column comes from the
 * caller's allow-list; ranges become parameters named prefix + index.
 */
export function internalSql(column: string, networks: readonly string[], prefix: string): { sql: string; params: Record<string, string> } {
  if (!/^[a-z_.]+$/i.test(column) || !/^[a-z]+$/i.test(prefix)) throw new Error('internalSql: bad column or prefix');
  const params: Record<string, string> = {};
  const parts = networkRanges(networks).map((r, i) => {
    const a = `${prefix}${letters(2 * i)}`;
    const b = `${prefix}${letters(2 * i + 1)}`;
    params[a] = r.first.toString();
    params[b] = r.last.toString();
    return `${column} BETWEEN CAST($${a} AS UHUGEINT) AND CAST($${b} AS UHUGEINT)`;
  });
  return { sql: parts.length ? `(${parts.join(' OR ')})` : 'FALSE', params };
}

