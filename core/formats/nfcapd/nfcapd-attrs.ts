import { formatIp, type Ip } from '../../model/ip';
import { isZeroIp, macLe } from './nfcapd-read';

/**
 * Builders for a flow's `attrs` object: it is created only when a record carries something
 * beyond the flow columns, so the common record allocates nothing extra.
 */
export function put(attrs: Record<string, unknown> | undefined, key: string, value: unknown): Record<string, unknown> {
  const a = attrs ?? {};
  a[key] = value;
  return a;
}

export function putNonZero(attrs: Record<string, unknown> | undefined, key: string, value: number): Record<string, unknown> | undefined {
  return value === 0 ? attrs : put(attrs, key, value);
}

export function putIp(attrs: Record<string, unknown> | undefined, key: string, ip: Ip): Record<string, unknown> | undefined {
  return isZeroIp(ip) ? attrs : put(attrs, key, formatIp(ip));
}

export function putMac(attrs: Record<string, unknown> | undefined, key: string, dv: DataView, o: number): Record<string, unknown> | undefined {
  if (dv.getUint32(o, true) === 0 && dv.getUint16(o + 4, true) === 0) return attrs;
  return put(attrs, key, macLe(dv, o));
}

