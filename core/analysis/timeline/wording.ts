/** Words for the summaries the story, the timeline and the report print (English, fixed formats: reproducible). */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal units as network tools count (1 MB = 1,000,000 bytes). */
export function bytesText(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (Math.abs(n) < 1000) return `${n} B`;
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1000 && u < UNITS.length - 1) { v /= 1000; u++; }
  return `${v.toFixed(1)} ${UNITS[u]}`;
}

/** 12,345 */
export function countText(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  return `${n < 0 ? '-' : ''}${s.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${countText(n)} ${n === 1 ? one : many}`;
}

const PROTO: Readonly<Record<number, string>> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmp6', 132: 'sctp' };

/** 443/tcp */
export function portText(port: number, proto: number): string {
  return `${port}/${PROTO[proto] ?? `proto${proto}`}`;
}

/** "22, 80, 443 and 9 more" */
export function listText(items: readonly (string | number)[], max = 6): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
