/**
 * Wall-clock times in a named time zone (IANA, e.g. `America/New_York`) to UTC, for text
 * formats that write local times without an offset (IPAudit, CICFlowMeter, many CSV exports).
 * Uses the runtime's time zone database through Intl; no Date.now(), no process TZ.
 */
export class ZonedClock {
  private readonly fmt: Intl.DateTimeFormat | null;
  /** Offset (ms) by UTC hour, so that most records cost a map lookup, not an Intl call. */
  private readonly offsetByHour = new Map<number, number>();

  private constructor(readonly timeZone: string, fmt: Intl.DateTimeFormat | null) {
    this.fmt = fmt;
  }

  /** A clock for the zone, or null when the runtime does not know the name. */
  static of(timeZone: string): ZonedClock | null {
    if (/^(utc|gmt|z|etc\/utc)$/i.test(timeZone)) return new ZonedClock('UTC', null);
    try {
      const fmt = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
      return new ZonedClock(fmt.resolvedOptions().timeZone, fmt);
    } catch {
      return null;
    }
  }

  /**
   * UTC microseconds of a local wall-clock time (month 1-12). A time that does not exist
   * (skipped by a DST change) is read with the offset in force before the change; an
   * ambiguous one (repeated by a DST change) takes the first occurrence.
   */
  toUtcMicros(year: number, month: number, day: number, hour: number, minute: number, second: number, micros = 0): number {
    const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
    if (!this.fmt) return wallMs * 1000 + micros;
    const off1 = this.offsetAt(wallMs);
    let utc = wallMs - off1;
    const off2 = this.offsetAt(utc);
    if (off2 !== off1) utc = wallMs - off2;
    return utc * 1000 + micros;
  }

  /** Zone offset (local - UTC, ms) in force at a UTC instant. */
  private offsetAt(utcMs: number): number {
    const hourKey = Math.floor(utcMs / 3600000);
    const hit = this.offsetByHour.get(hourKey);
    if (hit !== undefined) return hit;
    const at = hourKey * 3600000;
    const p: Record<string, number> = {};
    for (const part of this.fmt!.formatToParts(new Date(at))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const off = local - at;
    this.offsetByHour.set(hourKey, off);
    return off;
  }
}
