import { SERVICE_NAMES } from '../model/service-ports';

/**
 * FlowScan's rule for passive FTP: a TCP flow between two high ports (>= 1024) of two hosts
 * that had an FTP control connection (port 21) starting before it, and at most this long
 * after that control connection ended, is FTP data.
 */
export const FTP_DATA_LOOKBACK_US = 300 * 1_000_000;

/** Service names by code: 0 'other', -1 'ftp-data' (by the rule), else SERVICE_NAMES index + 1. */
export function serviceName(code: number): string {
  if (code === -1) return 'ftp-data';
  return SERVICE_NAMES[code - 1]?.[2] ?? 'other';
}

/**
 * SQL VALUES rows (proto, port, code) for SERVICE_NAMES (core/model/service-ports.ts); every value comes from the
 * constant table. Queries group by the small integer code, which is much cheaper
 * than grouping by a name per row, and names are put back in JS.
 */
export function serviceValuesSql(): string {
  return SERVICE_NAMES.map(([proto, port], i) => `(${proto}, ${port}, ${i + 1})`).join(', ');
}
