import { useEffect, useMemo, useState } from 'react';
import type { Detection, Exclusion } from '../../../core/api/contract';
import { ErrorMessage } from '../../components/error-message';
import { Modal } from '../../components/modal';
import { useApi } from '../../lib/api-context';
import { useAction, useApiQuery } from '../../lib/hooks';
import { kindLabel, narrowestFirst, scopeKey, scopeLabel } from './detection-logic';

/**
 * "Not malicious": the exclusions this detection implies (from the core, narrowest first),
 * the analyst picks the scope and says why; confirming adds the exclusion and suppresses every
 * detection it matches (they move to Suppressed, never deleted).
 */
export function SuppressDialog({ detection: d, onClose, onDone }: {
  detection: Detection; onClose: () => void; onDone: (r: { exclusion: Exclusion; suppressed: number }) => void;
}) {
  const api = useApi();
  const action = useAction();
  const proposals = useApiQuery('detections.proposeExclusions', { id: d.id });
  const scopes = useMemo(() => narrowestFirst(proposals.data ?? []), [proposals.data]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (chosen === null && scopes.length) setChosen(scopeKey(scopes[0]));
  }, [scopes, chosen]);
  const scope = scopes.find((s) => scopeKey(s) === chosen) ?? null;
  const confirm = async () => {
    if (!scope) return;
    const r = await action.run(() => api.invoke('detections.suppress', { id: d.id, scope, reason: reason.trim() }));
    if (r) onDone(r);
  };
  return (
    <Modal
      title={`Not malicious: ${kindLabel(d.kind)} #${d.id}`}
      onClose={onClose}
      wide
      footer={<>
        <span className="muted small">The exclusion is written to the audit log; removing it later reopens what it suppressed.</span>
        <span className="spacer" style={{ flex: 1 }} />
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" disabled={!scope || !reason.trim() || action.pending} onClick={() => void confirm()} data-testid="suppress-confirm">
          {action.pending ? 'Suppressing…' : 'Add exclusion and suppress'}
        </button>
      </>}
    >
      <div className="suppress-dialog" data-testid="suppress-dialog">
        <p className="detection-reason">{d.summary}</p>
        <h3>Exclude (narrowest first)</h3>
        {proposals.error ? <ErrorMessage error={proposals.error} /> : null}
        {proposals.loading && !proposals.data ? <p className="muted">Working out the scopes…</p> : null}
        {proposals.data && !scopes.length ? <p className="muted">The core proposes no exclusion for this detection.</p> : null}
        <div className="scope-options" role="radiogroup" aria-label="Exclusion scope">
          {scopes.map((s, i) => (
            <label key={scopeKey(s)} className={`scope-option ${chosen === scopeKey(s) ? 'on' : ''}`} data-testid="scope-option" data-detector={s.detector}>
              <input type="radio" name="scope" checked={chosen === scopeKey(s)} onChange={() => setChosen(scopeKey(s))} />
              <span>{scopeLabel(s)}</span>
              {i === 0 ? <span className="badge ok">narrowest</span> : null}
              {i === scopes.length - 1 && scopes.length > 1 ? <span className="badge warn">widest</span> : null}
            </label>
          ))}
        </div>
        <label className="note-field">
          <span>Why it is not malicious (kept with the exclusion)</span>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} data-testid="suppress-reason"
            placeholder="e.g. the authorized vulnerability scanner (change 4711)" />
        </label>
        {action.error ? <ErrorMessage error={action.error} onDismiss={action.clearError} /> : null}
      </div>
    </Modal>
  );
}
