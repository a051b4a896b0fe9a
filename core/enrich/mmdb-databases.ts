import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Reader, type Response } from 'mmdb-lib';

/** What a MaxMind-format database says about one address (the fields Flowcase shows). */
export interface MmdbAnswer {
  country: string | null;
  city: string | null;
  asn: number | null;
  asOrg: string | null;
}

/** One database opened for lookups, with what the case records about it. */
export interface MmdbDatabase {
  readonly name: string;
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly databaseType: string;
  readonly buildEpoch: number;
  lookup(addr: string): MmdbAnswer | null;
}

/** A database that cannot be used, said so with its file name (never thrown past openMmdb's caller). */
export class MmdbError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'MmdbError';
  }
}

interface MmdbRecord {
  country?: { iso_code?: string };
  registered_country?: { iso_code?: string };
  city?: { names?: Record<string, string> };
  autonomous_system_number?: number;
  autonomous_system_organization?: string;
}

/**
 * Opens a MaxMind DB file (GeoLite2/GeoIP2 City, Country, ASN or any .mmdb) with mmdb-lib,
 * which reads the file in memory, offline. The hash is of the bytes the lookups use.
 */
export function openMmdb(path: string): MmdbDatabase {
  const full = resolve(path);
  let bytes: Buffer;
  try {
    if (!statSync(full).isFile()) throw new Error('not a file');
    bytes = readFileSync(full);
  } catch (err) {
    throw new MmdbError(path, `cannot read the database (${(err as Error).message})`);
  }
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(bytes);
  } catch (err) {
    throw new MmdbError(path, `not a readable MaxMind DB file (${(err as Error).message})`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const meta = reader.metadata;
  return {
    name: basename(full), path: full, sha256, size: bytes.length, databaseType: meta.databaseType, buildEpoch: Number(meta.buildEpoch.getTime() / 1000),
    lookup(addr: string): MmdbAnswer | null {
      let rec: MmdbRecord | null;
      try {
        rec = reader.get(addr) as MmdbRecord | null;
      } catch (err) {
        // A broken data section shows on the lookup that reaches it: name the file and the address.
        throw new MmdbError(path, `lookup of ${addr} failed: the database is damaged (${(err as Error).message})`);
      }
      if (!rec || typeof rec !== 'object') return null;
      const country = rec.country?.iso_code ?? rec.registered_country?.iso_code ?? null;
      const city = rec.city?.names?.en ?? null;
      const asn = typeof rec.autonomous_system_number === 'number' ? rec.autonomous_system_number : null;
      const asOrg = rec.autonomous_system_organization ?? null;
      if (country === null && city === null && asn === null && asOrg === null) return null;
      return { country, city, asn, asOrg };
    },
  };
}
