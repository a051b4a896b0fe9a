import { useState } from 'react';
import type { CaseVerification, CustodyProgressEvent } from '../../../core/api/contract';
import { useApi } from '../../lib/api-context';
import { useAction, useApiEvent, useApiQuery } from '../../lib/hooks';

/**
 * Custody (#14), compact: the evidence files are re-hashed in the background on every open
 * (progress here), the stored rows and the audit chain are checked on demand; the latest
 * result and what changed. Each verification is stored in the case as a custody event.
 */
export function CustodyPanel({ generation, derivedStale }: { generation: string; derivedStale: number }) {
  const api = useApi();
  const status = useApiQuery('custody.status', {}, generation);
  const [progress, setProgress] = useState<CustodyProgressEvent | null>(null);
  const [result, setResult] = useState<CaseVerification | null>(null);
  const action = useAction();
  useApiEvent('custody.progress', (p) => setProgress(p.running ? p : null));
  useApiEvent('custody.done', (r) => setResult(r));
  const last = result ?? status.data?.last ?? null;
  const running = progress ?? (status.data?.running ? status.data.progress : null);
  const pct = running && running.total ? Math.floor((100 * running.done) / running.total) : null;
  return (
    <section className="panel custody-panel" data-testid="custody-panel" aria-label="Custody">
      <div className="custody-row">
        <strong>Custody</strong>
        {running ? (
          <span data-testid="custody-progress">checking {running.phase}{pct !== null ? ` ${pct}%` : ''}…</span>
        ) : last ? (
          <span className={last.ok ? 'custody-ok' : 'custody-bad'} data-testid="custody-result">
            {last.ok ? 'verified' : `${last.findings.length} problem(s)`}: {last.checks.join(', ')} at {new Date(last.atUs / 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC
          </span>
        ) : (
          <span>not verified yet in this session</span>
        )}
        {derivedStale > 0 && <span className="custody-bad">derived tables of {derivedStale} evidence file(s) are stale (rebuilt when the case is opened with write access)</span>}
        <button type="button" className="small" disabled={!!running || action.pending} data-testid="custody-verify"
          onClick={() => void action.run(async () => setResult(await api.invoke('custody.verify', {})))}>
          Verify rows and chain
        </button>
        {running && <button type="button" className="small" onClick={() => void api.invoke('custody.cancel', {})}>Cancel</button>}
      </div>
      {last && last.chain.headHash && <div className="custody-head mono" title="audit chain head (printed in every report)">chain head #{last.chain.headSeq} {last.chain.headHash}</div>}
      {last && !last.ok && (
        <ul className="custody-findings" data-testid="custody-findings">
          {last.findings.slice(0, 20).map((f, i) => <li key={i}>{f.message}</li>)}
        </ul>
      )}
      {action.error && <div className="error">{action.error.message}</div>}
    </section>
  );
}
