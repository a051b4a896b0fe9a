import { describe, expect, it } from 'vitest';
import { MmdbError, openMmdb } from '../../../core/enrich/mmdb-databases';
import { corpus, CORPUS_SKIP_REASON, HAVE_CORPUS } from '../../helpers/corpus';

describe.skipIf(!HAVE_CORPUS)('MaxMind test databases', () => {
  if (!HAVE_CORPUS) it.skip(CORPUS_SKIP_REASON, () => {});
  it('answers as the source JSON says (City, ASN, IPv6)', () => {
    const city = openMmdb(corpus('mmdb/GeoIP2-City-Test.mmdb'));
    expect(city.databaseType).toBe('GeoIP2-City');
    expect(city.lookup('81.2.69.142')).toMatchObject({ country: 'GB', city: 'London' });
    expect(city.lookup('216.160.83.56')).toMatchObject({ country: 'US', city: 'Milton' });
    expect(city.lookup('2001:218::1')).toMatchObject({ country: 'JP' });
    expect(city.lookup('10.0.0.1')).toBeNull();
    const asn = openMmdb(corpus('mmdb/GeoLite2-ASN-Test.mmdb'));
    expect(asn.lookup('1.128.0.1')).toEqual({ country: null, city: null, asn: 1221, asOrg: 'Telstra Pty Ltd' });
  });
  it('a damaged database fails the lookup that reaches the damage, naming the file and address', () => {
    const db = openMmdb(corpus('mmdb/MaxMind-DB-test-broken-pointers-24.mmdb'));
    expect(() => db.lookup('1.1.1.16')).toThrow(MmdbError);
    expect(() => db.lookup('1.1.1.16')).toThrow(/broken-pointers-24\.mmdb: lookup of 1\.1\.1\.16 failed: the database is damaged/);
  });
  it('refuses a file that is not a database', () => {
    expect(() => openMmdb(corpus('README.md'))).toThrow(/README\.md: not a readable MaxMind DB file/);
  });
});
