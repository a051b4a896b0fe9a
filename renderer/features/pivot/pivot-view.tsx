import { useEffect, useMemo, useState } from 'react';
import type { AddressContext, CaseInfo, FlowView, PivotPeer, PivotPort } from '../../../core/api/contract';
import { ChartFrame } from '../../components/charts/chart-frame';
import '../../components/charts/charts.css';
import { DIRECTION_COLORS } from '../../components/charts/time-axis';
import { TimeChart, type TimePoint } from '../../components/charts/time-chart';
import { CopyButton } from '../../components/copy-button';
import { NoteButton } from '../../components/note-dialog';
import { ErrorMessage } from '../../components/error-message';
import { FilteredTag } from '../../components/filter-box';
import { Time } from '../../components/time';
import { VirtualTable, type GridColumn } from '../../components/virtual-table';
import { useApi } from '../../lib/api-context';
import { formatBytes, formatCount, protoName } from '../../lib/format';
import { useApiQuery } from '../../lib/hooks';
import { usePagedRows } from '../../lib/use-paged-rows';
import { HostAlertScore } from '../detections/host-alert-score';
import { EvidenceNamesContext, FLOW_COLUMNS } from '../flows/flow-columns';
import { FlowDetail } from '../flows/flow-detail';
import '../flows/flows.css';
import { useAnalysis, windowArgs } from './analysis-state';
import { EvidenceChoiceSelect, type EvidenceArg } from './evidence-choice';
import { FilterBar } from './filter-bar';
import { HostLink } from './host-link';
import './pivot.css';

// The related flows come newest first from the core: the grid's headers do not re-sort them.
const RELATED_COLUMNS: GridColumn<FlowView>[] = FLOW_COLUMNS.map((c) => ({ ...c, enableSorting: false }));

/** One host: totals, roles, peers, ports, activity over time and its flows. */
export function PivotView({ info, generation }: { info: CaseInfo; generation: string }) {
  const a = useAnalysis();
  const { host, filter, range, setRange, openHost, back, forward, canBack, canForward } = a;
  const [draft, setDraft] = useState(host ?? '');
  const [evidenceChoice, setEvidenceChoice] = useState<EvidenceArg>('counted');
  useEffect(() => setDraft(host ?? ''), [host]);

  // Alt+Left / Alt+Right walk the pivot history, like a browser.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'ArrowLeft') { e.preventDefault(); back(); }
      if (e.key === 'ArrowRight') { e.preventDefault(); forward(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [back, forward]);

  return (
    <div className="page pivot-page" data-testid="pivot">
      <div className="pivot-bar">
        <button type="button" onClick={back} disabled={!canBack} title="Back (Alt+Left)" aria-label="Back" data-testid="pivot-back">
          ◀
        </button>
        <button type="button" onClick={forward} disabled={!canForward} title="Forward (Alt+Right)" aria-label="Forward" data-testid="pivot-forward">
          ▶
        </button>
        <form
          className="pivot-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) openHost(draft.trim());
          }}
        >
          <input
            className="mono pivot-input"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="Address to pivot on, e.g. 10.0.0.5 or 2001:db8::1"
            spellCheck={false}
            aria-label="Host address"
            data-testid="pivot-address"
          />
          <button type="submit" className="primary">Pivot</button>
        </form>
        <History />
      </div>
      <FilterBar right={<EvidenceChoiceSelect value={evidenceChoice} onChange={setEvidenceChoice} generation={generation} />} />
      {host ? (
        <HostPanel key={host} host={host} info={info} generation={generation} filter={filter} range={range} setRange={setRange} evidenceChoice={evidenceChoice} />
      ) : (
        <div className="pivot-empty muted">
          Type an address above, or click any address in Flows, Overview or Sessions to see everything about that host.
        </div>
      )}
    </div>
  );
}

