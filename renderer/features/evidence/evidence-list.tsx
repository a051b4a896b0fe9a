import { Fragment, useState } from 'react';
import type { EvidenceView } from '../../../core/api/contract';
import { Bytes } from '../../components/bytes';
import { CopyButton } from '../../components/copy-button';
import { ErrorMessage } from '../../components/error-message';
import { Time, TimeSpan } from '../../components/time';
import { formatCount, formatDuration, shortHash } from '../../lib/format';
import type { ApiError } from '../../lib/api-client';
import { IssueCode, IssueLine, IssueMeaning } from '../../components/issue-line';
import { useTimeZone } from '../../lib/time-zone';
import { counterRows, factRows, type FactRow } from './fact-rows';
import './evidence.css';

/** Every evidence file of the case with its hash and counts; a row expands to facts, counters and issues. */
export function EvidenceList({ evidence, error }: { evidence: EvidenceView[] | undefined; error: ApiError | null }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <section className="panel evidence-panel">
      <div className="panel-head">
        <h2>Evidence</h2>
        <span className="muted">{evidence ? `${evidence.length} file${evidence.length === 1 ? '' : 's'}` : ''}</span>
      </div>
      <ErrorMessage error={error} />
      <div className="evidence-scroll">
        <table className="data" data-testid="evidence-list">
          <thead>
            <tr>
              <th />
              <th>Name</th>
              <th className="num">Size</th>
              <th>SHA-256</th>
              <th>Format</th>
              <th className="num">Records</th>
              <th className="num">Rejected</th>
              <th>Imported</th>
              <th>Flow time span</th>
            </tr>
          </thead>
          <tbody>
            {evidence?.length === 0 ? (
              <tr>
                <td colSpan={9} className="muted empty-row">
                  No evidence yet. Drop files above or use “Add evidence…”.
                </td>
              </tr>
            ) : null}
            {evidence?.map((e) => (
              <Fragment key={e.evidenceId}>
                <tr
                  className={`clickable ${open === e.evidenceId ? 'expanded' : ''}`}
                  onClick={() => setOpen(open === e.evidenceId ? null : e.evidenceId)}
                  data-testid="evidence-row"
                  aria-expanded={open === e.evidenceId}
                >
                  <td className="twisty">{open === e.evidenceId ? '▾' : '▸'}</td>
                  <td className="ev-name" title={e.path}>
                    {e.name}
                    {e.overlaps.length ? (
                      <span
                        className="ev-overlap-badge" data-testid="overlap-badge"
                        title={e.overlaps.map((o) => `Same traffic as #${o.otherId} ${o.otherName}: ${o.conversations} conversations; ${o.counted ? 'this file is counted' : `#${o.otherId} is counted`}`).join('\n')}
                      >
                        overlaps {e.overlaps.map((o) => `#${o.otherId}`).join(', ')}
                      </span>
                    ) : null}
                  </td>
                  <td className="num mono"><Bytes value={e.size} /></td>
                  <td className="mono sha">
                    <span title={e.sha256} data-sha256={e.sha256}>{shortHash(e.sha256, 12, 8)}</span> <CopyButton text={e.sha256} />
                  </td>
                  <td>
                    {e.format}
                    {e.compression ? <span className="muted"> ({e.compression})</span> : null}
                  </td>
                  <td className="num mono">{formatCount(e.records)}</td>
                  <td className={`num mono ${e.rejected ? 'bad' : ''}`}>{formatCount(e.rejected)}</td>
                  <td className="mono ev-imported"><Time us={e.importedAtUs} precision="s" /></td>
                  <td className="mono ev-span"><TimeSpan first={e.firstUs} last={e.lastUs} /></td>
                </tr>
                {open === e.evidenceId ? (
                  <tr className="ev-detail">
                    <td />
                    <td colSpan={8}>
                      <EvidenceDetail e={e} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Labelled, formatted facts or counters, with what each means where the name does not say it. */
function FactList({ rows, testId }: { rows: FactRow[]; testId: string }) {
  if (!rows.length) return <p className="muted">none</p>;
  return (
    <dl className="kv facts" data-testid={testId}>
      {rows.map((r) => (
        <Fragment key={r.key}>
          <dt title={r.key} className={r.notable ? 'notable' : ''}>{r.label}</dt>
          <dd data-fact={r.key}>
            <span className="mono">{r.value}</span>
            {r.explain ? <div className="fact-explain muted">{r.explain}</div> : null}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

function EvidenceDetail({ e }: { e: EvidenceView }) {
  const tz = useTimeZone();
  const issueCounts = Object.entries(e.issueCounts ?? {});
  return (
    <div className="ev-detail-grid">
      <dl className="kv">
        <dt>Path</dt>
        <dd className="mono">{e.path}</dd>
        <dt>SHA-256</dt>
        <dd className="mono">
          {e.sha256} <CopyButton text={e.sha256} />
        </dd>
        <dt>Size</dt>
        <dd className="mono">{formatCount(e.size)} bytes</dd>
        <dt>Import</dt>
        <dd>
          <Time us={e.importedAtUs} /> {e.importMs !== null ? <span className="muted">in {(e.importMs / 1000).toFixed(2)} s</span> : null}{' '}
          <span className="muted">by {e.toolVersion}</span>
        </dd>
        {e.evidenceSet ? (
          <>
            <dt>Evidence set</dt>
            <dd>{e.evidenceSet}</dd>
          </>
        ) : null}
        <dt>Clock offset</dt>
        <dd className="mono">{e.clockOffsetUs ? formatDuration(e.clockOffsetUs) : 'none recorded'}</dd>
        <dt>Flow times</dt>
        <dd className="mono"><TimeSpan first={e.firstUs} last={e.lastUs} precision="us" /></dd>
      </dl>
      <div>
        <h3>Facts</h3>
        <FactList rows={factRows(e.facts, tz)} testId="evidence-fact-rows" />
        <h3>Counters</h3>
        <FactList rows={counterRows(e.counters)} testId="evidence-counter-rows" />
      </div>
      <div>
        {e.overlaps.length ? (
          <>
            <h3>Overlapping evidence</h3>
            <ul className="issue-list ev-overlaps" data-testid="evidence-overlaps">
              {e.overlaps.map((o) => (
                <li key={o.otherId}>
                  Same traffic as <b>#{o.otherId} {o.otherName}</b>: {formatCount(o.conversations)} conversations ({formatCount(o.flows)} records here) seen by both.{' '}
                  {o.counted
                    ? 'Figures count this file\'s records for them.'
                    : `Figures count #${o.otherId}'s records for them; ${formatCount(o.shadowedFlows)} records of this file are left out of totals (choose “all records” in a view to include them).`}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h3>Issues {issueCounts.length ? `(${formatCount(issueCounts.reduce((s, [, n]) => s + n, 0))})` : ''}</h3>
        {issueCounts.length ? (
          <dl className="kv">
            {issueCounts.map(([k, v]) => (
              <Fragment key={k}>
                <dt><IssueCode code={k} /></dt>
                <dd><span className="mono">{formatCount(v)}</span> <IssueMeaning code={k} /></dd>
              </Fragment>
            ))}
          </dl>
        ) : (
          <p className="muted">none</p>
        )}
        {e.issues.length ? (
          <ul className="issue-list ev-issues">
            {e.issues.slice(0, 200).map((iss, i) => <IssueLine key={i} issue={iss} unit={e.positionUnit} />)}
            {e.issues.length > 200 ? <li className="muted">… {e.issues.length - 200} more kept in the case</li> : null}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
