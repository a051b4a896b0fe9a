import { axisBottom, brushX, scaleUtc, select, zoom, zoomIdentity, type D3BrushEvent, type D3ZoomEvent, type ZoomTransform } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TimelineEvent } from '../../../core/api/contract';
import { timeTickFormat } from '../../components/charts/time-axis';
import { useWidth } from '../../components/charts/use-width';
import { formatTime } from '../../lib/format';
import { useTimeZone } from '../../lib/time-zone';

export interface TimelineChartProps {
  events: readonly TimelineEvent[];
  lanes: readonly string[];
  /** Compromise time per host (a dashed line on its lane). */
  compromise: Record<string, number | null>;
  selectedId: string | null;
  onEventClick: (e: TimelineEvent) => void;
  onLaneClick: (host: string) => void;
  /** The brushed window (UTC µs): sets the shared time range. */
  onBrush: (range: { fromUs: number; toUs: number }) => void;
}

const LANE_H = 34;
const M = { top: 8, right: 16, bottom: 24, left: 150 };

/** Colours by where an event comes from (the legend spells them out). */
export const SOURCE_STYLE: Record<string, { color: string; label: string }> = {
  detection: { color: '#cf222e', label: 'detection' },
  story: { color: '#1a7f37', label: 'story (hollow: proposed)' },
  note: { color: '#0969da', label: 'note / bookmark' },
  contact: { color: '#8c959f', label: 'first / last contact' },
};

/**
 * Swimlanes per host with the events placed in time: the wheel (or the buttons) zooms the
 * time axis around the pointer, dragging across the lanes brushes a window that becomes
 * the shared time range, a click on an event opens what it is about.
 */
