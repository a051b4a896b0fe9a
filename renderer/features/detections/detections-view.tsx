import { useEffect, useMemo, useState } from 'react';
import type { CaseInfo, Detection, DetectionKind, DetectionRun, Severity } from '../../../core/api/contract';
import { DETECTION_KINDS, SEVERITIES } from '../../../core/api/reference-data';
import { ErrorMessage } from '../../components/error-message';
import { ExportMenu } from '../../components/export-menu';
import { TimeRangeChip } from '../../components/filter-box';
import { useApi } from '../../lib/api-context';
import { formatCount, formatDuration, formatTime } from '../../lib/format';
import { useAction, useApiQuery } from '../../lib/hooks';
import { useTimeZone } from '../../lib/time-zone';
import { parseZonedInput } from '../../lib/zoned-input';
import { useAnalysis, type TimeRange } from '../pivot/analysis-state';
import { DetectionsChart } from './detections-chart';
import { DetectionsTable } from './detections-table';
import { ExclusionsPanel } from './exclusions-panel';
import { kindLabel, SEVERITY_COLORS, type DetectionSort } from './detection-logic';
import { SuppressDialog } from './suppress-dialog';
import { ThresholdsPanel } from './thresholds-panel';
import './detections.css';

type Tab = 'open' | 'suppressed' | 'exclusions' | 'thresholds';
/** More than this and the list says it is cut (the chart and table would not help anyway). */
const LIST_LIMIT = 20_000;

/**
 * Detections: run the detectors, triage what they found (chart by severity over time, a table
 * sortable and grouped by host, each row one click from its flows in the pivot or the
 * sessions), mark false alarms "not malicious" (an exclusion the analyst scopes; the detection
 * moves to Suppressed, never deleted), and edit the exclusions and thresholds.
 */
