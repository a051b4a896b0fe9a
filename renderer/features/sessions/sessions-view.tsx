import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CaseInfo, ConnState, SessionDetail, SessionSortColumn, SessionView } from '../../../core/api/contract';
import '../../components/charts/charts.css';
import { LadderChart, type LadderRecord } from '../../components/charts/ladder-chart';
import { CopyButton } from '../../components/copy-button';
import { ErrorMessage } from '../../components/error-message';
import { ExportMenu } from '../../components/export-menu';
import { NoteButton } from '../../components/note-dialog';
import { Time } from '../../components/time';
import { VirtualTable, type GridSort } from '../../components/virtual-table';
import { useApi } from '../../lib/api-context';
import { endpoint, formatBytes, formatCount, tcpFlagLetters } from '../../lib/format';
import { useApiQuery } from '../../lib/hooks';
import { usePagedRows } from '../../lib/use-paged-rows';
import '../flows/flows.css';
import { combinedFilter, useAnalysis } from '../pivot/analysis-state';
import { FilterBar } from '../pivot/filter-bar';
import { HostLink } from '../pivot/host-link';
import '../pivot/pivot.css';
import { SESSION_COLUMNS, stateTitle } from './session-columns';
import './sessions.css';

/** Zeek's conn_state values, the usual ones first. */
const STATES = ['S0', 'REJ', 'SF', 'S1', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'S2', 'S3', 'SH', 'SHR', 'OTH'] as const;
const SORTABLE = new Set<string>(SESSION_COLUMNS.filter((c) => c.enableSorting !== false).map((c) => c.id!));

/** Sessions (Zeek conn.log fields, rebuilt from every flow source) with state chips and a ladder per session. */
export function SessionsView({ generation }: { info: CaseInfo; generation: string }) {
  const api = useApi();
  const { filter, range, sessionStates: states, setSessionStates: setStates } = useAnalysis();
  const [sort, setSort] = useState<{ column: SessionSortColumn; desc: boolean } | null>(null);
  const [selection, setSelection] = useState<{ key: string; index: number } | null>(null);
  const effective = combinedFilter(filter, range);
  const key = JSON.stringify([effective, states, sort, generation]);
  const pages = usePagedRows<SessionView>(key, (offset, limit) =>
    api.invoke('sessions.page', { offset, limit, ...(sort ? { sort } : {}), ...(effective ? { filter: effective } : {}), ...(states.length ? { states: [...states] as ConnState[] } : {}) }));
  const selectedIndex = selection && selection.key === key ? selection.index : null;
  const selected = selectedIndex === null ? undefined : pages.getRow(selectedIndex);
  const select = (i: number | null) => setSelection(i === null ? null : { key, index: i });
  const toggle = (s: string) => setStates(states.includes(s) ? states.filter((x) => x !== s) : [...states, s]);
  const onSort = useCallback((s: GridSort | null) => {
    setSort(s && SORTABLE.has(s.column) ? { column: s.column as SessionSortColumn, desc: s.desc } : null);
  }, []);

  return (
    <div className="page sessions-page" data-testid="sessions">
      <FilterBar
        error={pages.error}
        right={<>
          <ExportMenu kind="sessions" selection={{ filter, states: [...states], ...(range ? { fromUs: range.fromUs, toUs: range.toUs } : {}) }} />
          <div className="flow-count" data-testid="session-count" data-total={pages.total ?? ''}>
            {pages.total === null ? <span className="muted">{pages.error ? 'no result' : 'counting…'}</span> : <><strong>{formatCount(pages.total)}</strong> sessions</>}
          </div>
        </>}
      />
      <div className="state-chips" role="group" aria-label="Connection states">
        <span className="muted chips-label">conn_state</span>
        {STATES.map((s) => (
          <button key={s} type="button" className={`chip st-${s} ${states.includes(s) ? 'on' : ''}`} aria-pressed={states.includes(s)} onClick={() => toggle(s)} title={stateTitle(s)} data-testid={`state-${s}`}>
            {s}
          </button>
        ))}
        {states.length ? <button type="button" className="link" onClick={() => setStates([])}>all states</button> : null}
        <span className="muted chips-hint">Click chips to combine states (e.g. REJ + S0); click an address to pivot.</span>
      </div>
      <VirtualTable
        className="flows-grid sessions-grid"
        columns={SESSION_COLUMNS}
        rowCount={pages.total ?? 0}
        getRow={pages.getRow}
        getRowKey={(s) => s.uid}
        dataVersion={pages.version}
        onRangeChange={pages.ensureRange}
        sort={sort}
        onSortChange={onSort}
        resetKey={key}
        selectedKey={selected?.uid ?? null}
        selectedIndex={selectedIndex}
        onSelectIndex={select}
        onRowClick={(_s, i) => select(i === selectedIndex ? null : i)}
        empty={pages.total === 0 ? 'No session matches.' : null}
      />
      {selected ? <SessionPanel uid={selected.uid} generation={generation} onClose={() => select(null)} /> : null}
    </div>
  );
}

export function SessionPanel({ uid, generation, onClose }: { uid: string; generation: string; onClose: () => void }) {
  const detail = useApiQuery('sessions.detail', { uid }, generation);
  const [sel, setSel] = useState<string | null>(null);
  useEffect(() => setSel(null), [uid]);
  const d = detail.data;
  return (
    <section className="panel session-panel" data-testid="session-detail" aria-label="Session">
      <div className="panel-head chart-head">
        {d ? <SessionTitle s={d.session} /> : <h2 className="mono">{uid}</h2>}
        <span className="spacer" />
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close session">×</button>
      </div>
      {detail.error ? <ErrorMessage error={detail.error} /> : null}
      {d === null ? <div className="panel-body muted">No session with uid {uid} (the case changed?).</div> : null}
      {d ? <SessionBody d={d} selected={sel} onSelect={setSel} /> : null}
    </section>
  );
}

