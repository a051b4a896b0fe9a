import { formatBytes, formatCount } from '../lib/format';

/** A byte count shown as "1.2 MB", the exact number on hover. */
export function Bytes({ value, className }: { value: number | null | undefined; className?: string }) {
  if (value === null || value === undefined) return <span className="null">–</span>;
  return (
    <span className={className} title={`${formatCount(value)} bytes`}>
      {formatBytes(value)}
    </span>
  );
}

/** A count with thousands separators (right-aligned by the cell). */
export function Count({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return <span className="null">–</span>;
  return <span>{formatCount(value)}</span>;
}