export function DetectionsView({ info, generation }: { info: CaseInfo; generation: string }) {
  const tz = useTimeZone();
  const shared = useAnalysis();
  const [tab, setTab] = useState<Tab>('open');
  const [sort, setSort] = useState<{ by: DetectionSort; desc: boolean }>({ by: 'severity', desc: false });
  const [grouped, setGrouped] = useState(true);
  const [kinds, setKinds] = useState<DetectionKind[]>([]);
  const [severities, setSeverities] = useState<Severity[]>([]);
  // The chart's brush narrows this list only: the shared range belongs to the flow views,
  // and "Pivot" sets it to one detection's window.
  const [brushed, setBrushed] = useState<TimeRange | null>(null);
  const [tick, setTick] = useState(0);
  const [suppressing, setSuppressing] = useState<Detection | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const host = shared.detectionsHost;
  const key = `${generation}-${tick}`;
  const list = useApiQuery('detections.list', { status: 'all', limit: LIST_LIMIT, ...(host ? { host } : {}) }, key);
  const lastRun = useApiQuery('detections.lastRun', {}, key);
  const exclusions = useApiQuery('exclusions.list', { includeInactive: true }, key);
  const refresh = () => setTick((t) => t + 1);

  const all = useMemo(() => list.data ?? [], [list.data]);
  const filtered = useMemo(() => all.filter((d) =>
    (!kinds.length || kinds.includes(d.kind))
    && (!severities.length || severities.includes(d.severity))
    && (!brushed || (d.endUs >= brushed.fromUs && d.startUs < brushed.toUs))), [all, kinds, severities, brushed]);
  const open = filtered.filter((d) => d.status === 'open');
  const suppressed = filtered.filter((d) => d.status === 'suppressed');
  const shown = tab === 'suppressed' ? suppressed : open;
  const presentKinds = useMemo(() => DETECTION_KINDS.filter((k) => all.some((d) => d.kind === k)), [all]);
  const activeExclusions = (exclusions.data ?? []).filter((e) => e.active).length;

  return (
    <div className="page detections-page" data-testid="detections">
      <RunBar info={info} lastRun={lastRun.data ?? null} lastRunError={lastRun.error} onRan={(text) => { setNotice(text); refresh(); }} />
      {notice ? (
        <div className="detections-notice" data-testid="detections-notice">
          {notice} <button type="button" className="link" onClick={() => setNotice(null)}>dismiss</button>
        </div>
      ) : null}
      {list.error ? <ErrorMessage error={list.error} /> : null}
      <div className="detections-toolbar detections-filters">
        <span className="muted chips-label">severity</span>
        {[...SEVERITIES].reverse().map((s) => (
          <button key={s} type="button" className={`chip sev-chip ${severities.includes(s) ? 'on' : ''}`} aria-pressed={severities.includes(s)}
            style={{ borderColor: SEVERITY_COLORS[s] }} data-testid={`sev-${s}`}
            onClick={() => setSeverities((xs) => (xs.includes(s) ? xs.filter((x) => x !== s) : [...xs, s]))}>
            {s}
          </button>
        ))}
        <label className="inline-select">
          <span className="muted">kind</span>
          <select value={kinds.length === 1 ? kinds[0] : ''} onChange={(e) => setKinds(e.target.value ? [e.target.value as DetectionKind] : [])} data-testid="kind-filter">
            <option value="">all kinds</option>
            {(presentKinds.length ? presentKinds : DETECTION_KINDS).map((k) => <option key={k} value={k}>{kindLabel(k)}</option>)}
          </select>
        </label>
        {host ? (
          <span className="time-chip" data-testid="detections-host">
            host <span className="mono">{host}</span>
            <button type="button" className="icon-button" onClick={() => shared.showDetections(null)} aria-label="Every host" title="Show every host">×</button>
          </span>
        ) : null}
        {brushed ? <TimeRangeChip range={brushed} onClear={() => setBrushed(null)} /> : null}
        <span className="spacer" />
        <ExportMenu kind="detections" selection={{ ...(host ? { hosts: [host] } : {}), ...(brushed ? { fromUs: brushed.fromUs, toUs: brushed.toUs } : {}) }} />
      </div>
      {tab === 'open' || tab === 'suppressed' ? (
        <DetectionsChart info={info} detections={shown} onBrush={setBrushed} title={tab === 'suppressed' ? 'Suppressed detections over time' : 'Detections over time'} />
      ) : null}
      <div className="tabs" role="tablist">
        <TabButton id="open" tab={tab} setTab={setTab} label={`Open (${formatCount(open.length)})`} />
        <TabButton id="suppressed" tab={tab} setTab={setTab} label={`Suppressed (${formatCount(suppressed.length)})`} />
        <TabButton id="exclusions" tab={tab} setTab={setTab} label={`Exclusions (${formatCount(activeExclusions)})`} />
        <TabButton id="thresholds" tab={tab} setTab={setTab} label="Thresholds" />
        <span className="spacer" />
        {tab === 'open' || tab === 'suppressed' ? (
          <>
            <span className="muted">sort by</span>
            <div className="seg" role="group" aria-label="Sort by">
              {(['severity', 'time', 'host'] as const).map((b) => (
                <button key={b} type="button" className={sort.by === b ? 'on' : ''} data-testid={`sort-${b}`}
                  title={sort.by === b ? 'Click again to reverse' : undefined}
                  onClick={() => setSort((s) => (s.by === b ? { by: b, desc: !s.desc } : { by: b, desc: false }))}>
                  {b}{sort.by === b ? (sort.desc ? ' ↑' : ' ↓') : ''}
                </button>
              ))}
            </div>
            <label className="check"><input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} data-testid="group-by-host" /> group by host</label>
          </>
        ) : null}
      </div>
      {tab === 'open' || tab === 'suppressed' ? (
        <DetectionsTable
          detections={shown}
          sort={sort}
          grouped={grouped}
          exclusions={exclusions.data ?? []}
          readOnly={info.readOnly}
          onSuppress={setSuppressing}
          empty={list.loading && !list.data ? 'Loading…' : emptyText(tab, all.length, lastRun.data !== null && lastRun.data !== undefined)}
          cut={all.length >= LIST_LIMIT}
        />
      ) : tab === 'exclusions' ? (
        <ExclusionsPanel exclusions={exclusions.data ?? []} error={exclusions.error} readOnly={info.readOnly} onChanged={(text) => { setNotice(text); refresh(); }} />
      ) : (
        <ThresholdsPanel generation={key} readOnly={info.readOnly} onChanged={refresh} />
      )}
      {suppressing ? (
        <SuppressDialog
          detection={suppressing}
          onClose={() => setSuppressing(null)}
          onDone={(r) => {
            setSuppressing(null);
            setNotice(`Not malicious: exclusion #${r.exclusion.id} added; ${plural(r.suppressed, 'detection')} moved to Suppressed (${formatTime(r.exclusion.createdUs, tz, 's')} ${tz}).`);
            refresh();
          }}
        />
      ) : null}
      <p className="muted small">
        Times in {tz}. A detection is never deleted: "Not malicious" adds an exclusion and moves the detections it matches to Suppressed;
        removing the exclusion reopens them.
      </p>
    </div>
  );
}

