import { describe, expect, it } from 'vitest';
import { toNumber, toNumberOrNull } from '../../../core/model/bigint';
import { icmpFromPort, icmpPort } from '../../../core/model/icmp-port';
import { isIcmp, parseProto, protoByName, protoKeyword, protoName } from '../../../core/model/protocols';

describe('protoName() / parseProto()', () => {
  it('prints the names nfdump prints and the number for the rest', () => {
    expect([protoName(6), protoName(58), protoName(41), protoName(253)]).toEqual(['TCP', 'ICMP6', 'IPv6', '253']);
    expect([protoKeyword(58), protoKeyword(253)]).toEqual(['icmp6', undefined]);
  });
  it('reads numbers, names and the spellings text formats write, case-insensitively', () => {
    expect(['6', 'TCP', 'udp', 'icmpv6', 'ipv6-icmp', 'ICMP6', 'ipv4'].map((t) => parseProto(t))).toEqual([6, 6, 17, 58, 58, 58, 4]);
    expect([parseProto('256'), parseProto('bogus'), protoByName('bogus')]).toEqual([null, null, undefined]);
  });
  it('reads Zeek\'s icmp over IPv6 as ICMPv6', () => {
    expect([parseProto('icmp', false), parseProto('icmp', true)]).toEqual([1, 58]);
    expect([isIcmp(1), isIcmp(58), isIcmp(6)]).toEqual([true, true, false]);
  });
});

describe('icmpFromPort() / icmpPort()', () => {
  it('reads the destination port as type * 256 + code, below 256 too (as nfdump and the IPFIX registry do)', () => {
    expect(icmpFromPort(0x0301)).toEqual([3, 1]);
    expect(icmpFromPort(8)).toEqual([0, 8]);
    expect(icmpFromPort(0)).toEqual([0, 0]);
    expect(icmpPort(135, 0)).toBe(135 << 8);
    for (const p of [0, 8, 0x0800, 0x8700, 0xffff]) expect(icmpPort(...icmpFromPort(p))).toBe(p);
  });
});

describe('toNumber()', () => {
  it('turns DuckDB bigints into numbers and keeps NULL apart', () => {
    expect([toNumber(12n), toNumber(7), toNumberOrNull(null), toNumberOrNull(3n)]).toEqual([12, 7, null, 3]);
  });
});