export function TimelineChart({ events, lanes, compromise, selectedId, onEventClick, onLaneClick, onBrush }: TimelineChartProps) {
  const tz = useTimeZone();
  const { ref, width } = useWidth<HTMLDivElement>(900);
  const svgRef = useRef<SVGSVGElement>(null);
  const gx = useRef<SVGGElement>(null);
  const gBrush = useRef<SVGGElement>(null);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const zoomRef = useRef<ReturnType<typeof zoom<SVGSVGElement, unknown>> | null>(null);
  const w = Math.max(100, width - M.left - M.right);
  const h = Math.max(LANE_H, lanes.length * LANE_H);
  const height = h + M.top + M.bottom;

  const [lo, hi] = useMemo(() => {
    if (!events.length) return [0, 1];
    let a = Infinity;
    let b = -Infinity;
    for (const e of events) { a = Math.min(a, e.timeUs); b = Math.max(b, e.endUs ?? e.timeUs); }
    const pad = Math.max(60e6, (b - a) * 0.03);
    return [a - pad, b + pad];
  }, [events]);
  const base = useMemo(() => scaleUtc().domain([new Date(lo / 1000), new Date(hi / 1000)]).range([0, w]), [lo, hi, w]);
  const x = useMemo(() => transform.rescaleX(base), [transform, base]);
  const xAt = (us: number) => x(new Date(us / 1000));
  const laneOf = useMemo(() => new Map(lanes.map((l, i) => [l, i])), [lanes]);
  const [d0, d1] = x.domain().map((d) => d.getTime() * 1000);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    // Wheel zooms the time axis only; dragging is left to the brush.
    const z = zoom<SVGSVGElement, unknown>().scaleExtent([1, 100_000]).translateExtent([[0, 0], [w, h]]).extent([[0, 0], [w, h]])
      .filter((ev: Event) => ev.type === 'wheel' || ev.type === 'dblclick')
      .on('zoom', (ev: D3ZoomEvent<SVGSVGElement, unknown>) => setTransform(ev.transform));
    zoomRef.current = z;
    select(svg).call(z);
    return () => { select(svg).on('.zoom', null); };
  }, [w, h]);

  useEffect(() => {
    if (gx.current) select(gx.current).call(axisBottom(x).ticks(Math.max(2, Math.floor(w / 120))).tickFormat(timeTickFormat(d1 - d0, tz) as never).tickSizeOuter(0));
  }, [x, w, tz, d0, d1]);

  const brushCb = useRef(onBrush);
  brushCb.current = onBrush;
  useEffect(() => {
    if (!gBrush.current) return;
    const g = select(gBrush.current);
    const brush = brushX<unknown>().extent([[0, 0], [w, h]]).on('end', (ev: D3BrushEvent<unknown>) => {
      if (!ev.sourceEvent || !ev.selection) return;
      const [a, b] = ev.selection as [number, number];
      g.call(brush.move, null);
      if (b - a < 3) return;
      brushCb.current({ fromUs: x.invert(a).getTime() * 1000, toUs: x.invert(b).getTime() * 1000 });
    });
    g.call(brush);
    g.select('.selection').attr('fill', '#1f6feb').attr('fill-opacity', 0.15).attr('stroke', '#1f6feb');
    return () => { g.on('.brush', null); g.selectAll('*').remove(); };
  }, [x, w, h]);

  const zoomBy = (k: number) => {
    if (svgRef.current && zoomRef.current) select(svgRef.current).call(zoomRef.current.scaleBy, k);
  };
  const reset = () => {
    if (svgRef.current && zoomRef.current) select(svgRef.current).call(zoomRef.current.transform, zoomIdentity);
  };

  const visible = events.filter((e) => (e.endUs ?? e.timeUs) >= d0 && e.timeUs <= d1 && e.host !== null && laneOf.has(e.host));
  return (
    <div className="timeline-chart" ref={ref} data-testid="timeline-chart">
      <div className="timeline-chart-tools">
        <button type="button" onClick={() => zoomBy(2)} title="Zoom in (or use the mouse wheel)">+</button>
        <button type="button" onClick={() => zoomBy(0.5)} title="Zoom out">−</button>
        <button type="button" onClick={reset} disabled={transform.k === 1 && transform.x === 0}>Whole timeline</button>
        <span className="muted">Drag across the lanes to set the time range; click an event to open it.</span>
        <span className="spacer" />
        {Object.entries(SOURCE_STYLE).map(([k, s]) => (
          <span key={k} className="legend-item"><span className="swatch" style={{ background: s.color }} />{s.label}</span>
        ))}
      </div>
      <svg ref={svgRef} width={width} height={height} className="chart-svg" fontSize={11} role="img" aria-label="Timeline swimlanes">
        <defs>
          <clipPath id="timeline-clip"><rect x={0} y={-M.top} width={w} height={h + M.top} /></clipPath>
        </defs>
        <g transform={`translate(${M.left},${M.top})`}>
          {lanes.map((l, i) => (
            <g key={l} transform={`translate(0,${i * LANE_H})`}>
              <rect x={-M.left} width={M.left + w} height={LANE_H} fill={i % 2 ? '#f6f8fa' : '#fff'} />
              <text x={-8} y={LANE_H / 2 + 4} textAnchor="end" className="lane-label mono" onClick={() => onLaneClick(l)} style={{ cursor: 'pointer' }}
                data-testid="timeline-lane">
                {l}
              </text>
            </g>
          ))}
          <g ref={gBrush} className="brush" />
          <g clipPath="url(#timeline-clip)">
            {Object.entries(compromise).map(([host, us]) => {
              const lane = laneOf.get(host);
              if (us === null || lane === undefined) return null;
              return (
                <g key={host}>
                  <line x1={xAt(us)} x2={xAt(us)} y1={lane * LANE_H} y2={(lane + 1) * LANE_H} stroke="#000" strokeDasharray="4,3" strokeWidth={1.5} />
                  <text x={xAt(us) + 3} y={lane * LANE_H + 10} fontSize={10} fontWeight="bold">compromise</text>
                </g>
              );
            })}
            {visible.map((e) => {
              // The other side of a detection, note or story entry shows on its own lane, tied to the event.
              const other = e.source !== 'contact' && e.peer ? laneOf.get(e.peer) : undefined;
              if (other === undefined) return null;
              const lane = laneOf.get(e.host!)!;
              const cx = xAt(e.timeUs);
              const color = (SOURCE_STYLE[e.source] ?? SOURCE_STYLE.note).color;
              return (
                <g key={`peer-${e.id}`} pointerEvents="none" opacity={0.55}>
                  <line x1={cx} x2={cx} y1={lane * LANE_H + LANE_H / 2} y2={other * LANE_H + LANE_H / 2} stroke={color} strokeDasharray="2,3" />
                  <circle cx={cx} cy={other * LANE_H + LANE_H / 2} r={4} fill="#fff" stroke={color} strokeWidth={1.5} />
                </g>
              );
            })}
            {visible.map((e) => {
              const lane = laneOf.get(e.host!)!;
              const cy = lane * LANE_H + LANE_H / 2 + (e.source === 'contact' ? 8 : e.source === 'note' ? -7 : 0);
              const cx = xAt(e.timeUs);
              const s = SOURCE_STYLE[e.source] ?? SOURCE_STYLE.note;
              const sel = e.id === selectedId;
              const hollow = e.source === 'story' && e.status !== 'accepted';
              const title = `${formatTime(e.timeUs, tz, 's')} ${e.kind}: ${e.summary}${e.note ? `\nnote: ${e.note}` : ''}`;
              const span = e.endUs !== null && e.endUs > e.timeUs && e.source !== 'contact' ? xAt(e.endUs) - cx : 0;
              return (
                <g key={e.id} className="timeline-event" data-testid="timeline-event" data-source={e.source} data-kind={e.kind}
                  onClick={() => onEventClick(e)} style={{ cursor: 'pointer' }}>
                  <title>{title}</title>
                  {span > 2 ? <rect x={cx} y={cy - 2} width={span} height={4} fill={s.color} opacity={0.35} /> : null}
                  {e.source === 'contact' ? (
                    <line x1={cx} x2={cx} y1={cy - 5} y2={cy + 5} stroke={s.color} strokeWidth={sel ? 3 : 1.5} />
                  ) : e.source === 'detection' ? (
                    <path d={`M${cx},${cy - 7}L${cx + 7},${cy}L${cx},${cy + 7}L${cx - 7},${cy}Z`} fill={s.color} stroke={sel ? '#000' : 'none'} strokeWidth={2} />
                  ) : e.source === 'story' ? (
                    <path d={`M${cx},${cy - 7}L${cx + 7},${cy + 6}L${cx - 7},${cy + 6}Z`} fill={hollow ? '#fff' : s.color} stroke={sel ? '#000' : s.color} strokeWidth={sel ? 2.5 : 1.5} />
                  ) : (
                    <circle cx={cx} cy={cy} r={6} fill={s.color} stroke={sel ? '#000' : '#fff'} strokeWidth={sel ? 2.5 : 1} />
                  )}
                </g>
              );
            })}
          </g>
          <g ref={gx} className="axis x-axis" transform={`translate(0,${h})`} />
        </g>
      </svg>
    </div>
  );
}
