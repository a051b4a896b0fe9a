import type { CaseStore } from '../store/case-store';

/** An entry of the case's asset list that covers an address. */
export interface AssetInfo {
  /** The list's address or block, as written in the list. */
  block: string;
  name: string | null;
  owner: string | null;
  criticality: string | null;
}

/** Everything the case knows about one address besides its flows. */
export interface AddressContext {
  country: string | null;
  city: string | null;
  asn: number | null;
  asOrg: string | null;
  /** Names clients used for the address (DNS answers, TLS SNI, HTTP Host), oldest first. */
  names: string[];
  /** The most specific asset-list entry covering the address. */
  asset: AssetInfo | null;
}

export const EMPTY_CONTEXT: AddressContext = { country: null, city: null, asn: null, asOrg: null, names: [], asset: null };

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * The context of a set of addresses (store UHUGEINT form) in three queries: the lookups of
 * the attached databases, the names seen for each (oldest first by first sighting), and the
 * narrowest asset-list entry. Addresses travel as one decimal list parameter.
 */
export async function addressContext(store: CaseStore, addrs: readonly bigint[]): Promise<Map<bigint, AddressContext>> {
  const out = new Map<bigint, AddressContext>();
  if (addrs.length === 0) return out;
  for (const a of addrs) out.set(a, { ...EMPTY_CONTEXT, names: [] });
  const list = { list: [...new Set(addrs)].map((a) => a.toString()).join(',') };
  const wanted = `(SELECT CAST(unnest(string_split($list, ',')) AS UHUGEINT) AS a)`;
  const info = await store.all(`SELECT i.* FROM addr_info i JOIN ${wanted} w ON i.addr = w.a`, list);
  for (const r of info) {
    const c = out.get(BigInt(r.addr as bigint));
    if (!c) continue;
    c.country = str(r.country);
    c.city = str(r.city);
    c.asn = r.asn === null ? null : Number(r.asn);
    c.asOrg = str(r.as_org);
  }
  const names = await store.all(
    `SELECT n.addr, n.name, min(n.ts_us) AS first_us FROM names n JOIN ${wanted} w ON n.addr = w.a GROUP BY n.addr, n.name ORDER BY n.addr, first_us, n.name`, list,
  );
  for (const r of names) out.get(BigInt(r.addr as bigint))?.names.push(String(r.name));
  const assets = await store.all(
    `SELECT w.a, arg_min(struct_pack(block := s.block, name := s.name, owner := s.owner, criticality := s.criticality), s.last_ip - s.first_ip) AS asset
       FROM ${wanted} w JOIN assets s ON w.a BETWEEN s.first_ip AND s.last_ip GROUP BY w.a`, list,
  );
  for (const r of assets) {
    const c = out.get(BigInt(r.a as bigint));
    const s = r.asset as Record<string, unknown>;
    if (c && s) c.asset = { block: String(s.block), name: str(s.name), owner: str(s.owner), criticality: str(s.criticality) };
  }
  return out;
}