const plural = (n: number, word: string): string => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

function emptyText(tab: Tab, total: number, ran: boolean): string {
  if (!ran) return 'The detectors have not run on this case yet: press "Run detectors".';
  if (tab === 'suppressed') return 'Nothing suppressed: detections marked "Not malicious" move here.';
  return total ? 'No open detection matches these filters.' : 'The detectors found nothing in this case.';
}

function TabButton({ id, tab, setTab, label }: { id: Tab; tab: Tab; setTab: (t: Tab) => void; label: string }) {
  return (
    <button type="button" role="tab" aria-selected={tab === id} className={`tab ${tab === id ? 'on' : ''}`} onClick={() => setTab(id)} data-testid={`tab-${id}`}>
      {label}
    </button>
  );
}

/**
 * Runs the detectors. The contract answers when the run is over (no progress events, no
 * cancel), so the bar shows a busy state with the time elapsed, and what the last run used.
 */
function RunBar({ info, lastRun, lastRunError, onRan }: {
  info: CaseInfo; lastRun: DetectionRun | null; lastRunError: Error | null; onRan: (text: string) => void;
}) {
  const api = useApi();
  const tz = useTimeZone();
  const action = useAction();
  const [baseline, setBaseline] = useState('');
  const [started, setStarted] = useState<number | null>(null);
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (started === null) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [started]);
  const baselineUs = baseline.trim() ? parseZonedInput(baseline, tz) : null;
  const badBaseline = baseline.trim() !== '' && baselineUs === null;
  const run = async () => {
    setStarted(Date.now());
    setNow(Date.now());
    const r = await action.run(() => api.invoke('detections.run', baselineUs !== null ? { baselineUntilUs: baselineUs } : {}));
    setStarted(null);
    if (r) onRan(`The detectors ran in ${(r.elapsedMs / 1000).toFixed(1)} s: ${plural(r.detections, 'detection')}, ${formatCount(r.suppressed)} suppressed by ${plural(r.exclusions, 'exclusion')}.`);
  };
  return (
    <div className="panel detections-run" data-testid="detections-runbar">
      <button type="button" className="primary" onClick={() => void run()} disabled={action.pending || info.readOnly || badBaseline || info.flows === 0}
        data-testid="detections-run" title={info.readOnly ? 'The case is open read-only' : 'Run every detector over the whole case; the stored detections are replaced (suppressed ones stay suppressed)'}>
        {action.pending ? 'Running detectors…' : lastRun ? 'Run detectors again' : 'Run detectors'}
      </button>
      {action.pending && started !== null ? (
        <span className="run-busy" data-testid="detections-busy"><span className="spinner" aria-hidden="true" /> {formatDuration(Math.max(0, now - started) * 1000).replace(/\.\d+ s$/, ' s')} elapsed</span>
      ) : null}
      <label className="baseline">
        <span className="muted">baseline until ({tz})</span>
        <input className="mono" value={baseline} onChange={(e) => setBaseline(e.target.value)} placeholder="optional, e.g. 2024-03-12 00:00" data-testid="detections-baseline"
          title="Host profiles (new host, new service) compare the analysis window with the traffic before this time" />
      </label>
      {badBaseline ? <span className="error-message">not a time: write 2024-03-12 10:30</span> : null}
      <span className="spacer" />
      <span className="muted last-run" data-testid="detections-last-run">
        {lastRun ? (
          <>
            last run {formatTime(lastRun.atUs, tz, 's')} ({tz}): {plural(lastRun.detections, 'detection')}, {formatCount(lastRun.suppressed)} suppressed,{' '}
            {plural(lastRun.detectors.length, 'detector')}, {plural(lastRun.exclusions, 'exclusion')}, {(lastRun.elapsedMs / 1000).toFixed(1)} s
            {lastRun.baselineUntilUs !== null ? `, baseline until ${formatTime(lastRun.baselineUntilUs, tz, 's')}` : ''}
          </>
        ) : lastRunError ? '' : 'never run on this case'}
      </span>
      {action.error ? <ErrorMessage error={action.error} onDismiss={action.clearError} /> : null}
    </div>
  );
}
