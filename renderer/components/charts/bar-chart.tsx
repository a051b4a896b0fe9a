import { max, scaleLinear, sum } from 'd3';
import { useWidth } from './use-width';

export interface BarRow {
  key: string;
  label: string;
  /** Stacked parts of the bar, left to right. */
  parts: { value: number; color: string; name: string }[];
  /** Text at the end of the bar (e.g. "12.3 MB · 1.2 Mbit/s"). */
  note?: string;
  /** A mark before the label (e.g. internal/external). */
  mark?: { text: string; color: string };
}

/**
 * Horizontal stacked bars with labels on the left: top talkers, ports. Labels can be
 * clickable (a host opens its pivot). Everything is SVG so the export keeps it.
 */
export function BarChart({
  rows, format, onLabelClick, labelWidth = 150, rowHeight = 20, testId, ariaLabel,
}: {
  rows: readonly BarRow[];
  format: (v: number) => string;
  onLabelClick?: (row: BarRow) => void;
  labelWidth?: number;
  rowHeight?: number;
  testId?: string;
  ariaLabel?: string;
}) {
  const { ref, width } = useWidth<HTMLDivElement>(500);
  const noteWidth = 150;
  const top = 4;
  const height = top + rows.length * rowHeight + 6;
  const maxTotal = max(rows, (r) => sum(r.parts, (p) => p.value)) ?? 0;
  const x = scaleLinear().domain([0, maxTotal || 1]).range([0, Math.max(20, width - labelWidth - noteWidth - 12)]);
  const names = [...new Map(rows.flatMap((r) => r.parts.map((p) => [p.name, p.color] as const))).entries()];
  // Legend entries side by side, each as wide as its name (about 6.5 px a character at 11 px).
  const legendX: number[] = [];
  for (let i = 0, x0 = 0; i < names.length; x0 += 30 + names[i][0].length * 6.5, i++) legendX.push(x0);
  return (
    <div className="bar-chart" ref={ref} data-testid={testId}>
      <svg className="chart-svg" width={width} height={height + (names.length > 1 ? 18 : 0)} role="img" aria-label={ariaLabel ?? 'bar chart'} fontSize={11}>
        {rows.map((r, i) => {
          let acc = 0;
          const total = sum(r.parts, (p) => p.value);
          const yy = top + i * rowHeight;
          return (
            <g key={r.key} transform={`translate(0,${yy})`}>
              {r.mark ? <text x={0} y={rowHeight * 0.68} fill={r.mark.color} fontWeight={700}>{r.mark.text}</text> : null}
              <text
                x={14}
                y={rowHeight * 0.68}
                fill={onLabelClick ? '#1f6feb' : '#1b1f24'}
                fontFamily="ui-monospace, DejaVu Sans Mono, monospace"
                cursor={onLabelClick ? 'pointer' : undefined}
                onClick={onLabelClick ? () => onLabelClick(r) : undefined}
                data-testid={onLabelClick ? 'bar-label' : undefined}
                data-key={r.key}
              >
                <title>{r.label}</title>
                {r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label}
              </text>
              {r.parts.map((p, j) => {
                const x0 = acc;
                acc += p.value;
                return (
                  <rect key={j} x={labelWidth + x(x0)} y={3} height={rowHeight - 6} width={Math.max(p.value > 0 ? 1 : 0, x(p.value))} fill={p.color} data-part={p.name} data-value={p.value}>
                    <title>{`${p.name}: ${format(p.value)}`}</title>
                  </rect>
                );
              })}
              <text x={labelWidth + x(total) + 6} y={rowHeight * 0.68} fill="#59636e">
                {r.note ?? format(total)}
              </text>
            </g>
          );
        })}
        {names.length > 1 ? (
          <g transform={`translate(${labelWidth},${height + 4})`}>
            {names.map(([n, c], i) => (
              <g key={n} transform={`translate(${legendX[i]},0)`}>
                <rect width={10} height={10} fill={c} rx={2} />
                <text x={14} y={9} fill="#1b1f24">{n}</text>
              </g>
            ))}
          </g>
        ) : null}
      </svg>
    </div>
  );
}
