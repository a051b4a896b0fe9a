import { Fragment, useMemo, useState } from 'react';
import type { Detection, Exclusion } from '../../../core/api/contract';
import { CopyButton } from '../../components/copy-button';
import { NoteButton } from '../../components/note-dialog';
import { Time } from '../../components/time';
import { formatBytes, formatCount } from '../../lib/format';
import { useTimeZone } from '../../lib/time-zone';
import { useAnalysis } from '../pivot/analysis-state';
import { HostLink } from '../pivot/host-link';
import { evidenceView, groupByHost, kindLabel, portsText, scopeLabel, SEVERITY_COLORS, sortDetections, type DetectionSort } from './detection-logic';

const COLS = 10;

/**
 * The detections, one row each with the reason in words, optionally under a header per host;
 * a click expands the row to its figures, its evidence filter and its actions.
 */
export function DetectionsTable({ detections, sort, grouped, exclusions, readOnly, onSuppress, empty, cut }: {
  detections: readonly Detection[];
  sort: { by: DetectionSort; desc: boolean };
  grouped: boolean;
  exclusions: readonly Exclusion[];
  readOnly: boolean;
  onSuppress: (d: Detection) => void;
  empty: string;
  cut: boolean;
}) {
  const tz = useTimeZone();
  const [expanded, setExpanded] = useState<number | null>(null);
  const sorted = useMemo(() => sortDetections(detections, sort.by, sort.desc), [detections, sort]);
  const groups = useMemo(() => (grouped ? groupByHost(sorted, sort.by, sort.desc) : null), [grouped, sorted, sort]);
  const byId = useMemo(() => new Map(exclusions.map((e) => [e.id, e])), [exclusions]);

  const row = (d: Detection) => (
    <Fragment key={d.id}>
      <tr className={`clickable detection-row ${expanded === d.id ? 'expanded' : ''}`} onClick={() => setExpanded(expanded === d.id ? null : d.id)}
        data-testid="detection-row" data-id={d.id} data-kind={d.kind} data-severity={d.severity} data-status={d.status} data-src={d.src ?? ''} data-dst={d.dst ?? ''} data-start={d.startUs}>
        <td><SeverityBadge d={d} /></td>
        <td className="kind" title={d.attack ? `MITRE ATT&CK ${d.attack}` : undefined}>{kindLabel(d.kind)}{d.attack ? <><br /><span className="muted small">{d.attack}</span></> : null}</td>
        <td className="mono hosts">
          {d.src ? <HostLink addr={d.src} /> : <span className="null">many</span>}
          <span className="muted"> → </span>
          {d.dst ? <HostLink addr={d.dst} /> : <span className="null">many</span>}
        </td>
        <td className="num">{formatCount(d.targets)}</td>
        <td className="mono ports" title={d.ports.join(', ')}>{portsText(d.ports, d.portsTotal, 3)}</td>
        <td className="when"><Time us={d.startUs} precision="s" /><br /><span className="muted">→ </span><Time us={d.endUs} precision="s" /></td>
        <td className="num">{formatCount(d.flows)}</td>
        <td className="num" title={`${formatCount(d.bytes)} bytes`}>{formatBytes(d.bytes)}</td>
        <td className="summary" data-testid="detection-summary">{d.summary}</td>
        <td className="detection-actions" onClick={(e) => e.stopPropagation()}>
          <RowActions d={d} readOnly={readOnly} onSuppress={onSuppress} />
        </td>
      </tr>
      {expanded === d.id ? (
        <tr className="detection-detail-row">
          <td colSpan={COLS}>
            <DetectionDetail d={d} exclusion={d.exclusionId !== null ? byId.get(d.exclusionId) : undefined} />
          </td>
        </tr>
      ) : null}
    </Fragment>
  );

  return (
    <div className="detections-table-wrap">
      <table className="data detections-table" data-testid="detections-table">
        <thead>
          <tr>
            <th>Severity</th><th>Kind</th><th>Source → destination</th><th className="num">targets</th><th>ports</th>
            <th>First → last flow ({tz})</th><th className="num">flows</th><th className="num">bytes</th><th>Reason</th><th />
          </tr>
        </thead>
        <tbody>
          {groups
            ? groups.map((g) => (
              <Fragment key={g.host ?? ''}>
                <tr className="host-group" data-testid="host-group" data-host={g.host ?? ''} data-severity={g.severity}>
                  <td colSpan={COLS}>
                    <span className="sev-dot" style={{ background: SEVERITY_COLORS[g.severity] }} />
                    {g.host ? <span className="mono"><HostLink addr={g.host} /></span> : <span className="muted">many sources and targets</span>}
                    <span className="muted"> · {formatCount(g.detections.length)} detection{g.detections.length === 1 ? '' : 's'}, worst {g.severity} (score {g.score.toFixed(2)}) · </span>
                    <Time us={g.startUs} precision="s" /> <span className="muted">→</span> <Time us={g.endUs} precision="s" />
                  </td>
                </tr>
                {g.detections.map(row)}
              </Fragment>
            ))
            : sorted.map(row)}
        </tbody>
      </table>
      {detections.length === 0 ? <div className="detections-empty muted" data-testid="detections-empty">{empty}</div> : null}
      {cut ? <div className="muted small">The list is cut: narrow it by host, kind or severity.</div> : null}
    </div>
  );
}

