import { useMemo, useState } from 'react';
import type { CaseInfo, IncomingPortRow, SeriesSplit, TalkerRow, TimeSeries } from '../../../core/api/contract';
import { BarChart, type BarRow } from '../../components/charts/bar-chart';
import { ChartFrame } from '../../components/charts/chart-frame';
import { colorFor, DIRECTION_COLORS } from '../../components/charts/time-axis';
import { TimeChart, type TimeMark, type TimePoint } from '../../components/charts/time-chart';
import '../../components/charts/charts.css';
import { Time } from '../../components/time';
import { formatBytes, formatCompact, formatCount, formatDuration, protoName } from '../../lib/format';
import { useApiQuery } from '../../lib/hooks';
import { useTimeZone } from '../../lib/time-zone';
import { detectionMark } from '../detections/detection-logic';
import { useAnalysis, windowArgs } from '../pivot/analysis-state';
import { FilterBar } from '../pivot/filter-bar';
import { HostLink } from '../pivot/host-link';
import '../pivot/pivot.css';
import { binText, niceBinUs } from '../../components/charts/time-bins';
import { InternalNetworksEditor } from './internal-networks-editor';
import './overview.css';

type Metric = 'bps' | 'pps' | 'fps';
const METRICS: { id: Metric; label: string; unit: string }[] = [
  { id: 'bps', label: 'bits/s', unit: 'bit/s' },
  { id: 'pps', label: 'packets/s', unit: 'pkt/s' },
  { id: 'fps', label: 'flows/s', unit: 'flows/s' },
];
const SPLITS: { id: SeriesSplit; label: string }[] = [
  { id: 'total', label: 'Total' },
  { id: 'proto', label: 'Protocol' },
  { id: 'service', label: 'Service' },
  { id: 'direction', label: 'Direction' },
];
/** At most this many series are drawn; the rest are summed as 'other'. */
const MAX_KEYS = 8;

/** Bits per second with SI prefixes: 1.2 Mbit/s. */
export function formatRate(v: number, unit = 'bit/s'): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  const [d, p] = a >= 1e9 ? [1e9, 'G'] : a >= 1e6 ? [1e6, 'M'] : a >= 1e3 ? [1e3, 'k'] : [1, ''];
  const n = v / d;
  return `${n >= 100 || d === 1 ? n.toFixed(d === 1 && a < 10 && !Number.isInteger(v) ? 2 : 0) : n.toFixed(n >= 10 ? 1 : 2)} ${p}${unit}`;
}

