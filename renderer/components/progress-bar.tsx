import './progress-bar.css';

/** A determinate bar (value of max) or an indeterminate one when max is unknown. */
export function ProgressBar({ value, max, label }: { value: number; max: number | null; label?: string }) {
  const fraction = max && max > 0 ? Math.min(1, Math.max(0, value / max)) : null;
  return (
    <div
      className={`progress ${fraction === null ? 'indeterminate' : ''}`}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={max ?? undefined}
      aria-valuenow={fraction === null ? undefined : value}
      aria-label={label}
    >
      <div className="progress-fill" style={fraction === null ? undefined : { width: `${(fraction * 100).toFixed(2)}%` }} />
    </div>
  );
}
