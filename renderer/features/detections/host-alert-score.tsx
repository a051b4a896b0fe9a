import { useApiQuery } from '../../lib/hooks';
import { useAnalysis } from '../pivot/analysis-state';
import { SEVERITY_COLORS } from './detection-logic';

/**
 * The host's alert score in the pivot: its strongest open detection (score and severity) and
 * how many there are, with a link to them in the detections view.
 */
export function HostAlertScore({ host, generation }: { host: string; generation: string }) {
  const { showDetections } = useAnalysis();
  const q = useApiQuery('detections.hostScores', { hosts: [host] }, generation);
  const s = q.data?.find((x) => x.host === host) ?? null;
  if (q.error || !q.data) return null;
  if (!s || s.detections === 0) {
    return <span className="alert-score none muted" data-testid="host-alert-score" data-score="0" title="No open detection names this host (or the detectors have not run)">no open detections</span>;
  }
  return (
    <button type="button" className="alert-score" data-testid="host-alert-score" data-score={s.score} data-severity={s.severity ?? ''}
      style={{ borderColor: s.severity ? SEVERITY_COLORS[s.severity] : undefined }}
      onClick={() => showDetections(host)} title={`Alert score: the strongest open detection involving ${host}. Click for its detections.`}>
      <span className="alert-score-value" style={{ background: s.severity ? SEVERITY_COLORS[s.severity] : undefined }}>
        alert {s.score.toFixed(2)}{s.severity ? ` · ${s.severity}` : ''}
      </span>
      <span className="alert-score-link">{s.detections} detection{s.detections === 1 ? '' : 's'} →</span>
    </button>
  );
}
