import { useEffect, useMemo, useState } from 'react';
import type { CaseInfo, TimelineEvent } from '../../../core/api/contract';
import { ErrorMessage } from '../../components/error-message';
import { ExportMenu } from '../../components/export-menu';
import { NoteButton, useNoteDialog } from '../../components/note-dialog';
import { formatTime } from '../../lib/format';
import { useApiQuery } from '../../lib/hooks';
import { useTimeZone } from '../../lib/time-zone';
import { parseZonedInput } from '../../lib/zoned-input';
import { useAnalysis } from '../pivot/analysis-state';
import { TimeRangeChip } from '../../components/filter-box';
import { SessionPanel } from '../sessions/sessions-view';
import { AssessmentPanel } from './assessment-panel';
import { StoryPanel } from './story-panel';
import { TimelineChart } from './timeline-chart';
import './timeline.css';

/**
 * The evidence timeline: swimlanes per host of interest (the hosts the notes are about, or
 * the ones typed here), the events of the case on them, the story of a host to review and
 * its breach assessment. Brushing sets the shared time range; a click opens the session or
 * the pivot.
 */
export function TimelineView({ info, generation }: { info: CaseInfo; generation: string }) {
  const tz = useTimeZone();
  const shared = useAnalysis();
  const notes = useNoteDialog();
  const [hostText, setHostText] = useState(shared.host ?? '');
  const [hosts, setHosts] = useState<string[]>(shared.host ? [shared.host] : []);
  const [proposed, setProposed] = useState(true);
  const [tick, setTick] = useState(0);
  const key = `${generation}-${notes?.version ?? 0}-${tick}`;
  const timeline = useApiQuery('timeline.events', { hosts, includeProposed: proposed }, key);
  const t = timeline.data;
  const [selected, setSelected] = useState<TimelineEvent | null>(null);
  const [storyHost, setStoryHost] = useState<string | null>(null);
  const [sinceText, setSinceText] = useState('');
  const focus = storyHost ?? t?.hosts[0] ?? null;
  useEffect(() => setSinceText(''), [focus]);
  const givenSince = sinceText.trim() ? parseZonedInput(sinceText, tz) : null;
  const sinceUs = givenSince ?? (focus && t ? t.compromise[focus] ?? null : null);

  const range = shared.range;
  const rows = useMemo(() => (t?.events ?? []).filter((e) => !range || ((e.endUs ?? e.timeUs) >= range.fromUs && e.timeUs <= range.toUs)), [t, range]);
  const showFlows = (filter: string) => { shared.setFilter(filter); shared.navigate('flows'); };
  const open = (e: TimelineEvent) => {
    setSelected(e);
    if (!e.uid && e.peer && e.source === 'contact') shared.openHost(e.peer);
  };

  return (
    <div className="page timeline-page">
      <div className="flows-toolbar timeline-toolbar">
        <form className="filter-form" onSubmit={(e) => { e.preventDefault(); setHosts(hostText.split(/[\s,]+/).filter(Boolean)); setSelected(null); }}>
          <input className="filter-input mono" value={hostText} onChange={(e) => setHostText(e.target.value)} data-testid="timeline-hosts"
            placeholder="Hosts of interest, e.g. 10.0.0.5 (empty: the hosts your notes are about)" aria-label="Hosts of interest" />
          <button type="submit" className="primary">Show</button>
        </form>
        <label className="check"><input type="checkbox" checked={proposed} onChange={(e) => setProposed(e.target.checked)} /> proposed story entries</label>
        {range ? <TimeRangeChip range={range} onClear={() => shared.setRange(null)} /> : null}
        <span className="spacer" />
        <ExportMenu kind="timeline" selection={{ hosts, ...(range ? { fromUs: range.fromUs, toUs: range.toUs } : {}) }} />
      </div>
      {timeline.error ? <ErrorMessage error={timeline.error} /> : null}
      {t && t.events.length === 0 ? (
        <div className="panel-body muted" data-testid="timeline-empty">
          Nothing on the timeline yet: bookmark a host, a flow or a session with a note, or type the hosts of interest above.
        </div>
      ) : null}
      {t && t.events.length ? (
        <TimelineChart events={t.events} lanes={t.lanes} compromise={t.compromise} selectedId={selected?.id ?? null}
          onEventClick={open} onLaneClick={(h) => setStoryHost(h)} onBrush={(r) => shared.setRange(r)} />
      ) : null}
      <div className="timeline-split">
        <div className="timeline-table-wrap">
          <table className="timeline-table" data-testid="timeline-table">
            <thead><tr><th>Time ({tz})</th><th>Host</th><th>Source</th><th>Kind</th><th>Event</th><th>Note</th></tr></thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id} className={`clickable src-${e.source} ${selected?.id === e.id ? 'expanded' : ''}`} onClick={() => open(e)} data-testid="timeline-row">
                  <td className="mono">{formatTime(e.timeUs, tz, 's')}</td>
                  <td className="mono">{e.host}</td>
                  <td>{e.source}{e.source === 'story' ? <span className="muted"> ({e.status})</span> : null}</td>
                  <td>{e.kind}</td>
                  <td>{e.summary}</td>
                  <td>{e.note}{e.tags?.length ? <span className="muted"> [{e.tags.join(', ')}]</span> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {selected ? (
          <aside className="panel timeline-detail" data-testid="timeline-detail">
            <div className="panel-head"><h2>{selected.kind}</h2><span className="spacer" /><button type="button" className="icon-button" onClick={() => setSelected(null)} aria-label="Close">×</button></div>
            <div className="panel-body">
              <p>{selected.summary}</p>
              {selected.note ? <p className="story-note">note: {selected.note}</p> : null}
              <p className="muted">{formatTime(selected.timeUs, tz)}{selected.endUs !== null ? ` → ${formatTime(selected.endUs, tz)}` : ''} ({tz})</p>
              <p className="mono small">{selected.evidence}</p>
              <div className="timeline-detail-actions">
                {selected.evidence ? <button type="button" onClick={() => showFlows(selected.evidence)}>Show its flows</button> : null}
                {selected.host ? <button type="button" onClick={() => shared.openHost(selected.host!)}>Pivot {selected.host}</button> : null}
                {selected.peer ? <button type="button" onClick={() => shared.openHost(selected.peer!)}>Pivot {selected.peer}</button> : null}
                {selected.host ? <button type="button" onClick={() => setStoryHost(selected.host)}>Story of {selected.host}</button> : null}
                {selected.uid ? <NoteButton target={{ kind: 'session', ref: selected.uid }} /> : null}
                {!selected.uid && selected.host ? <NoteButton target={{ kind: 'range', ref: '', fromUs: selected.timeUs, toUs: Math.max(selected.endUs ?? selected.timeUs, selected.timeUs) + 1, host: selected.host }} /> : null}
              </div>
            </div>
            {selected.uid ? <SessionPanel uid={selected.uid} generation={generation} onClose={() => setSelected(null)} /> : null}
          </aside>
        ) : null}
      </div>
      {focus ? (
        <>
          <div className="flows-toolbar">
            <label>Compromise time of {focus} ({tz}):{' '}
              <input className="mono" value={sinceText} onChange={(e) => setSinceText(e.target.value)} data-testid="story-since"
                placeholder={sinceUs !== null && !sinceText ? formatTime(sinceUs, tz, 's') : 'YYYY-MM-DD HH:MM'} />
            </label>
            {sinceText.trim() && givenSince === null ? <span className="error-message">not a time: write 2024-03-12 10:30</span> : null}
          </div>
          <StoryPanel host={focus} sinceUs={givenSince} generation={key} onChanged={() => setTick((x) => x + 1)} onShowFlows={showFlows} />
          {sinceUs !== null ? <AssessmentPanel host={focus} sinceUs={sinceUs} generation={key} onShowFlows={showFlows} /> : null}
        </>
      ) : null}
      <p className="muted small">{info.flows.toLocaleString('en-US')} flows in the case.</p>
    </div>
  );
}
