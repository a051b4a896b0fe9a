/** One benchmark figure; printed as a JSON line under --json, as text otherwise. */
export interface BenchFigure {
  name: string;
  flows?: number;
  ms?: number;
  [key: string]: unknown;
}

export function makeReporter(json: boolean) {
  return (f: BenchFigure): void => {
    const rss = Math.round(process.memoryUsage().rss / 1e6);
    const peak = Math.round(process.resourceUsage().maxRSS / 1e3);
    const figure = { ...f, rss_mb: rss, peak_rss_mb: peak };
    if (json) {
      process.stdout.write(JSON.stringify(figure) + '\n');
      return;
    }
    const rest = Object.entries(figure).filter(([k]) => k !== 'name')
      .map(([k, v]) => `${k}=${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(1)) : v}`).join(' ');
    process.stdout.write(`${f.name.padEnd(34)} ${rest}\n`);
  };
}

export type Reporter = ReturnType<typeof makeReporter>;

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}
