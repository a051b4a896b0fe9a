/** Bin widths and mark lanes for time charts (pure; the overview and the detections chart share them). */

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


/**
 * Lanes for marks: each goes in the first lane free at its start (greedy interval packing,
 * in time order), the last lane taking what does not fit.
 */
export function markLanes(marks: readonly { key: string; fromUs: number; toUs: number }[], fromUs: number, toUs: number, maxLanes: number): Map<string, number> {
  const out = new Map<string, number>();
  // Spans shorter than ~1/200 of the window still take room on screen.
  const minSpan = (toUs - fromUs) / 200;
  const ends: number[] = [];
  for (const m of [...marks].sort((a, b) => a.fromUs - b.fromUs || a.toUs - b.toUs)) {
    const end = Math.max(m.toUs, m.fromUs + minSpan);
    let lane = ends.findIndex((e) => e < m.fromUs);
    if (lane < 0) lane = ends.length < maxLanes ? ends.length : maxLanes - 1;
    ends[lane] = Math.max(ends[lane] ?? -Infinity, end);
    out.set(m.key, lane);
  }
  return out;
}
