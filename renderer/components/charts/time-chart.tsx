import { area, axisBottom, axisLeft, brushX, curveStepAfter, max, min, scaleLinear, scaleUtc, select, type D3BrushEvent } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatTime } from '../../lib/format';
import { useTimeZone } from '../../lib/time-zone';
import { timeTickFormat } from './time-axis';
import { markLanes } from './time-bins';
import { useWidth } from './use-width';

/** One time bin: its start and a value per series key. */
export interface TimePoint {
  startUs: number;
  values: Record<string, number>;
}

/** Something that happened over a span, drawn as a band with a coloured strip on top (e.g. a detection). */
export interface TimeMark {
  key: string;
  fromUs: number;
  toUs: number;
  color: string;
  /** Hover text. */
  title: string;
}

export interface TimeChartProps {
  fromUs: number;
  toUs: number;
  binUs: number;
  points: readonly TimePoint[];
  /** Series, bottom of the stack first. */
  keys: readonly string[];
  /** Series drawn below the axis (stacked downwards), e.g. outbound or bytes out. */
  below?: readonly string[];
  color: (key: string, index: number) => string;
  /** Value formatter for the axis and tooltip (e.g. bit/s). */
  format: (v: number) => string;
  label?: (key: string) => string;
  height?: number;
  kind?: 'area' | 'bar';
  /** Called with the brushed window (UTC microseconds); no brush when absent. */
  onBrush?: (range: { fromUs: number; toUs: number }) => void;
  testId?: string;
  ariaLabel?: string;
  /** Spans marked over the chart (a faint band and a strip along the top); clickable when onMarkClick is given. */
  marks?: readonly TimeMark[];
  onMarkClick?: (key: string) => void;
}

const M = { top: 26, right: 14, bottom: 22, left: 74 };
const MARK_LANE_H = 5;
const MAX_MARK_LANES = 4;


/**
 * A stacked time chart (areas drawn as steps, or bars): d3 scales and axes, a legend, a
 * hover rule with the bin's numbers, series below the axis for the other direction, and a
 * horizontal brush that reports the selected window.
 */
