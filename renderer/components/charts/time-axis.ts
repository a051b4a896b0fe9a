import { formatTime } from '../../lib/format';

/**
 * Tick labels in the case's time zone, as short as the span allows: seconds for minutes,
 * hours:minutes within a day, month-day and time within two months, else the date.
 */
export function timeTickFormat(spanUs: number, timeZone: string): (ms: Date | number) => string {
  return (d) => {
    const us = (typeof d === 'number' ? d : d.getTime()) * 1000;
    const t = formatTime(us, timeZone, 's'); // 2024-01-12 10:00:00
    if (spanUs <= 15 * 60e6) return t.slice(11, 19);
    if (spanUs <= 86_400e6) return t.slice(11, 16);
    if (spanUs <= 60 * 86_400e6) return `${t.slice(5, 10)} ${t.slice(11, 16)}`;
    return t.slice(0, 10);
  };
}

/** Colours that stay apart on screen and in print (Tableau 10), then greys. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Fixed colours for the direction split, so inbound is always the same blue. */
export const DIRECTION_COLORS: Record<string, string> = {
  inbound: '#2f6fb0', outbound: '#e07b28', internal: '#8c8c8c', external: '#9467bd',
};

export function colorFor(key: string, index: number, fixed?: Record<string, string>): string {
  return fixed?.[key] ?? PALETTE[index % PALETTE.length];
}
