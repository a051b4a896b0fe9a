import { useRef, useState, type ReactNode } from 'react';
import { downloadBlob, fileStem, pngBlob, svgBlob } from './export-chart';

/**
 * A chart panel: title, controls, a Chart/Table toggle (the table shows the same numbers),
 * and SVG/PNG export of the chart as drawn.
 */
export function ChartFrame({
  title, controls, chart, table, testId, note, className,
}: { title: string; controls?: ReactNode; chart: ReactNode; table: ReactNode; testId?: string; note?: ReactNode; className?: string }) {
  const [asTable, setAsTable] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const svg = () => body.current?.querySelector<SVGSVGElement>('svg.chart-svg') ?? null;
  const stem = fileStem(title);
  const exportAs = async (kind: 'svg' | 'png') => {
    const el = svg();
    if (!el) return;
    setExportError(null);
    try {
      downloadBlob(kind === 'svg' ? svgBlob(el, title) : await pngBlob(el, title), `${stem}.${kind}`);
    } catch (e) {
      setExportError((e as Error).message);
    }
  };
  return (
    <section className={`panel chart-frame ${className ?? ''}`} data-testid={testId}>
      <div className="panel-head chart-head">
        <h2>{title}</h2>
        {controls}
        <span className="spacer" />
        {exportError ? <span className="chart-export-error">{exportError}</span> : null}
        <div className="seg" role="group" aria-label="Show as">
          <button type="button" className={asTable ? '' : 'on'} onClick={() => setAsTable(false)} aria-pressed={!asTable}>
            Chart
          </button>
          <button type="button" className={asTable ? 'on' : ''} onClick={() => setAsTable(true)} aria-pressed={asTable} data-testid="show-table">
            Table
          </button>
        </div>
        <button type="button" className="small" disabled={asTable} onClick={() => void exportAs('svg')} title="Save the chart as SVG">
          SVG
        </button>
        <button type="button" className="small" disabled={asTable} onClick={() => void exportAs('png')} title="Save the chart as PNG">
          PNG
        </button>
      </div>
      <div className="chart-body" ref={body}>
        {asTable ? <div className="chart-table">{table}</div> : chart}
      </div>
      {note ? <div className="chart-note muted">{note}</div> : null}
    </section>
  );
}