export function TimeChart(props: TimeChartProps) {
  const { fromUs, toUs, binUs, points, keys, below = [], color, format, height = 220, kind = 'area', onBrush } = props;
  const tz = useTimeZone();
  const { ref, width } = useWidth<HTMLDivElement>(800);
  const gx = useRef<SVGGElement>(null);
  const gy = useRef<SVGGElement>(null);
  const gBrush = useRef<SVGGElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  const label = props.label ?? ((k: string) => k);
  const w = Math.max(50, width - M.left - M.right);
  // Marks sit in lanes above the plot (overlapping spans side by side, not on top of each other).
  const laneOf = useMemo(() => markLanes(props.marks ?? [], fromUs, toUs, MAX_MARK_LANES), [props.marks, fromUs, toUs]);
  const lanes = laneOf.size ? Math.max(...laneOf.values()) + 1 : 0;
  const top = M.top + (lanes ? lanes * MARK_LANE_H + 2 : 0);
  const [hoverMark, setHoverMark] = useState<string | null>(null);
  const h = Math.max(40, height - top - M.bottom);

  // Dense bins: every bin of the window, zero where the core reported nothing.
  const dense = useMemo(() => {
    const n = binUs > 0 ? Math.max(1, Math.ceil((toUs - fromUs) / binUs)) : 0;
    const rows = Array.from({ length: n }, (_, i) => ({ startUs: fromUs + i * binUs, values: {} as Record<string, number> }));
    for (const p of points) {
      const i = Math.floor((p.startUs - fromUs) / binUs);
      if (i >= 0 && i < n) for (const [k, v] of Object.entries(p.values)) rows[i].values[k] = (rows[i].values[k] ?? 0) + v;
    }
    return rows;
  }, [points, fromUs, toUs, binUs]);

  const belowSet = useMemo(() => new Set(below), [below]);
  const above = keys.filter((k) => !belowSet.has(k));
  const under = keys.filter((k) => belowSet.has(k));
  // Stacks: [lo, hi] per key per bin.
  const stacks = useMemo(() => {
    const out = new Map<string, [number, number][]>();
    const up = dense.map(() => 0);
    const down = dense.map(() => 0);
    for (const k of above) out.set(k, dense.map((r, i) => { const lo = up[i]; up[i] += r.values[k] ?? 0; return [lo, up[i]]; }));
    for (const k of under) out.set(k, dense.map((r, i) => { const hi = down[i]; down[i] -= r.values[k] ?? 0; return [down[i], hi]; }));
    return { out, max: max(up) ?? 0, min: min(down) ?? 0 };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keys and below compare by content: callers pass new arrays on every render
  }, [dense, keys.join('\u0000'), [...belowSet].join('\u0000')]);

  const x = useMemo(() => scaleUtc().domain([new Date(fromUs / 1000), new Date(toUs / 1000)]).range([0, w]), [fromUs, toUs, w]);
  const y = useMemo(() => {
    const top = stacks.max > 0 ? stacks.max : 1;
    const bottom = under.length ? Math.min(stacks.min, -top * 0.05) : 0;
    return scaleLinear().domain([bottom, top]).nice(5).range([h, 0]);
  }, [stacks, h, under.length]);
  const xAt = (us: number) => x(new Date(us / 1000));

  useEffect(() => {
    if (gx.current) {
      select(gx.current).call(axisBottom(x).ticks(Math.max(2, Math.floor(w / 110))).tickFormat(timeTickFormat(toUs - fromUs, tz) as never).tickSizeOuter(0));
    }
    if (gy.current) {
      const ya = axisLeft(y).ticks(Math.max(2, Math.floor(h / 40))).tickFormat((v) => format(Math.abs(Number(v)))).tickSize(-w);
      const sel = select(gy.current).call(ya);
      sel.select('.domain').remove();
      sel.selectAll('.tick line').attr('stroke', '#e3e6ea');
      sel.selectAll('.tick text').attr('fill', '#59636e');
    }
  }, [x, y, w, h, tz, fromUs, toUs, format]);

  const brushCb = useRef(onBrush);
  brushCb.current = onBrush;
  useEffect(() => {
    if (!gBrush.current || !onBrush) return;
    const g = select(gBrush.current);
    const brush = brushX<unknown>().extent([[0, 0], [w, h]]).on('end', (ev: D3BrushEvent<unknown>) => {
      if (!ev.sourceEvent || !ev.selection) return;
      const [a, b] = ev.selection as [number, number];
      g.call(brush.move, null);
      if (b - a < 2) return;
      brushCb.current?.({ fromUs: x.invert(a).getTime() * 1000, toUs: x.invert(b).getTime() * 1000 });
    });
    g.call(brush);
    g.select('.selection').attr('fill', '#1f6feb').attr('fill-opacity', 0.15).attr('stroke', '#1f6feb');
    return () => {
      g.on('.brush', null);
      g.selectAll('*').remove();
    };
  }, [x, w, h, onBrush !== undefined]); // eslint-disable-line react-hooks/exhaustive-deps -- the latest onBrush is called through brushCb; the brush is rebuilt only when one appears or goes

  const areaGen = area<[number, number]>().curve(curveStepAfter);
  const pathFor = (s: [number, number][]) => {
    // Step areas need a closing point at the end of the last bin.
    const pts = s.map((v, i) => ({ x: xAt(dense[i].startUs), v }));
    if (pts.length) pts.push({ x: xAt(dense[dense.length - 1].startUs + binUs), v: s[s.length - 1] });
    return areaGen.x((_, i) => pts[i].x).y0((_, i) => y(pts[i].v[0])).y1((_, i) => y(pts[i].v[1]))(pts.map((p) => p.v)) ?? '';
  };
  const bw = Math.max(1, xAt(fromUs + binUs) - xAt(fromUs) - (dense.length > 200 ? 0 : 1));

  const onMove = (e: React.MouseEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - r.left - M.left;
    if (px < 0 || px > w || dense.length === 0) return setHover(null);
    const us = x.invert(px).getTime() * 1000;
    const i = Math.floor((us - fromUs) / binUs);
    setHover(i >= 0 && i < dense.length ? i : null);
  };

  // Legend, laid out left to right inside the SVG so an export keeps it.
  let lx = 0;
  const legend = keys.map((k, i) => {
    const item = { k, x: lx, c: color(k, i) };
    lx += 22 + label(k).length * 7 + (belowSet.has(k) ? 46 : 0);
    return item;
  });

  const hv = hover === null ? null : dense[hover];
  return (
    <div className="time-chart" ref={ref} data-testid={props.testId}>
      <svg className="chart-svg" width={width} height={height} role="img" aria-label={props.ariaLabel ?? 'time chart'} onMouseMove={onMove} onMouseLeave={() => setHover(null)} fontSize={11}>
        <g transform={`translate(${M.left},${top})`}>
          <g ref={gy} className="axis y-axis" />
          {[...stacks.out.entries()].map(([k, s]) => {
            const i = keys.indexOf(k);
            if (kind === 'area') return <path key={k} d={pathFor(s)} fill={color(k, i)} fillOpacity={0.78} stroke={color(k, i)} strokeWidth={0.8} />;
            return (
              <g key={k} fill={color(k, i)}>
                {s.map((v, j) => (v[1] === v[0] ? null : <rect key={j} x={xAt(dense[j].startUs)} width={bw} y={y(v[1])} height={Math.max(0.5, y(v[0]) - y(v[1]))} />))}
              </g>
            );
          })}
          {under.length ? <line x1={0} x2={w} y1={y(0)} y2={y(0)} stroke="#59636e" strokeWidth={1} /> : null}
          <g ref={gx} className="axis x-axis" transform={`translate(0,${h})`} />
          {hv ? (
            <line data-export="skip" x1={xAt(hv.startUs + binUs / 2)} x2={xAt(hv.startUs + binUs / 2)} y1={0} y2={h} stroke="#1b1f24" strokeOpacity={0.45} strokeDasharray="3,3" pointerEvents="none" />
          ) : null}
          {onBrush ? <g ref={gBrush} className="brush" data-export="skip" /> : null}
          {props.marks?.length ? (
            <g className="time-marks">
              {props.marks.map((m) => {
                if (xAt(m.toUs) < 0 || xAt(m.fromUs) > w) return null;
                const x0 = Math.max(0, xAt(m.fromUs));
                const mw = Math.max(3, Math.min(w, xAt(m.toUs)) - x0);
                const lane = laneOf.get(m.key) ?? 0;
                return (
                  <g key={m.key} data-testid="time-mark" data-key={m.key} onClick={props.onMarkClick ? () => props.onMarkClick!(m.key) : undefined}
                    onMouseEnter={() => setHoverMark(m.key)} onMouseLeave={() => setHoverMark(null)}
                    style={props.onMarkClick ? { cursor: 'pointer' } : undefined}>
                    <title>{m.title}</title>
                    {hoverMark === m.key ? <rect x={x0} y={0} width={mw} height={h} fill={m.color} fillOpacity={0.12} pointerEvents="none" data-export="skip" /> : null}
                    <rect x={x0} y={-(lane + 1) * MARK_LANE_H - 1} width={mw} height={MARK_LANE_H - 1} fill={m.color} />
                  </g>
                );
              })}
            </g>
          ) : null}
        </g>
        <g transform={`translate(${M.left},8)`} className="legend">
          {legend.map((l) => (
            <g key={l.k} transform={`translate(${l.x},0)`}>
              <rect width={10} height={10} fill={l.c} rx={2} />
              <text x={14} y={9} fill="#1b1f24">
                {label(l.k)}
                {belowSet.has(l.k) ? <tspan fill="#59636e"> (below)</tspan> : null}
              </text>
            </g>
          ))}
        </g>
      </svg>
      {hv ? (
        <div className="chart-tip" style={{ left: Math.min(width - 220, Math.max(0, M.left + xAt(hv.startUs) + 12)), top }}>
          <div className="chart-tip-time mono">{formatTime(hv.startUs, tz, 's')}</div>
          {keys.map((k, i) => (
            <div key={k} className="chart-tip-row">
              <span className="swatch" style={{ background: color(k, i) }} />
              <span className="chart-tip-key">{label(k)}</span>
              <span className="mono">{format(hv.values[k] ?? 0)}</span>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
