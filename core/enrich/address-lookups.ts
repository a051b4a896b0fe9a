import { statSync } from 'node:fs';
import { formatIpBigInt } from '../model/ip';
import type { CaseStore } from '../store/case-store';
import { insertRows } from './row-insert';
import { MmdbError, openMmdb, type MmdbDatabase } from './mmdb-databases';

/** A database attached to the case, as the case records it. */
export interface MmdbFileInfo {
  fileId: number;
  name: string;
  path: string;
  sha256: string;
  size: number;
  databaseType: string | null;
  /** When the database was built (its metadata), UTC seconds. */
  buildEpoch: number | null;
  attachedUs: number;
}

/** What an enrich run did. */
export interface EnrichResult {
  databases: MmdbFileInfo[];
  /** Distinct addresses in the case that were looked up, and how many any database knew. */
  addresses: number;
  found: number;
}

export type EnrichOutcome = { ok: true; result: EnrichResult } | { ok: false; message: string };

/**
 * Attaches MaxMind-format databases to the case (name, path, size and SHA-256 recorded) and
 * looks up every address in the case in all attached databases, earlier ones first for a
 * field they both answer. Attached databases are re-read from their paths and must still
 * have the recorded hash: a lookup the report cites comes from the file the case names.
 * Nothing changes unless every database opens and every lookup works.
 */
export async function enrichAddresses(store: CaseStore, paths: readonly string[], actor = 'user'): Promise<EnrichOutcome> {
  const known = await listMmdbFiles(store);
  const dbs: MmdbDatabase[] = [];
  try {
    for (const f of known) {
      try {
        statSync(f.path);
      } catch {
        return { ok: false, message: `${f.path}: the attached database ${f.name} is no longer there; attach it again with --mmdb` };
      }
      const db = openMmdb(f.path);
      if (db.sha256 !== f.sha256) return { ok: false, message: `${f.path}: the file changed since it was attached (SHA-256 ${db.sha256}, case records ${f.sha256}); attach it again` };
      dbs.push(db);
    }
    for (const p of paths) {
      const db = openMmdb(p);
      if (!dbs.some((d) => d.sha256 === db.sha256)) dbs.push(db);
    }
  } catch (err) {
    if (err instanceof MmdbError) return { ok: false, message: err.message };
    throw err;
  }
  const addrs = (await store.all<{ a: bigint }>(
    `SELECT a FROM (SELECT src_ip AS a FROM flows UNION SELECT dst_ip FROM flows UNION SELECT addr FROM names) WHERE a IS NOT NULL ORDER BY a`,
  )).map((r) => BigInt(r.a));
  const rows: unknown[][] = [];
  try {
    for (const a of addrs) {
      const text = formatIpBigInt(a);
      let country: string | null = null, city: string | null = null, asn: number | null = null, asOrg: string | null = null;
      for (const db of dbs) {
        const r = db.lookup(text);
        if (!r) continue;
        country ??= r.country;
        city ??= r.city;
        if (asn === null && r.asn !== null) { asn = r.asn; asOrg = r.asOrg; }
      }
      if (country !== null || city !== null || asn !== null) rows.push([a, country, city, asn, asOrg]);
    }
  } catch (err) {
    if (err instanceof MmdbError) return { ok: false, message: err.message };
    throw err;
  }
  const now = BigInt(Date.now() * 1000);
  await store.transaction(async () => {
    const next = known.length ? Math.max(...known.map((f) => f.fileId)) + 1 : 1;
    const added = dbs.filter((d) => !known.some((k) => k.sha256 === d.sha256));
    await insertRows(store, 'mmdb_files', [
      { name: 'file_id', type: 'INTEGER' }, { name: 'name', type: 'VARCHAR' }, { name: 'path', type: 'VARCHAR' }, { name: 'sha256', type: 'VARCHAR' },
      { name: 'size', type: 'UBIGINT' }, { name: 'database_type', type: 'VARCHAR' }, { name: 'build_epoch', type: 'BIGINT' }, { name: 'attached_us', type: 'BIGINT' },
    ], added.map((d, i) => [next + i, d.name, d.path, d.sha256, BigInt(d.size), d.databaseType, BigInt(d.buildEpoch), now]));
    await store.run(`DELETE FROM addr_info`);
    await insertRows(store, 'addr_info', [
      { name: 'addr', type: 'UHUGEINT' }, { name: 'country', type: 'VARCHAR' }, { name: 'city', type: 'VARCHAR' }, { name: 'asn', type: 'UINTEGER' }, { name: 'as_org', type: 'VARCHAR' },
    ], rows);
    await store.audit('enrich.mmdb', { attached: added.map((d) => ({ name: d.name, sha256: d.sha256 })), addresses: addrs.length, found: rows.length }, actor);
  });
  return { ok: true, result: { databases: await listMmdbFiles(store), addresses: addrs.length, found: rows.length } };
}

/**
 * After an import: looks up the case's addresses again in the attached databases, so new
 * addresses get their country and AS. A database that moved or changed leaves the earlier
 * lookups as they were (the next `flowcase enrich` says why).
 */
export async function refreshAddressLookups(store: CaseStore): Promise<void> {
  const n = await store.value<number>(`SELECT count(*)::INTEGER FROM mmdb_files`);
  if (!n) return;
  await enrichAddresses(store, [], 'flowcase');
}

/** The databases attached to the case, in the order they were attached. */
export async function listMmdbFiles(store: CaseStore): Promise<MmdbFileInfo[]> {
  const rows = await store.all(`SELECT * FROM mmdb_files ORDER BY file_id`);
  return rows.map((r) => ({
    fileId: Number(r.file_id), name: String(r.name), path: String(r.path), sha256: String(r.sha256), size: Number(r.size),
    databaseType: r.database_type === null ? null : String(r.database_type), buildEpoch: r.build_epoch === null ? null : Number(r.build_epoch),
    attachedUs: Number(r.attached_us),
  }));
}