/** The case at a glance: traffic over time, top talkers, incoming attempts per port, counts. */
export function OverviewView({ info, generation }: { info: CaseInfo; generation: string }) {
  const { filter, range, setRange, openHost, showDetections } = useAnalysis();
  const tz = useTimeZone();
  const [netsVersion, setNetsVersion] = useState(0);
  const [metric, setMetric] = useState<Metric>('bps');
  const [split, setSplit] = useState<SeriesSplit>('direction');
  const [talkersBy, setTalkersBy] = useState<'bytes' | 'flows'>('bytes');
  const win = windowArgs(range);
  const f = filter ? { filter } : {};
  const key = `${generation}|${netsVersion}`;
  const spanUs = range ? range.toUs - range.fromUs : info.firstUs !== null && info.lastUs !== null ? info.lastUs - info.firstUs + 1 : 0;
  const binUs = spanUs > 0 ? niceBinUs(spanUs) : undefined;
  const series = useApiQuery('overview.series', { split, ...win, ...f, ...(binUs ? { binUs } : {}) }, key);
  const talkers = useApiQuery('overview.talkers', { by: talkersBy, limit: 15, ...win, ...f }, key);
  const incoming = useApiQuery('overview.incoming', { limit: 15, ...win, ...f }, key);
  const counts = useApiQuery('overview.counts', { ...win, ...f }, key);
  const detections = useApiQuery('detections.list', { ...win, status: 'open', limit: 500 }, key);
  const error = series.error ?? talkers.error ?? incoming.error ?? counts.error;
  const c = counts.data;

  return (
    <div className="page overview-page" data-testid="overview">
      <FilterBar error={error} />
      <div className="counts-strip" data-testid="overview-counts">
        <Count label="hosts" value={c?.hosts} sub={c ? `${formatCount(c.internalHosts)} internal · ${formatCount(c.externalHosts)} external` : ''} />
        <Count label="flows" value={c?.flows} sub={c ? `TCP ${formatCount(c.tcp)} · UDP ${formatCount(c.udp)} · ICMP ${formatCount(c.icmp)} · other ${formatCount(c.other)}` : ''} />
        <Count label="packets" value={c?.packets} />
        <div className="count-box">
          <div className="count-value mono">{c ? formatBytes(c.bytes) : '…'}</div>
          <div className="count-label">bytes</div>
          <div className="count-sub muted">{c ? `${formatCount(c.bytes)} B` : ''}</div>
        </div>
        <div className="count-box wide">
          <div className="count-value mono window-text">
            {range ? <><Time us={range.fromUs} precision="s" /> → <Time us={range.toUs} precision="s" /></> : <><Time us={info.firstUs} precision="s" /> → <Time us={info.lastUs} precision="s" /></>}
          </div>
          <div className="count-label">{range ? 'brushed window' : 'whole case'}</div>
          <div className="count-sub muted">{series.data ? `bins of ${binText(series.data.binUs)}` : ''}</div>
        </div>
      </div>
      <ChartFrame
        title="Traffic over time"
        testId="overview-series"
        controls={
          <>
            <div className="seg" role="group" aria-label="Metric">
              {METRICS.map((m) => (
                <button key={m.id} type="button" className={metric === m.id ? 'on' : ''} onClick={() => setMetric(m.id)} data-testid={`metric-${m.id}`}>
                  {m.label}
                </button>
              ))}
            </div>
            <label className="inline-select">
              <span className="muted">split by</span>
              <select value={split} onChange={(e) => setSplit(e.target.value as SeriesSplit)} data-testid="series-split">
                {SPLITS.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
              </select>
            </label>
          </>
        }
        chart={
          series.data && series.data.bins.length ? (
            <SeriesChart series={series.data} metric={metric} onBrush={setRange} marks={(detections.data ?? []).map((d) => detectionMark(d, tz))} onMarkClick={() => showDetections(null)} />
          ) : (
            <div className="chart-empty muted">{series.loading || !series.data ? 'Loading…' : 'No flows in this case, filter and time range.'}</div>
          )
        }
        table={series.data ? <SeriesTable series={series.data} /> : null}
        note={
          <>
            Drag across the chart to set the time range for every view. Each flow counts in the bin where it starts.
            {split === 'direction' ? ' Outbound (internal → elsewhere) is drawn below the axis.' : ''}
            {detections.data?.length ? ` The strips along the top are the ${formatCount(detections.data.length)} open detections in this window, coloured by severity (click one for the detections view).` : ''}
          </>
        }
      />
      <div className="overview-grid">
        <ChartFrame
          title={`Top talkers by ${talkersBy}`}
          testId="overview-talkers"
          controls={
            <div className="seg" role="group" aria-label="Rank by">
              <button type="button" className={talkersBy === 'bytes' ? 'on' : ''} onClick={() => setTalkersBy('bytes')}>bytes</button>
              <button type="button" className={talkersBy === 'flows' ? 'on' : ''} onClick={() => setTalkersBy('flows')} data-testid="talkers-by-flows">flows</button>
            </div>
          }
          chart={talkers.data?.length ? <TalkersChart rows={talkers.data} by={talkersBy} onHost={openHost} /> : <div className="chart-empty muted">{talkers.data ? 'No hosts.' : 'Loading…'}</div>}
          table={talkers.data ? <TalkersTable rows={talkers.data} /> : null}
          note="Bandwidth: the host's bytes over its active time (first flow start to last flow end). ● internal ○ external"
        />
        <ChartFrame
          title="Incoming connection attempts by port"
          testId="overview-incoming"
          chart={incoming.data ? <IncomingChart rows={incoming.data} /> : null}
          table={incoming.data ? <IncomingTable rows={incoming.data} /> : null}
          note="From outside the internal networks to inside (TCP: with SYN). Unanswered attempts to many ports or hosts are what a scan looks like."
        />
      </div>
      <InternalNetworksEditor readOnly={info.readOnly} onSaved={() => setNetsVersion((v) => v + 1)} />
    </div>
  );
}

function Count({ label, value, sub }: { label: string; value: number | undefined; sub?: string }) {
  return (
    <div className="count-box">
      <div className="count-value mono">{value === undefined ? '…' : formatCount(value)}</div>
      <div className="count-label">{label}</div>
      <div className="count-sub muted">{sub}</div>
    </div>
  );
}

function SeriesChart({ series, metric, onBrush, marks, onMarkClick }: {
  series: TimeSeries; metric: Metric; onBrush: (r: { fromUs: number; toUs: number }) => void; marks: TimeMark[]; onMarkClick: (key: string) => void;
}) {
  const { keys, points } = useMemo(() => {
    const keep = series.keys.slice(0, MAX_KEYS);
    const rest = series.keys.length > MAX_KEYS;
    const ks = rest ? [...keep, 'other*'] : keep;
    const keepSet = new Set(keep);
    const byStart = new Map<number, TimePoint>();
    for (const b of series.bins) {
      let p = byStart.get(b.startUs);
      if (!p) byStart.set(b.startUs, (p = { startUs: b.startUs, values: {} }));
      const k = keepSet.has(b.key) ? b.key : 'other*';
      p.values[k] = (p.values[k] ?? 0) + b[metric];
    }
    // Direction: the order that reads best, inbound on top of the axis, outbound under it.
    const order = series.split === 'direction' ? ['inbound', 'internal', 'external', 'outbound'].filter((k) => ks.includes(k)) : ks;
    return { keys: order, points: [...byStart.values()] };
  }, [series, metric]);
  const unit = METRICS.find((m) => m.id === metric)!.unit;
  return (
    <TimeChart
      fromUs={series.fromUs}
      toUs={series.toUs}
      binUs={series.binUs}
      points={points}
      keys={keys}
      below={series.split === 'direction' ? ['outbound'] : []}
      color={(k, i) => colorFor(k, i, series.split === 'direction' ? DIRECTION_COLORS : undefined)}
      label={(k) => (k === 'all' ? 'all traffic' : k === 'other*' ? 'other (rest)' : k)}
      format={(v) => formatRate(v, unit)}
      kind={points.length < 60 ? 'bar' : 'area'}
      height={240}
      onBrush={onBrush}
      marks={marks}
      onMarkClick={onMarkClick}
      testId="series-chart"
      ariaLabel={`Traffic over time in ${unit}`}
    />
  );
}

function SeriesTable({ series }: { series: TimeSeries }) {
  return (
    <table className="data" data-testid="series-table">
      <thead>
        <tr>
          <th>Bin start</th><th>{series.split === 'total' ? '' : series.split}</th>
          <th className="num">flows</th><th className="num">packets</th><th className="num">bytes</th>
          <th className="num">bit/s</th><th className="num">pkt/s</th><th className="num">flows/s</th>
        </tr>
      </thead>
      <tbody>
        {series.bins.map((b) => (
          <tr key={`${b.startUs}|${b.key}`}>
            <td><Time us={b.startUs} precision="s" /></td><td>{b.key}</td>
            <td className="num">{formatCount(b.flows)}</td><td className="num">{formatCount(b.packets)}</td><td className="num">{formatCount(b.bytes)}</td>
            <td className="num">{formatRate(b.bps)}</td><td className="num">{formatCompact(b.pps)}</td><td className="num">{b.fps.toFixed(3)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const MARK_IN = { text: '●', color: '#2f6fb0' };
const MARK_OUT = { text: '○', color: '#9467bd' };

function TalkersChart({ rows, by, onHost }: { rows: TalkerRow[]; by: 'bytes' | 'flows'; onHost: (a: string) => void }) {
  const bars: BarRow[] = rows.map((r) => ({
    key: r.addr,
    label: r.addr,
    mark: r.internal ? MARK_IN : MARK_OUT,
    parts: by === 'bytes'
      ? [{ value: r.bytesOut, color: DIRECTION_COLORS.outbound, name: 'sent' }, { value: r.bytesIn, color: DIRECTION_COLORS.inbound, name: 'received' }]
      : [{ value: r.flows, color: '#4e79a7', name: 'flows' }],
    note: by === 'bytes' ? `${formatBytes(r.bytes)} · ${formatRate(r.bps)}` : `${formatCount(r.flows)} flows · ${formatRate(r.bps)}`,
  }));
  return <BarChart rows={bars} format={by === 'bytes' ? formatBytes : formatCount} onLabelClick={(r) => onHost(r.key)} testId="talkers-chart" ariaLabel="Top talkers" />;
}

function TalkersTable({ rows }: { rows: TalkerRow[] }) {
  return (
    <table className="data" data-testid="talkers-table">
      <thead>
        <tr>
          <th>Host</th><th className="num">flows</th><th className="num">packets</th><th className="num">bytes sent</th><th className="num">bytes received</th>
          <th className="num">bytes</th><th className="num">bandwidth</th><th>active</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.addr}>
            <td className="mono"><HostLink addr={r.addr} internal={r.internal} /></td>
            <td className="num">{formatCount(r.flows)}</td><td className="num">{formatCount(r.packets)}</td>
            <td className="num">{formatCount(r.bytesOut)}</td><td className="num">{formatCount(r.bytesIn)}</td><td className="num">{formatCount(r.bytes)}</td>
            <td className="num">{formatRate(r.bps)}</td><td className="muted">{formatDuration(r.lastUs - r.firstUs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function portLabel(r: IncomingPortRow) {
  return `${r.port}/${protoName(r.proto).toLowerCase()}`;
}

function IncomingChart({ rows }: { rows: IncomingPortRow[] }) {
  const { setFilter } = useAnalysis();
  if (rows.length === 0) return <div className="chart-empty muted">No connection attempts from outside the internal networks.</div>;
  const bars: BarRow[] = rows.map((r) => ({
    key: String(r.port),
    label: portLabel(r),
    parts: [{ value: r.answered, color: '#59a14f', name: 'answered' }, { value: r.attempts - r.answered, color: '#e15759', name: 'unanswered' }],
    note: `${formatCount(r.attempts)} from ${formatCount(r.sources)} src to ${formatCount(r.targets)} dst`,
  }));
  return <BarChart rows={bars} format={formatCount} labelWidth={90} onLabelClick={(r) => setFilter(`dst port ${r.key}`)} testId="incoming-chart" ariaLabel="Incoming connection attempts by port" />;
}

function IncomingTable({ rows }: { rows: IncomingPortRow[] }) {
  return (
    <table className="data" data-testid="incoming-table">
      <thead>
        <tr><th>Port</th><th className="num">attempts</th><th className="num">answered</th><th className="num">sources</th><th className="num">targets</th></tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.proto}/${r.port}`}>
            <td className="mono">{portLabel(r)}</td><td className="num">{formatCount(r.attempts)}</td><td className="num">{formatCount(r.answered)}</td>
            <td className="num">{formatCount(r.sources)}</td><td className="num">{formatCount(r.targets)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
