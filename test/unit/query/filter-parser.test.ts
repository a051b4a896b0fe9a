import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../core/query/filter-parser';
import { parseCidr } from '../../../core/model/ip';

function error(text: string) {
  const r = parseFilter(text);
  if (r.ok) throw new Error(`expected an error for ${text}`);
  return r.error;
}

function ast(text: string) {
  const r = parseFilter(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.ast;
}

describe('parseFilter()', () => {
  it('suggests the nearest keyword for a typo, pointing at it', () => {
    expect(error('hots 10.0.0.1')).toEqual({ message: "unknown keyword 'hots' at 1:1 — did you mean 'host'?", line: 1, column: 1, offset: 0, length: 4 });
    expect(error('port 22 and protp tcp').message).toBe("unknown keyword 'protp' at 1:13 — did you mean 'proto'?");
  });

  it('says an address is missing after host, at the token that replaced it', () => {
    expect(error('host and port 22')).toMatchObject({ message: "expected an address after 'host' at 1:6", column: 6, offset: 5, length: 3 });
    expect(error('host')).toMatchObject({ message: "expected an address after 'host' at 1:5", offset: 4, length: 0 });
  });

  it('rejects a CIDR with a prefix longer than the family allows', () => {
    expect(error('net 10.0.0.0/33').message).toBe("'10.0.0.0/33' is not a valid network: the prefix of an IPv4 network must be 0–32 at 1:5");
    expect(error('net 2001:db8::/129').message).toContain('must be 0–128');
    expect(error('host 10.0.0.300').message).toBe("'10.0.0.300' is not an IP address at 1:6");
  });

  it('reports unbalanced parentheses at the parenthesis', () => {
    expect(error('(port 22 or port 23')).toMatchObject({ message: "unbalanced parentheses: '(' is never closed at 1:1", offset: 0 });
    expect(error('port 22)')).toMatchObject({ message: "unbalanced parentheses: ')' has no matching '(' at 1:8", offset: 7 });
  });

  it('counts lines and columns across newlines', () => {
    expect(error('port 22 and\n  hots 1.2.3.4')).toMatchObject({ line: 2, column: 3, offset: 14 });
  });

  it('suggests host before a bare address and an operator between conditions', () => {
    expect(error('10.0.0.1').message).toBe("expected a keyword before the address '10.0.0.1' at 1:1 — did you mean 'host 10.0.0.1'?");
    expect(error('port 22 port 23').message).toBe("expected 'and' or 'or' before 'port' at 1:9");
  });

  it('refuses out-of-range values, bad flags and wrong direction words', () => {
    expect(error('port 70000').message).toBe("70000 is out of range for 'port' (0–65535) at 1:6");
    expect(error('flags SQ').message).toBe("unknown TCP flag 'Q' in 'SQ' at 1:7 — flags are F S R P A U E C, or X for all of FSRPAU");
    expect(error('src if 3').message).toBe("'src' cannot qualify 'if' at 1:1 — use 'in' or 'out' with 'if'");
    expect(error('port 1k').message).toContain('the k/M/G suffixes are for counts and rates');
    expect(error('after yesterday').message).toContain("'yesterday' is not a time");
  });

  it('binds and tighter than or, and not tighter than and', () => {
    const a = ast('not port 1 and port 2 or port 3');
    expect(a.type).toBe('or');
    if (a.type !== 'or') return;
    expect(a.left.type).toBe('and');
    if (a.left.type !== 'and') return;
    expect(a.left.left.type).toBe('not');
  });

  it('reads nets as address ranges, including IPv6 and IPv4-mapped storage', () => {
    const a = ast('src net 10.0.0.0/8');
    expect(a).toMatchObject({ type: 'addr', field: 'host', dir: 'src', ranges: [{ first: parseCidr('10.0.0.0')!.first, last: parseCidr('10.255.255.255')!.first }] });
    const b = ast('dst net fe80::/10');
    expect(b).toMatchObject({ type: 'addr', dir: 'dst', ranges: [{ first: 0xfe80n << 112n }] });
  });

  it('reads numbers with 1000-based suffixes, ranges, lists and word operators', () => {
    expect(ast('bytes > 1M')).toMatchObject({ type: 'num', field: 'bytes', tests: [{ kind: 'cmp', op: '>', value: 1_000_000n }] });
    expect(ast('bytes gt 2k')).toMatchObject({ tests: [{ op: '>', value: 2000n }] });
    expect(ast('port in [80, 443 1000-2000]')).toMatchObject({ tests: [{ value: 80n }, { value: 443n }, { kind: 'range', lo: 1000n, hi: 2000n }] });
    expect(ast('tos 0x10')).toMatchObject({ field: 'tos', tests: [{ value: 16n }] });
    expect(ast('duration > 10m')).toMatchObject({ field: 'duration', tests: [{ value: 600_000_000n }] });
    expect(ast('proto gre')).toMatchObject({ field: 'proto', tests: [{ value: 47n }] });
    expect(ast('icmp6')).toMatchObject({ field: 'proto', tests: [{ value: 58n }] });
  });

  it('reads flags as a bit mask and times as microseconds', () => {
    expect(ast('flags SA')).toMatchObject({ type: 'flags', dir: 'any', mask: 0x12 });
    expect(ast('dst flags R')).toMatchObject({ type: 'flags', dir: 'dst', mask: 0x04 });
    expect(ast('between 2024-01-12T10:00Z and 2024-01-12T11:00Z')).toMatchObject({
      field: 'start', tests: [{ kind: 'range', lo: 1705053600000000n, hi: 1705057199999999n }],
    });
    expect(ast('after "2024-01-12 10:00"')).toMatchObject({ tests: [{ op: '>=', value: 1705053600000000n }] });
  });

  it('treats an empty filter as match-all', () => {
    expect(ast('   ')).toMatchObject({ type: 'any' });
  });
});

describe('times without a zone are read in the display zone', () => {
  const startOf = (text: string, timeZone?: string) => {
    const r = parseFilter(text, { timeZone });
    if (!r.ok) throw new Error(r.error.message);
    const n = r.ast as unknown as { tests: { value?: bigint; lo?: bigint }[] };
    return Number(n.tests[0].value ?? n.tests[0].lo);
  };
  it('New York in March (EDT, after the DST change) and January (EST); a written zone wins', () => {
    expect(startOf('before "2024-03-12 06:00"', 'America/New_York')).toBe(Date.UTC(2024, 2, 12, 10) * 1000);
    expect(startOf('before "2024-01-12 06:00"', 'America/New_York')).toBe(Date.UTC(2024, 0, 12, 11) * 1000);
    expect(startOf('before "2024-03-12 06:00"')).toBe(Date.UTC(2024, 2, 12, 6) * 1000);
    expect(startOf('before "2024-03-12 06:00Z"', 'America/New_York')).toBe(Date.UTC(2024, 2, 12, 6) * 1000);
    expect(startOf('start > "2024-03-12 06:00:00.5"', 'Asia/Kolkata')).toBe(Date.UTC(2024, 2, 12, 0, 30) * 1000 + 500_000);
    expect(startOf('between "2024-07-01" and "2024-07-02"', 'Europe/Berlin')).toBe(Date.UTC(2024, 5, 30, 22) * 1000);
  });
  it('the error of a bad time names the zone it would have used', () => {
    const r = parseFilter('after "yesterday"', { timeZone: 'Europe/Berlin' });
    expect(!r.ok && r.error.message).toContain('read in Europe/Berlin');
  });
});