function SessionTitle({ s }: { s: SessionView }) {
  return (
    <>
      <h2 className="mono">
        {s.proto.toUpperCase()} <HostLink addr={s.origH} />:{s.origP} → <HostLink addr={s.respH} />:{s.respP}
      </h2>
      <span className={`state-tag st-${s.connState}`} title={stateTitle(s.connState)}>{s.connState}</span>
      <span className="mono muted" title="history">{s.directionInferred ? '^' : ''}{s.history ?? ''}</span>
      <span className={`conf conf-${s.stateConfidence}`} title={s.stateReason ?? ''}>{s.stateConfidence}</span>
      <span className="muted mono">{s.uid}</span>
      <CopyButton text={s.uid} label="Copy uid" />
      <NoteButton target={{ kind: 'session', ref: s.uid }} label="Bookmark / note…" testId="session-note" />
    </>
  );
}

function SessionBody({ d, selected, onSelect }: { d: SessionDetail; selected: string | null; onSelect: (id: string | null) => void }) {
  const { setFilter, setRange, navigate } = useAnalysis();
  const s = d.session;
  const records: LadderRecord[] = useMemo(
    () => d.flows.map((f) => ({
      id: String(f.flowId), startUs: f.startUs, endUs: f.endUs, fromOrig: f.fromOrig, packets: f.packets, bytes: f.bytes,
      revPackets: f.revPackets, revBytes: f.revBytes, flags: f.tcpFlags, revFlags: f.revTcpFlags,
      source: `${f.evidenceName} ${f.positionUnit} ${formatCount(f.position)}`,
    })),
    [d],
  );
  const showInFlows = () => {
    const proto = s.proto === 'unknown_transport' ? `proto ${s.ipProto}` : `proto ${s.proto}`;
    const ports = s.proto === 'icmp' ? '' : ` and port ${s.origP} and port ${s.respP}`;
    setFilter(`host ${s.origH} and host ${s.respH} and ${proto}${ports}`);
    setRange({ fromUs: s.ts, toUs: Math.max(s.endUs, s.ts) + 1 });
    navigate('flows');
  };
  return (
    <div className="session-body">
      <div className="session-ladder">
        <LadderChart orig={endpoint(s.origH, s.origP)} resp={endpoint(s.respH, s.respP)} records={records} selected={selected} onSelect={(id) => onSelect(id === selected ? null : id)} />
      </div>
      <div className="session-side">
        <div className="session-facts">
          <div><span className="muted">start</span> <Time us={s.ts} /></div>
          <div><span className="muted">duration</span> <span className="mono">{s.duration.toFixed(6)} s</span></div>
          <div><span className="muted">orig</span> <span className="mono">{formatCount(s.origPkts)} pkt · {formatBytes(s.origIpBytes)} IP · {s.origBytes === null ? '–' : formatBytes(s.origBytes)} payload</span></div>
          <div><span className="muted">resp</span> <span className="mono">{formatCount(s.respPkts)} pkt · {formatBytes(s.respIpBytes)} IP · {s.respBytes === null ? '–' : formatBytes(s.respBytes)} payload</span></div>
          <div><span className="muted">from</span> {s.sourceFormat ?? '–'} · {s.sightings} sighting{s.sightings === 1 ? '' : 's'}</div>
          {s.stateReason ? <div className="muted reason">{s.stateReason}</div> : null}
        </div>
        <button type="button" className="small" onClick={showInFlows} data-testid="session-in-flows">Show these flow rows in Flows</button>
        <table className="data session-records" data-testid="session-records">
          <thead><tr><th>flow</th><th>dir</th><th>flags</th><th className="num">pkts</th><th className="num">IP bytes</th><th>evidence (record at)</th></tr></thead>
          <tbody>
            {d.flows.map((f) => (
              <tr key={f.flowId} className={`clickable ${selected === String(f.flowId) ? 'expanded' : ''}`} onClick={() => onSelect(selected === String(f.flowId) ? null : String(f.flowId))}>
                <td className="mono">#{f.flowId}</td>
                <td>{f.fromOrig ? 'o→r' : 'r→o'}{f.revPackets !== null ? ' ⇄' : ''}</td>
                <td className="mono">{tcpFlagLetters(f.tcpFlags)}{f.revTcpFlags !== null ? ` / ${tcpFlagLetters(f.revTcpFlags)}` : ''}</td>
                <td className="num">{formatCount(f.packets)}{f.revPackets !== null ? ` / ${formatCount(f.revPackets)}` : ''}</td>
                <td className="num">{formatCount(f.bytes)}{f.revBytes !== null ? ` / ${formatCount(f.revBytes)}` : ''}</td>
                <td>
                  <span className="mono" title={`${f.format}; ${f.positionUnit === 'line' ? 'line number' : 'byte offset'} of the record`} data-testid="record-source">
                    {f.evidenceName} @ {f.positionUnit} {formatCount(f.position)}
                  </span>{' '}
                  <CopyButton text={`${f.evidenceName}:${f.positionUnit === 'line' ? 'line' : 'byte'} ${f.position}`} label="Copy" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
