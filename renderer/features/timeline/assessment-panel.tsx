import type { BreachAssessment } from '../../../core/api/contract';
import { BarChart } from '../../components/charts/bar-chart';
import { ErrorMessage } from '../../components/error-message';
import { formatBytes, formatCount, formatTime } from '../../lib/format';
import { useApiQuery } from '../../lib/hooks';
import { useTimeZone } from '../../lib/time-zone';

/**
 * The breach assessment of a host: what it sent after the compromise to destinations outside
 * the internal networks, by destination, with the qualifiers that must be stated with it.
 */
export function AssessmentPanel({ host, sinceUs, generation, onShowFlows }: {
  host: string; sinceUs: number; generation: string; onShowFlows: (filter: string) => void;
}) {
  const tz = useTimeZone();
  const q = useApiQuery('assess.run', { hosts: [host], sinceUs }, generation);
  const a: BreachAssessment | undefined = q.data;
  return (
    <section className="panel assessment-panel" data-testid="assessment-panel">
      <div className="panel-head"><h2>Breach assessment: {host}</h2><span className="muted">after {formatTime(sinceUs, tz, 's')} ({tz})</span></div>
      {q.error ? <ErrorMessage error={q.error} /> : null}
      {q.loading && !a ? <div className="panel-body muted">Assessing…</div> : null}
      {a ? (
        <div className="panel-body">
          <p className="assessment-figure" data-testid="assessment-figure">
            <strong>{formatCount(a.bytes_out)} bytes</strong> ({formatBytes(a.bytes_out)}) left {a.host} for {formatCount(a.destinations.length)} destinations outside
            the internal networks between {formatTime(a.since_us, tz, 's')} and {formatTime(a.until_us, tz, 's')}
            {a.coverage.sampled ? <> — an estimate: {formatCount(a.bytes_out_recorded)} bytes recorded, sampled records scaled</> : null}.
          </p>
          <h3>State this with the figure</h3>
          <ul className="qualifiers" data-testid="assessment-qualifiers">
            {a.qualifiers.map((x, i) => <li key={i} className={`q-${x.code}`}>{x.text}</li>)}
          </ul>
          {a.destinations.length ? (
            <>
              <h3>By destination</h3>
              <BarChart
                rows={a.destinations.slice(0, 15).map((d) => ({
                  key: d.addr, label: d.addr, parts: [{ value: d.bytes, color: '#b23a48', name: 'bytes sent' }],
                  note: `${formatBytes(d.bytes)}${d.sampled ? ' (estimate)' : ''}`,
                }))}
                format={formatBytes}
                ariaLabel={`Bytes ${host} sent by destination`}
                testId="assessment-destinations"
              />
              <table className="assessment-table">
                <thead><tr><th>Destination</th><th>Bytes</th><th>Recorded</th><th>Flows</th><th>First</th><th>Last</th><th>Services</th><th /></tr></thead>
                <tbody>
                  {a.destinations.map((d) => (
                    <tr key={d.addr}>
                      <td className="mono">{d.addr}</td>
                      <td className="num">{formatCount(d.bytes)}{d.sampled ? ' (estimate)' : ''}</td>
                      <td className="num">{formatCount(d.bytes_recorded)}</td>
                      <td className="num">{formatCount(d.flows)}</td>
                      <td className="mono">{formatTime(d.first_us, tz, 's')}</td>
                      <td className="mono">{formatTime(d.last_us, tz, 's')}</td>
                      <td>{d.services.slice(0, 5).join(', ')}</td>
                      <td><button type="button" className="link" onClick={() => onShowFlows(`host ${host} and host ${d.addr} and start >= ${new Date(a.since_us / 1000).toISOString()}`)}>flows</button></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
