import { useState } from 'react';
import type { DetectionKind, Exclusion } from '../../../core/api/contract';
import { DETECTION_KINDS } from '../../../core/api/reference-data';
import { ErrorMessage } from '../../components/error-message';
import { Time } from '../../components/time';
import { useApi } from '../../lib/api-context';
import type { ApiError } from '../../lib/api-client';
import { useAction } from '../../lib/hooks';
import { useTimeZone } from '../../lib/time-zone';
import { kindLabel, scopeLabel } from './detection-logic';

/**
 * The case's exclusion lists: what each matches, why, when, from which detection; add one by
 * hand; remove one (it is deactivated, never deleted, and the detections it suppressed reopen).
 */
export function ExclusionsPanel({ exclusions, error, readOnly, onChanged }: {
  exclusions: readonly Exclusion[]; error: ApiError | null; readOnly: boolean; onChanged: (text: string) => void;
}) {
  const api = useApi();
  const tz = useTimeZone();
  const action = useAction();
  const [showRemoved, setShowRemoved] = useState(false);
  const shown = exclusions.filter((e) => showRemoved || e.active);
  const remove = async (e: Exclusion) => {
    const r = await action.run(() => api.invoke('exclusions.remove', { id: e.id }));
    if (r) onChanged(`Exclusion #${e.id} removed (${scopeLabel(e)}): the detections it suppressed are open again.`);
  };
  return (
    <div className="detections-side" data-testid="exclusions-panel">
      {error ? <ErrorMessage error={error} /> : null}
      {action.error ? <ErrorMessage error={action.error} onDismiss={action.clearError} /> : null}
      <div className="detections-toolbar">
        <span className="muted">An exclusion keeps matching detections out of the open list, in every later run too.</span>
        <span className="spacer" />
        <label className="check"><input type="checkbox" checked={showRemoved} onChange={(e) => setShowRemoved(e.target.checked)} /> show removed</label>
      </div>
      <table className="data" data-testid="exclusions-table">
        <thead><tr><th>#</th><th>Excludes</th><th>Reason</th><th>Added ({tz})</th><th>From</th><th>Status</th><th /></tr></thead>
        <tbody>
          {shown.map((e) => (
            <tr key={e.id} data-testid="exclusion-row" data-id={e.id} data-active={e.active} className={e.active ? '' : 'removed'}>
              <td className="num">{e.id}</td>
              <td data-testid="exclusion-scope">{scopeLabel(e)}</td>
              <td className="wrap">{e.reason}</td>
              <td><Time us={e.createdUs} precision="s" /></td>
              <td>{e.fromDetectionId !== null ? `detection #${e.fromDetectionId}` : <span className="muted">added by hand</span>}</td>
              <td>{e.active ? <span className="badge ok">active</span> : <span className="badge">removed</span>}</td>
              <td>
                {e.active ? (
                  <button type="button" className="small danger" disabled={readOnly || action.pending} onClick={() => void remove(e)} data-testid="exclusion-remove"
                    title="Deactivate it (kept in the case and the audit log); the detections it suppressed reopen">
                    Remove
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 ? <p className="muted">No exclusions{showRemoved ? '' : ' in force'}.</p> : null}
      {readOnly ? null : <AddExclusion onAdded={(e) => onChanged(`Exclusion #${e.id} added: ${scopeLabel(e)}.`)} />}
    </div>
  );
}

function AddExclusion({ onAdded }: { onAdded: (e: Exclusion) => void }) {
  const api = useApi();
  const action = useAction();
  const [detector, setDetector] = useState<DetectionKind | 'all'>('all');
  const [src, setSrc] = useState('');
  const [dst, setDst] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('');
  const [reason, setReason] = useState('');
  const portNum = port.trim() === '' ? null : Number(port);
  const badPort = portNum !== null && (!Number.isInteger(portNum) || portNum < 0 || portNum > 65535);
  const empty = !src.trim() && !dst.trim() && !host.trim() && portNum === null;
  const add = async () => {
    const scope = {
      detector,
      ...(src.trim() ? { src: src.trim() } : {}),
      ...(dst.trim() ? { dst: dst.trim() } : {}),
      ...(host.trim() ? { host: host.trim() } : {}),
      ...(portNum !== null ? { port: portNum } : {}),
    };
    const r = await action.run(() => api.invoke('exclusions.add', { scope, reason: reason.trim() }));
    if (r) {
      setSrc(''); setDst(''); setHost(''); setPort(''); setReason('');
      onAdded(r);
    }
  };
  return (
    <form className="panel add-exclusion" onSubmit={(e) => { e.preventDefault(); void add(); }} data-testid="exclusion-add">
      <h3>Add an exclusion</h3>
      <div className="add-exclusion-fields">
        <label><span>detector</span>
          <select value={detector} onChange={(e) => setDetector(e.target.value as DetectionKind | 'all')}>
            <option value="all">every detector</option>
            {DETECTION_KINDS.map((k) => <option key={k} value={k}>{kindLabel(k)}</option>)}
          </select>
        </label>
        <label><span>source (address or CIDR)</span><input className="mono" value={src} onChange={(e) => setSrc(e.target.value)} placeholder="10.0.0.9" /></label>
        <label><span>destination</span><input className="mono" value={dst} onChange={(e) => setDst(e.target.value)} placeholder="203.0.113.0/24" /></label>
        <label><span>either side</span><input className="mono" value={host} onChange={(e) => setHost(e.target.value)} placeholder="10.0.0.53" /></label>
        <label><span>port</span><input className="mono port-input" value={port} onChange={(e) => setPort(e.target.value)} placeholder="any" /></label>
        <label className="grow"><span>reason</span><input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. nightly backup to the DR site" /></label>
        <button type="submit" className="primary" disabled={action.pending || empty || badPort || !reason.trim()}
          title={empty ? 'Give at least a source, destination, host or port' : undefined}>
          Add
        </button>
      </div>
      {badPort ? <span className="error-message">a port is a whole number from 0 to 65535</span> : null}
      {action.error ? <ErrorMessage error={action.error} onDismiss={action.clearError} /> : null}
    </form>
  );
}
