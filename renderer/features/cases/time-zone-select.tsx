import { useMemo } from 'react';
import { timeZoneNames } from '../../lib/format';

/** The case's display zone: every IANA zone the runtime knows, UTC first, the local zone second. */
export function TimeZoneSelect({ value, onChange, disabled }: { value: string; onChange: (tz: string) => void; disabled?: boolean }) {
  const zones = useMemo(() => {
    const all = timeZoneNames();
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const head = ['UTC', ...(local && local !== 'UTC' ? [local] : [])];
    if (!all.includes(value) && !head.includes(value)) head.push(value);
    return [...head, ...all.filter((z) => !head.includes(z))];
  }, [value]);
  return (
    <select
      className="tz-select"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      disabled={disabled}
      title="Time zone for all times shown (stored times stay UTC)"
      aria-label="Time zone"
      data-testid="time-zone"
    >
      {zones.map((z) => (
        <option key={z} value={z}>
          {z}
        </option>
      ))}
    </select>
  );
}
