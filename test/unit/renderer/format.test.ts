import { tcpFlagsText } from '../../../core/model/tcp-flags';
import { describe, expect, it } from 'vitest';
import {
  baseName, dirName, endpoint, formatBytes, formatCompact, formatCount, formatDuration, formatTime, formatUtcIso, joinPath, shortHash,
  tcpFlagLetters, zoneOffset,
} from '../../../renderer/lib/format';

const US = 1_700_000_000_123_456; // 2023-11-14T22:13:20.123456Z

describe('renderer formatting', () => {
  it('formatTime() shows the instant in the zone asked for, with the exact microseconds', () => {
    expect(formatTime(US)).toBe('2023-11-14 22:13:20.123456');
    expect(formatTime(US, 'Europe/Berlin')).toBe('2023-11-14 23:13:20.123456');
    expect(formatTime(US, 'America/New_York', 'ms')).toBe('2023-11-14 17:13:20.123');
    expect(formatTime(US, 'Asia/Kolkata', 's')).toBe('2023-11-15 03:43:20');
    expect(formatTime(US, 'No/Such_Zone', 's')).toBe('2023-11-14 22:13:20'); // an unknown zone falls back to UTC
    expect(formatTime(-1)).toBe('1969-12-31 23:59:59.999999');
    expect(formatTime(null)).toBe('');
    expect(formatUtcIso(US)).toBe('2023-11-14T22:13:20.123456Z');
  });

  it('zoneOffset() says the offset in force at that instant (summer time included)', () => {
    expect(zoneOffset(US, 'UTC')).toBe('UTC+00:00');
    expect(zoneOffset(US, 'Europe/Berlin')).toBe('UTC+01:00');
    expect(zoneOffset(Date.UTC(2023, 6, 1) * 1000, 'Europe/Berlin')).toBe('UTC+02:00');
    expect(zoneOffset(US, 'Asia/Kolkata')).toBe('UTC+05:30');
  });

  it('sizes, counts and durations read as network tools print them', () => {
    expect([999, 1000, 1_234_567, 98_765_432_100].map(formatBytes)).toEqual(['999 B', '1.00 KB', '1.23 MB', '98.8 GB']);
    expect(formatBytes(null)).toBe('');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect([7.25, 999, 1234, 56_789, 1_234_567, 3.2e9].map(formatCompact)).toEqual(['7.3', '999', '1.2k', '57k', '1.2M', '3.2G']);
    expect([1_500_000, 75_000_000, 3_723_000_000, 90_061_000_000, -2_000_000].map(formatDuration))
      .toEqual(['1.500000 s', '1 m 15 s', '1 h 02 m 03 s', '1 d 01 h 01 m', '-2.000000 s']);
  });

  it('TCP flags as nfdump prints them, endpoints with IPv6 in brackets', () => {
    // The same string as the CLI and the exports (#11): nfdump's eight letters.
    expect(tcpFlagLetters(0x12)).toBe('...A..S.');
    expect(tcpFlagLetters(0x3f)).toBe('..UAPRSF');
    expect(tcpFlagLetters(0xd2)).toBe(tcpFlagsText(0xd2));
    expect(tcpFlagLetters(null)).toBe('');
    expect(endpoint('10.0.0.5', 443)).toBe('10.0.0.5:443');
    expect(endpoint('2001:db8::1', 53)).toBe('[2001:db8::1]:53');
    expect(endpoint('2001:db8::1', null)).toBe('[2001:db8::1]');
  });

  it('paths of either OS, and hashes shortened at both ends', () => {
    expect(baseName('/cases/a/conn.log')).toBe('conn.log');
    expect(baseName('C:\\cases\\conn.log')).toBe('conn.log');
    expect(dirName('/cases/a/conn.log')).toBe('/cases/a');
    expect(dirName('/conn.log')).toBe('/');
    expect(joinPath('C:\\cases', 'x.duckdb')).toBe('C:\\cases\\x.duckdb');
    expect(joinPath('/cases/', 'x.duckdb')).toBe('/cases/x.duckdb');
    expect(shortHash('0123456789abcdef0123456789abcdef')).toBe('01234567…abcdef');
    expect(shortHash('abc')).toBe('abc');
  });
});