function SeverityBadge({ d }: { d: Detection }) {
  return (
    <span className="sev-badge" style={{ background: SEVERITY_COLORS[d.severity] }} title={`score ${d.score.toFixed(2)} (0–1)`}>
      {d.severity} <span className="sev-score">{d.score.toFixed(2)}</span>
    </span>
  );
}

/** Pivot (evidence filter and window applied), Sessions, Not malicious…, Note. */
function RowActions({ d, readOnly, onSuppress }: { d: Detection; readOnly: boolean; onSuppress: (d: Detection) => void }) {
  const a = useAnalysis();
  const host = d.src ?? d.dst;
  const go = (then: () => void) => {
    const v = evidenceView(d);
    a.setFilter(v.filter);
    a.setRange(v.range);
    then();
  };
  return (
    <span className="row-actions">
      {host ? (
        <button type="button" className="small" data-testid="detection-pivot"
          title={`Pivot on ${host} with the detection's flows (filter: ${d.evidence}) and its time range`}
          onClick={() => go(() => a.openHost(host))}>
          Pivot
        </button>
      ) : null}
      <button type="button" className="small" data-testid="detection-sessions" title={`Sessions behind it (filter: ${d.evidence}) in its time range`}
        onClick={() => go(() => { a.setSessionStates([]); a.navigate('sessions'); })}>
        Sessions
      </button>
      {d.status === 'open' ? (
        <button type="button" className="small" data-testid="detection-suppress" disabled={readOnly}
          title={readOnly ? 'The case is open read-only' : 'Not malicious: add the exclusion it implies (you choose its scope); the detection moves to Suppressed'}
          onClick={() => onSuppress(d)}>
          Not malicious…
        </button>
      ) : null}
      <NoteButton target={{ kind: 'detection', ref: String(d.id) }} label="Note…" testId="detection-note" />
    </span>
  );
}

function DetectionDetail({ d, exclusion }: { d: Detection; exclusion: Exclusion | undefined }) {
  const a = useAnalysis();
  const facts = Object.entries(d.facts);
  return (
    <div className="detection-detail" data-testid="detection-detail">
      <p className="detection-reason">{d.summary}</p>
      <div className="detection-evidence">
        <span className="muted">evidence filter</span> <code data-testid="detection-evidence">{d.evidence}</code> <CopyButton text={d.evidence} />
        <button type="button" className="link" onClick={() => { const v = evidenceView(d); a.setFilter(v.filter); a.setRange(v.range); a.navigate('flows'); }}>
          show its flows
        </button>
      </div>
      {d.status === 'suppressed' ? (
        <p className="muted">
          Suppressed by exclusion #{d.exclusionId}{exclusion ? `: ${scopeLabel(exclusion)} — "${exclusion.reason}"${exclusion.active ? '' : ' (since removed)'}` : ''}
        </p>
      ) : null}
      {facts.length ? (
        <table className="data facts">
          <tbody>
            {facts.map(([k, v]) => (
              <tr key={k}><td className="muted">{k.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}</td><td className="mono">{Array.isArray(v) ? v.join(', ') : v === null ? '–' : String(v)}</td></tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="muted small">
        detection #{d.id}, run {d.runId}, {d.detector} {d.detectorVersion}{d.attack ? `, ATT&CK ${d.attack}` : ''}; ports: {d.ports.join(', ') || '–'}{d.portsTotal > d.ports.length ? ` (+${formatCount(d.portsTotal - d.ports.length)} more)` : ''}
      </p>
    </div>
  );
}