function History() {
  const { history, historyIndex, openHost } = useAnalysis();
  if (history.length < 2) return null;
  return (
    <div className="pivot-history" aria-label="Pivot history">
      {history.slice(-8).map((h, i, arr) => {
        const idx = history.length - arr.length + i;
        return (
          <button key={`${idx}-${h}`} type="button" className={`crumb mono ${idx === historyIndex ? 'on' : ''}`} onClick={() => openHost(h)} title={`Pivot on ${h}`}>
            {h}
          </button>
        );
      })}
    </div>
  );
}

function HostPanel({
  host, info, generation, filter, range, setRange, evidenceChoice,
}: {
  host: string; info: CaseInfo; generation: string; filter: string; evidenceChoice: EvidenceArg;
  range: { fromUs: number; toUs: number } | null; setRange: (r: { fromUs: number; toUs: number } | null) => void;
}) {
  const api = useApi();
  const { setFilter, navigate, setSessionStates } = useAnalysis();
  const win = windowArgs(range);
  const f = { ...(filter ? { filter } : {}), ...(evidenceChoice !== 'counted' ? { evidence: evidenceChoice } : {}) };
  const summary = useApiQuery('pivot.host', { addr: host, ...win, ...f }, generation);
  const histogram = useApiQuery('pivot.histogram', { addr: host, bins: 120, ...win, ...f }, generation);
  const evidence = useApiQuery('evidence.list', {}, generation);
  const names = useMemo(() => new Map((evidence.data ?? []).map((e) => [e.evidenceId, e.name])), [evidence.data]);
  const [peer, setPeer] = useState<string | null>(null);
  const [peerSort, setPeerSort] = useState<'bytes' | 'flows'>('bytes');
  const [histMetric, setHistMetric] = useState<'bytes' | 'flows'>('bytes');
  const [selected, setSelected] = useState<number | null>(null);
  const s = summary.data;
  const peerRow = peer ? s?.peers.find((p) => p.addr === peer) : undefined;

  const flowsKey = JSON.stringify([host, peer, filter, range, generation, evidenceChoice]);
  const flows = usePagedRows<FlowView>(
    flowsKey,
    (offset, limit) => api.invoke('pivot.flows', { addr: host, ...(peer ? { peer } : {}), offset, limit, ...win, ...f }),
    peer ? peerRow?.flows ?? null : s?.flows ?? null,
  );
  const selectedFlow = selected === null ? undefined : flows.getRow(selected);
  useEffect(() => setSelected(null), [flowsKey]);

  const peers = useMemo(() => {
    const list = [...(s?.peers ?? [])];
    return peerSort === 'flows' ? list.sort((x, y) => y.flows - x.flows || y.bytes - x.bytes) : list;
  }, [s, peerSort]);
  const served = (s?.ports ?? []).filter((p) => p.role === 'server');
  const connected = (s?.ports ?? []).filter((p) => p.role === 'client');

  const points: TimePoint[] = useMemo(
    () => (histogram.data?.bins ?? []).map((b) => ({
      startUs: b.startUs,
      values: (histMetric === 'bytes' ? { received: b.bytesIn, sent: b.bytesOut } : { flows: b.flows }) as Record<string, number>,
    })),
    [histogram.data, histMetric],
  );
  const hb = histogram.data;
  const error = summary.error ?? histogram.error;

  return (
    <div className="host-panel">
      {error ? <ErrorMessage error={error} title={error.code === 'bad-filter' ? 'Filter' : undefined} /> : null}
      <div className="host-head panel" data-testid="host-summary" data-host={host} data-peers={s ? s.peers.length : ''} data-flows={s ? s.flows : ''}>
        <div className="host-title">
          <h1 className="mono" data-testid="pivot-host">{host}</h1>
          <CopyButton text={host} />
          <NoteButton target={{ kind: 'host', ref: host }} label="Bookmark / note…" testId="host-note" />
          <HostAlertScore host={host} generation={generation} />
          {s && s.flows === 0 ? <span className="badge warn">no flows{filter || range ? ' in this filter/window' : ''}</span> : null}
          <span className="spacer" />
          <button type="button" className="small" onClick={() => { setFilter(`host ${host}`); navigate('flows'); }} title={`Flows view filtered to host ${host}`}>
            Flows of this host
          </button>
          <button type="button" className="small" onClick={() => { setFilter(`src host ${host}`); setSessionStates([]); navigate('sessions'); }} data-testid="host-sessions" title={`Sessions this host originated (filter 'src host ${host}')`}>
            Sessions from this host
          </button>
          <button type="button" className="small" onClick={() => { setFilter(`src host ${host}`); setSessionStates(['S0', 'REJ']); navigate('sessions'); }} data-testid="host-failed-sessions" title={`Attempts from ${host} that were never answered (S0) or refused (REJ): what a scan leaves`}>
            Its S0 + REJ sessions
          </button>
        </div>
        <div className="host-facts">
          {s && (s.context.names.length || s.context.country || s.context.asn !== null || s.context.asset)
            ? <Fact label="known as"><span data-testid="host-context"><AddressContextText c={s.context} /></span></Fact> : null}
          <Fact label="first seen">{s && s.firstUs !== null ? <Time us={s.firstUs} /> : '–'}</Fact>
          <Fact label="last seen">{s && s.lastUs !== null ? <Time us={s.lastUs} /> : '–'}</Fact>
          <Fact label="flows">{s ? <span data-testid="pivot-flow-count">{formatCount(s.flows)}</span> : '…'}<FilteredTag on={!!filter || !!range} /></Fact>
          <Fact label="peers">{s ? <span data-testid="peer-count">{formatCount(s.peers.length)}</span> : '…'}</Fact>
          <Fact label="bytes out / in">
            {s ? <><span title={`${formatCount(s.bytesOut)} bytes`}>{formatBytes(s.bytesOut)}</span> / <span title={`${formatCount(s.bytesIn)} bytes`}>{formatBytes(s.bytesIn)}</span></> : '…'}
          </Fact>
          <Fact label="packets out / in">{s ? `${formatCount(s.packetsOut)} / ${formatCount(s.packetsIn)}` : '…'}</Fact>
          {s && s.samplingMax > 1 ? (
            <Fact label="sampled: estimate">
              <span data-testid="pivot-estimate" title={`Counts are stored as exported; the estimate multiplies each flow's counts by its exporter's sampling interval (up to 1 in ${s.samplingMax}).`}>
                ≈ {formatBytes(s.estBytes)}, ≈ {formatCount(s.estPackets)} packets (×{formatCount(s.samplingMax)})
              </span>
            </Fact>
          ) : null}
          <Fact label="serves (ports answered)">
            <PortChips ports={served} />
          </Fact>
          <Fact label="connects to (ports)">
            <PortChips ports={connected} />
          </Fact>
        </div>
      </div>
      <ChartFrame
        title={`Activity of ${host}`}
        testId="host-histogram"
        controls={
          <div className="seg" role="group" aria-label="Metric">
            <button type="button" className={histMetric === 'bytes' ? 'on' : ''} onClick={() => setHistMetric('bytes')}>bytes</button>
            <button type="button" className={histMetric === 'flows' ? 'on' : ''} onClick={() => setHistMetric('flows')}>flows</button>
          </div>
        }
        chart={
          hb && hb.bins.length ? (
            <TimeChart
              fromUs={hb.bins[0].startUs}
              toUs={hb.bins[hb.bins.length - 1].endUs}
              binUs={hb.binUs}
              points={points}
              keys={histMetric === 'bytes' ? ['received', 'sent'] : ['flows']}
              below={histMetric === 'bytes' ? ['sent'] : []}
              color={(k) => (k === 'sent' ? DIRECTION_COLORS.outbound : k === 'received' ? DIRECTION_COLORS.inbound : '#4e79a7')}
              format={histMetric === 'bytes' ? formatBytes : formatCount}
              kind="bar"
              height={170}
              onBrush={setRange}
              testId="histogram-chart"
              ariaLabel={`Activity of ${host}`}
            />
          ) : (
            <div className="chart-empty muted">{histogram.loading ? 'Loading…' : 'No activity in this window.'}</div>
          )
        }
        table={
          hb ? (
            <table className="data">
              <thead><tr><th>Bin start</th><th className="num">flows</th><th className="num">bytes sent</th><th className="num">bytes received</th></tr></thead>
              <tbody>
                {hb.bins.filter((b) => b.flows > 0).map((b) => (
                  <tr key={b.startUs}><td><Time us={b.startUs} /></td><td className="num">{formatCount(b.flows)}</td><td className="num">{formatCount(b.bytesOut)}</td><td className="num">{formatCount(b.bytesIn)}</td></tr>
                ))}
              </tbody>
            </table>
          ) : null
        }
        note="Drag across the bars to set the time range for every view. Sent is drawn below the axis."
      />
      <div className="pivot-grid">
        <section className="panel pivot-peers" data-testid="pivot-peers">
          <div className="panel-head chart-head">
            <h2>Peers</h2>
            <span className="muted">{s ? `${formatCount(s.peers.length)}${s.peers.length >= 1000 ? '+' : ''}` : ''}</span>
            <span className="spacer" />
            <div className="seg" role="group" aria-label="Rank peers by">
              <button type="button" className={peerSort === 'bytes' ? 'on' : ''} onClick={() => setPeerSort('bytes')}>by bytes</button>
              <button type="button" className={peerSort === 'flows' ? 'on' : ''} onClick={() => setPeerSort('flows')} data-testid="peers-by-flows">by flows</button>
            </div>
          </div>
          <div className="pivot-table-wrap">
            <table className="data">
              <thead>
                <tr><th /><th>Peer</th><th>Names · place · AS</th><th className="num">flows</th><th className="num">bytes</th><th className="num">packets</th><th>last seen</th><th /></tr>
              </thead>
              <tbody>
                {peers.map((p) => <PeerRow key={p.addr} p={p} active={peer === p.addr} onBetween={() => setPeer(peer === p.addr ? null : p.addr)} />)}
              </tbody>
            </table>
          </div>
        </section>
        <section className="panel pivot-ports" data-testid="pivot-ports">
          <div className="panel-head chart-head">
            <h2>Ports</h2>
            <span className="muted">server: the host answered on it · client: it connected to it</span>
          </div>
          <div className="pivot-table-wrap">
            <table className="data">
              <thead><tr><th>Port</th><th>Role</th><th className="num">flows</th><th className="num">bytes</th><th /></tr></thead>
              <tbody>
                {(s?.ports ?? []).map((p) => (
                  <tr key={`${p.role}/${p.proto}/${p.port}`}>
                    <td className="mono">{p.port}/{protoName(p.proto).toLowerCase()}</td>
                    <td><span className={`badge ${p.role === 'server' ? 'ok' : ''}`}>{p.role}</span></td>
                    <td className="num">{formatCount(p.flows)}</td>
                    <td className="num">{formatBytes(p.bytes)}</td>
                    <td>
                      <button type="button" className="link" onClick={() => { setFilter(`port ${p.port}`); navigate('flows'); }} title={`All flows on port ${p.port}, any host (sets the filter 'port ${p.port}')`}>
                        same port elsewhere
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>
      <section className="panel pivot-flows" data-testid="pivot-flows">
        <div className="panel-head chart-head">
          <h2>{peer ? <>Flows between {host} and <span className="mono">{peer}</span></> : <>Flows of {host}</>}</h2>
          <span className="muted">newest first{flows.total !== null ? ` · ${formatCount(flows.total)}` : ''}</span>
          {peer ? <button type="button" className="small" onClick={() => setPeer(null)} data-testid="clear-peer">All peers</button> : null}
        </div>
        {flows.error && !error ? <ErrorMessage error={flows.error} /> : null}
        <EvidenceNamesContext.Provider value={names}>
          <VirtualTable
            className="flows-grid pivot-flows-grid"
            columns={RELATED_COLUMNS}
            rowCount={flows.total ?? 0}
            getRow={flows.getRow}
            getRowKey={(r) => String(r.flowId)}
            dataVersion={flows.version}
            onRangeChange={flows.ensureRange}
            sort={null}
            onSortChange={() => undefined}
            resetKey={flowsKey}
            selectedKey={selectedFlow ? String(selectedFlow.flowId) : null}
            selectedIndex={selected}
            onSelectIndex={setSelected}
            onRowClick={(_r, i) => setSelected(i === selected ? null : i)}
            empty={flows.total === 0 ? 'No flows.' : null}
          />
        </EvidenceNamesContext.Provider>
        {selectedFlow ? <FlowDetail flow={selectedFlow} evidence={evidence.data?.find((e) => e.evidenceId === selectedFlow.evidenceId)} onClose={() => setSelected(null)} /> : null}
      </section>
      <div className="muted pivot-foot">Case {info.name}: peers are ranked among the host's top 1,000 by bytes.</div>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="fact">
      <div className="fact-label">{label}</div>
      <div className="fact-value mono">{children}</div>
    </div>
  );
}

function PortChips({ ports }: { ports: PivotPort[] }) {
  if (!ports.length) return <span className="null">none</span>;
  const top = ports.slice(0, 8);
  return (
    <span className="port-chips">
      {top.map((p) => (
        <span key={`${p.proto}/${p.port}`} className="port-chip" title={`${formatCount(p.flows)} flows, ${formatBytes(p.bytes)}`}>
          {p.port}/{protoName(p.proto).toLowerCase()}
        </span>
      ))}
      {ports.length > top.length ? <span className="muted"> +{ports.length - top.length}</span> : null}
    </span>
  );
}

/**
 * What the case knows about an address beside its flows: the names clients used (oldest
 * first), country and city, AS, and the asset-list entry. Empty without any of them.
 */
function AddressContextText({ c }: { c: AddressContext }) {
  const place = [c.country, c.city].filter(Boolean).join(' · ');
  const as = c.asn !== null ? `AS${c.asn}${c.asOrg ? ` ${c.asOrg}` : ''}` : '';
  const asset = c.asset ? [c.asset.name, c.asset.owner, c.asset.criticality ? `criticality ${c.asset.criticality}` : null].filter(Boolean).join(' · ') : '';
  const names = c.names.length > 3 ? `${c.names.slice(0, 3).join(', ')} +${c.names.length - 3}` : c.names.join(', ');
  return (
    <>
      {names ? <span className="ctx-names mono" data-testid="ctx-names" title={c.names.join('\n')}>{names}</span> : null}
      {place ? <span className="ctx-place" data-testid="ctx-country">{place}</span> : null}
      {as ? <span className="ctx-as" data-testid="ctx-as">{as}</span> : null}
      {asset ? <span className="ctx-asset badge" data-testid="ctx-asset" title={`asset list: ${c.asset!.block}`}>{asset}</span> : null}
    </>
  );
}

function PeerRow({ p, active, onBetween }: { p: PivotPeer; active: boolean; onBetween: () => void }) {
  const { openHost } = useAnalysis();
  return (
    <tr className={active ? 'expanded' : ''} data-testid="peer-row" data-peer={p.addr}>
      <td title={p.internal ? 'internal' : 'external'} className={p.internal ? 'mark-in' : 'mark-out'}>{p.internal ? '●' : '○'}</td>
      <td className="mono"><HostLink addr={p.addr} internal={p.internal} /></td>
      <td className="peer-context" data-testid="peer-context"><AddressContextText c={p} /></td>
      <td className="num">{formatCount(p.flows)}</td>
      <td className="num" title={`${formatCount(p.bytes)} bytes`}>{formatBytes(p.bytes)}</td>
      <td className="num">{formatCount(p.packets)}</td>
      <td><Time us={p.lastUs} precision="s" /></td>
      <td className="peer-actions">
        <button type="button" className="link" onClick={onBetween} data-testid="flows-between" title="Show only the flows between the two hosts below">
          {active ? 'all flows' : 'flows between'}
        </button>
        <button type="button" className="link" onClick={() => openHost(p.addr)} title={`Pivot to ${p.addr}: its traffic with every host`}>
          same peer elsewhere
        </button>
      </td>
    </tr>
  );
}

