import { ipToBigInt, parseIp } from '../model/ip';
import type { CaseStore } from '../store/case-store';

/** A connection whose name is wanted: who connected, to which address, and when it ended. */
export interface NameQuery {
  client: string;
  server: string;
  atUs: number;
}

/**
 * The name each client used for each server at that time: the latest name seen for the
 * server's address up to `atUs` (a DNS answer before the connection, or the SNI/Host inside
 * it), the client's own sightings first, then anyone's. Not a reverse lookup made today.
 * One query for a whole page; nothing when the case holds no names.
 */
export async function namesUsed(store: CaseStore, queries: readonly NameQuery[]): Promise<(string | null)[]> {
  const out: (string | null)[] = queries.map(() => null);
  if (queries.length === 0) return out;
  const any = await store.value<boolean>(`SELECT EXISTS (SELECT 1 FROM names)`);
  if (!any) return out;
  const big = (t: string): string => {
    const ip = parseIp(t);
    return ip === null ? '0' : ipToBigInt(ip).toString();
  };
  const rows = await store.all(
    `WITH r AS (SELECT unnest(string_split($i, ','))::INTEGER AS i, unnest(string_split($c, ','))::UHUGEINT AS c,
                       unnest(string_split($s, ','))::UHUGEINT AS s, unnest(string_split($t, ','))::BIGINT AS t)
     SELECT r.i, (SELECT n.name FROM names n WHERE n.addr = r.s AND n.ts_us <= r.t
                   ORDER BY coalesce(n.client_ip = r.c, FALSE) DESC, n.ts_us DESC, n.name LIMIT 1) AS name
       FROM r`,
    {
      i: queries.map((_, i) => String(i)).join(','), c: queries.map((q) => big(q.client)).join(','),
      s: queries.map((q) => big(q.server)).join(','), t: queries.map((q) => String(Math.floor(q.atUs))).join(','),
    },
  );
  for (const r of rows) if (r.name !== null) out[Number(r.i)] = String(r.name);
  return out;
}
