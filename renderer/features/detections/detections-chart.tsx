import { useMemo } from 'react';
import type { CaseInfo, Detection, Severity } from '../../../core/api/contract';
import { ChartFrame } from '../../components/charts/chart-frame';
import '../../components/charts/charts.css';
import { TimeChart, type TimeMark, type TimePoint } from '../../components/charts/time-chart';
import { niceBinUs } from '../../components/charts/time-bins';
import { Time } from '../../components/time';
import { formatCount } from '../../lib/format';
import { useTimeZone } from '../../lib/time-zone';
import { binBySeverity, detectionMark, SEVERITY_COLORS, spanOf } from './detection-logic';

/** Bottom of the stack first: the worst sits on top where the eye lands. */
const KEYS: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/**
 * Detections over time, stacked by severity (each counted in the bin where it starts), with
 * each detection's span marked along the top; the Table toggle shows the same counts.
 */
export function DetectionsChart({ info, detections, onBrush, title }: {
  info: CaseInfo; detections: readonly Detection[]; onBrush: (r: { fromUs: number; toUs: number }) => void; title: string;
}) {
  const tz = useTimeZone();
  // The case's whole span, so a burst shows where it sits in the evidence; the detections' own when wider.
  const span = useMemo(() => {
    const own = spanOf(detections);
    const from = Math.min(info.firstUs ?? Infinity, own?.fromUs ?? Infinity);
    const to = Math.max(info.lastUs !== null ? info.lastUs + 1 : -Infinity, own?.toUs ?? -Infinity);
    return Number.isFinite(from) && Number.isFinite(to) && to > from ? { fromUs: from, toUs: to } : null;
  }, [detections, info.firstUs, info.lastUs]);
  const binUs = span ? niceBinUs(span.toUs - span.fromUs, 80) : 0;
  const bins = useMemo(() => (span ? binBySeverity(detections, span.fromUs, span.toUs, binUs) : []), [detections, span, binUs]);
  const points: TimePoint[] = useMemo(() => bins.map((b) => ({ startUs: b.startUs, values: { ...b.values } })), [bins]);
  const marks: TimeMark[] = useMemo(() => detections.slice(0, 500).map((d) => detectionMark(d, tz)), [detections, tz]);

  return (
    <ChartFrame
      title={title}
      testId="detections-chart"
      chart={
        span && detections.length ? (
          <TimeChart
            fromUs={span.fromUs}
            toUs={span.toUs}
            binUs={binUs}
            points={points}
            keys={KEYS}
            color={(k) => SEVERITY_COLORS[k as Severity]}
            format={(v) => (Number.isInteger(v) ? formatCount(v) : '')}
            kind="bar"
            height={170}
            onBrush={onBrush}
            marks={marks}
            testId="detections-time-chart"
            ariaLabel="Detections over time by severity"
          />
        ) : (
          <div className="chart-empty muted">No detections to chart.</div>
        )
      }
      table={
        <table className="data">
          <thead><tr><th>Bin start ({tz})</th>{KEYS.map((k) => <th key={k} className="num">{k}</th>)}</tr></thead>
          <tbody>
            {bins.filter((b) => KEYS.some((k) => b.values[k] > 0)).map((b) => (
              <tr key={b.startUs}><td><Time us={b.startUs} precision="s" /></td>{KEYS.map((k) => <td key={k} className="num">{formatCount(b.values[k])}</td>)}</tr>
            ))}
          </tbody>
        </table>
      }
      note="Each detection counts in the bin where its first flow starts; the strips along the top span its first to last flow. Drag across the chart to narrow the list to a window."
    />
  );
}
