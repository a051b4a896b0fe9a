import { bytesText } from '../analysis/timeline/wording';
import { esc } from './html-escape';
import { zonedText } from './zoned-time';

/**
 * Charts for the report as inline SVG text: no script, no fonts or images from elsewhere,
 * the same bytes for the same data (coordinates rounded to 0.1 px).
 */

const r1 = (x: number): string => (Math.round(x * 10) / 10).toString();

export interface TimeBin {
  /** Bin start, UTC µs. */
  t: number;
  /** Drawn above the axis (bytes sent). */
  up: number;
  /** Drawn below the axis (bytes received). */
  down: number;
}

export interface TimeChartInput {
  bins: readonly TimeBin[];
  binUs: number;
  fromUs: number;
  toUs: number;
  /** Vertical lines (the compromise). */
  marks: readonly { us: number; label: string }[];
  /** Shaded stretches (coverage gaps). */
  shades: readonly { fromUs: number; toUs: number; label: string }[];
  timeZone: string;
  upLabel: string;
  downLabel: string;
  title: string;
}

const W = 760;
const H = 260;
const PAD = { l: 70, r: 16, t: 28, b: 44 };

/** Bytes per time bin, sent above the axis and received below, with the compromise marked and gaps shaded. */
export function timeChartSvg(c: TimeChartInput): string {
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const span = Math.max(1, c.toUs - c.fromUs);
  const x = (us: number) => PAD.l + ((us - c.fromUs) / span) * iw;
  const maxUp = Math.max(1, ...c.bins.map((b) => b.up));
  const maxDown = Math.max(1, ...c.bins.map((b) => b.down));
  // The axis sits where the two halves' shares of the height meet (each half scaled to its own maximum).
  const upShare = c.bins.some((b) => b.down > 0) ? 0.6 : 1;
  const axisY = PAD.t + ih * upShare;
  const yUp = (v: number) => axisY - (v / maxUp) * ih * upShare * 0.95;
  const yDown = (v: number) => axisY + (v / maxDown) * ih * (1 - upShare) * 0.95;
  const bw = Math.max(1, (c.binUs / span) * iw - 0.5);
  const parts: string[] = [];
  parts.push(`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(c.title)}">`);
  parts.push(`<title>${esc(c.title)}</title>`);
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`);
  for (const s of c.shades) {
    const a = Math.max(PAD.l, x(s.fromUs));
    const b = Math.min(W - PAD.r, x(s.toUs));
    if (b <= a) continue;
    parts.push(`<rect x="${r1(a)}" y="${PAD.t}" width="${r1(b - a)}" height="${ih}" fill="#f3d9a4" opacity="0.6"><title>${esc(s.label)}</title></rect>`);
  }
  for (const b of c.bins) {
    const bx = x(b.t);
    if (b.up > 0) parts.push(`<rect x="${r1(bx)}" y="${r1(yUp(b.up))}" width="${r1(bw)}" height="${r1(axisY - yUp(b.up))}" fill="#b23a48"/>`);
    if (b.down > 0) parts.push(`<rect x="${r1(bx)}" y="${r1(axisY)}" width="${r1(bw)}" height="${r1(yDown(b.down) - axisY)}" fill="#5b7db1"/>`);
  }
  parts.push(`<line x1="${PAD.l}" y1="${r1(axisY)}" x2="${W - PAD.r}" y2="${r1(axisY)}" stroke="#333" stroke-width="1"/>`);
  parts.push(`<text x="${PAD.l - 6}" y="${r1(PAD.t + 10)}" text-anchor="end" font-size="10">${esc(bytesText(maxUp))}</text>`);
  parts.push(`<text x="${PAD.l - 6}" y="${r1(axisY - 4)}" text-anchor="end" font-size="10" fill="#b23a48">${esc(c.upLabel)}</text>`);
  if (upShare < 1) {
    parts.push(`<text x="${PAD.l - 6}" y="${r1(axisY + 12)}" text-anchor="end" font-size="10" fill="#5b7db1">${esc(c.downLabel)}</text>`);
    parts.push(`<text x="${PAD.l - 6}" y="${r1(PAD.t + ih)}" text-anchor="end" font-size="10">${esc(bytesText(maxDown))}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const us = c.fromUs + (span * i) / 4;
    const tx = x(us);
    const label = zonedText(Math.round(us / 1e6) * 1e6, c.timeZone).slice(5, 16);
    parts.push(`<line x1="${r1(tx)}" y1="${PAD.t + ih}" x2="${r1(tx)}" y2="${PAD.t + ih + 4}" stroke="#333"/>`);
    parts.push(`<text x="${r1(tx)}" y="${PAD.t + ih + 16}" text-anchor="${i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}" font-size="10">${esc(label)}</text>`);
  }
  parts.push(`<text x="${W - PAD.r}" y="${H - 8}" text-anchor="end" font-size="10" fill="#555">${esc(`times in ${c.timeZone}`)}</text>`);
  for (const m of c.marks) {
    if (m.us < c.fromUs || m.us > c.toUs) continue;
    const mx = x(m.us);
    parts.push(`<line x1="${r1(mx)}" y1="${PAD.t - 6}" x2="${r1(mx)}" y2="${PAD.t + ih}" stroke="#000" stroke-width="1.5" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${r1(mx + 4)}" y="${PAD.t - 10}" font-size="11" font-weight="bold">${esc(m.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Horizontal bars, largest first (the victim's outbound bytes by destination). */
export function barChartSvg(items: readonly { label: string; value: number; note?: string }[], title: string): string {
  const rowH = 22;
  const h = PAD.t + Math.max(1, items.length) * rowH + 12;
  const labelW = 200;
  const iw = W - labelW - 110;
  const max = Math.max(1, ...items.map((i) => i.value));
  const parts = [`<svg viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`, `<rect x="0" y="0" width="${W}" height="${h}" fill="#fff"/>`];
  items.forEach((it, i) => {
    const y = PAD.t + i * rowH;
    const w = Math.max(1, (it.value / max) * iw);
    parts.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end" font-size="11" font-family="monospace">${esc(it.label)}</text>`);
    parts.push(`<rect x="${labelW}" y="${y + 4}" width="${r1(w)}" height="${rowH - 8}" fill="#b23a48"/>`);
    parts.push(`<text x="${r1(labelW + w + 6)}" y="${y + 15}" font-size="11">${esc(bytesText(it.value))}${it.note ? ` ${esc(it.note)}` : ''}</text>`);
  });
  if (!items.length) parts.push(`<text x="${labelW}" y="${PAD.t + 15}" font-size="11">nothing</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
