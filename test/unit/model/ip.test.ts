import { describe, expect, it } from 'vitest';
import { formatIp, formatIpBigInt, ipToBigInt, parseCidr, parseIp } from '../../../core/model/ip';

describe('parseIp()', () => {
  it('reads dotted quads, including zero-padded octets as IPAudit writes them', () => {
    expect(parseIp('105.033.041.107')).toBe(((105 << 24) | (33 << 16) | (41 << 8) | 107) >>> 0);
    expect(parseIp('256.1.1.1')).toBeNull();
    expect(parseIp('1.2.3')).toBeNull();
  });
  it('reads IPv6 with :: and embedded IPv4, and prints RFC 5952 text', () => {
    expect(formatIp(parseIp('2001:DB8:0:0:0:0:0:1')!)).toBe('2001:db8::1');
    expect(formatIp(parseIp('::ffff:1.2.3.4')!)).toBe('::ffff:102:304');
    expect(formatIp(parseIp('fe80::1%eth0')!)).toBe('fe80::1');
    expect(parseIp('1::2::3')).toBeNull();
  });
  it('round-trips through the store form', () => {
    for (const t of ['10.1.2.3', '2001:db8::1', '::', 'ff02::fb']) expect(formatIpBigInt(ipToBigInt(parseIp(t)!))).toBe(t);
  });
});

describe('parseCidr()', () => {
  it('gives the first and last address of IPv4 and IPv6 blocks', () => {
    const v4 = parseCidr('10.0.0.0/8')!;
    expect(formatIpBigInt(v4.first)).toBe('10.0.0.0');
    expect(formatIpBigInt(v4.last)).toBe('10.255.255.255');
    const v6 = parseCidr('fd00::/8')!;
    expect(formatIpBigInt(v6.last)).toBe('fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
    expect(parseCidr('10.0.0.0/33')).toBeNull();
  });
});
