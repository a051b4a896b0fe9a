/** Bin widths for time charts (pure; the overview and the detections chart share them). */

const NICE_BINS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** A round bin width giving about `target` bins over the span (at least 1 s, as the core allows). */
export function niceBinUs(spanUs: number, target = 150): number {
  const want = spanUs / 1e6 / target;
  const s = NICE_BINS_S.find((b) => b >= want) ?? Math.ceil(want / 86400) * 86400;
  return s * 1e6;
}

/** A bin width as people say it: 5 s, 2 min, 1 h, 1 d. */
export function binText(us: number): string {
  const s = us / 1e6;
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${s / 60} min`;
  if (s < 86400) return `${s / 3600} h`;
  return `${s / 86400} d`;
}

