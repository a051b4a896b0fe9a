import { describe, expect, it } from 'vitest';
import { filterToSql } from '../../../core/query/compile-filter';

function sql(text: string, opts = {}) {
  const r = filterToSql(text, opts);
  if (!r.ok) throw new Error(r.error.message);
  return r;
}

describe('compileFilter()', () => {
  it('compiles host to either address column with the address as a decimal-string parameter', () => {
    const r = sql('host 10.0.0.5');
    expect(r.sql).toBe('(src_ip = CAST($qa AS UHUGEINT) OR dst_ip = CAST($qa AS UHUGEINT))');
    expect(r.params).toEqual({ qa: String((0xffffn << 32n) | 0x0a000005n) });
  });

  it('compiles a net to BETWEEN over its first and last address', () => {
    const r = sql('dst net 192.168.0.0/16');
    expect(r.sql).toBe('(dst_ip BETWEEN CAST($qa AS UHUGEINT) AND CAST($qb AS UHUGEINT))');
    expect(BigInt(r.params.qb as string) - BigInt(r.params.qa as string)).toBe(65535n);
  });

  it('reads port != 80 as "neither end is 80"', () => {
    expect(sql('port != 80').sql).toBe('(NOT (src_port = CAST($qa AS USMALLINT) OR dst_port = CAST($qa AS USMALLINT)))');
  });

  it('never yields NULL for optional columns, so not inverts them', () => {
    expect(sql('not as 65000').sql).toBe('(NOT coalesce(src_as = CAST($qa AS UINTEGER) OR dst_as = CAST($qa AS UINTEGER), FALSE))');
  });

  it('tests flags over both directions of TCP flows', () => {
    const r = sql('flags SA');
    expect(r.sql).toBe('(proto = 6 AND ((coalesce(tcp_flags, 0) | coalesce(rev_tcp_flags, 0)) & CAST($qa AS UTINYINT)) = CAST($qa AS UTINYINT))');
    expect(r.params).toEqual({ qa: 0x12 });
  });

  it('matches label as a lower-cased substring parameter', () => {
    const r = sql('label "From-Botnet"');
    expect(r.sql).toBe('coalesce(strpos(lower(label), CAST($qa AS VARCHAR)) > 0, FALSE)');
    expect(r.params).toEqual({ qa: 'from-botnet' });
  });

  it('prefixes columns with an alias and parameters with a prefix', () => {
    expect(sql('port 22', { alias: 'f', paramPrefix: 'z' }).sql).toBe('(f.src_port = CAST($za AS USMALLINT) OR f.dst_port = CAST($za AS USMALLINT))');
  });

  it('refuses a prefix or alias that could inject SQL', () => {
    expect(() => filterToSql('port 22', { alias: 'f; DROP' })).toThrow(/bad alias/);
    expect(() => filterToSql('port 22', { paramPrefix: 'a1' })).toThrow(/bad parameter prefix/);
  });

  it('returns the parse error as a value', () => {
    const r = filterToSql('host');
    expect(r.ok).toBe(false);
  });
});
