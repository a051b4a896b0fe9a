import { useMemo, useState } from 'react';
import type { DetectorThreshold } from '../../../core/api/contract';
import { ErrorMessage } from '../../components/error-message';
import { useApi } from '../../lib/api-context';
import { useAction, useApiQuery } from '../../lib/hooks';
import { kindLabel } from './detection-logic';

/**
 * Each detector's thresholds with their defaults and help; a change is saved per threshold
 * (audited by the core) and used by the next run.
 */
export function ThresholdsPanel({ generation, readOnly, onChanged }: { generation: string; readOnly: boolean; onChanged: () => void }) {
  const [tick, setTick] = useState(0);
  const q = useApiQuery('detections.thresholds', {}, `${generation}-${tick}`);
  const byDetector = useMemo(() => {
    const m = new Map<string, DetectorThreshold[]>();
    for (const t of q.data ?? []) m.set(t.detector, [...(m.get(t.detector) ?? []), t]);
    return [...m.entries()];
  }, [q.data]);
  return (
    <div className="detections-side" data-testid="thresholds-panel">
      {q.error ? <ErrorMessage error={q.error} /> : null}
      <p className="muted">Changed thresholds apply from the next run; the run records the values it used, and every change is in the audit log.</p>
      {q.data && !q.data.length ? <p className="muted">The detectors publish no thresholds yet.</p> : null}
      <table className="data thresholds-table">
        <thead><tr><th>Detector</th><th>Threshold</th><th className="num">value</th><th className="num">default</th><th>What it means</th><th /></tr></thead>
        <tbody>
          {byDetector.map(([det, list]) => list.map((t, i) => (
            <ThresholdRow key={`${det}/${t.name}/${t.value}`} t={t} first={i === 0} rows={list.length} readOnly={readOnly}
              onSaved={() => { setTick((x) => x + 1); onChanged(); }} />
          )))}
        </tbody>
      </table>
    </div>
  );
}

function ThresholdRow({ t, first, rows, readOnly, onSaved }: { t: DetectorThreshold; first: boolean; rows: number; readOnly: boolean; onSaved: () => void }) {
  const api = useApi();
  const action = useAction();
  const [text, setText] = useState(String(t.value));
  const n = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(n);
  const changed = valid && n !== t.value;
  const save = async (value: number | null) => {
    const r = await action.run(() => api.invoke('detections.setThreshold', { detector: t.detector, name: t.name, value }));
    if (r) { setText(String(r.value)); onSaved(); }
  };
  return (
    <tr data-testid="threshold-row" data-detector={t.detector} data-name={t.name} className={t.value !== t.defaultValue ? 'modified' : ''}>
      {first ? <td rowSpan={rows} className="threshold-detector">{kindLabel(t.detector)}</td> : null}
      <td className="mono">{t.name}</td>
      <td className="num">
        <input className="mono threshold-input" value={text} onChange={(e) => setText(e.target.value)} disabled={readOnly} aria-label={`${t.detector} ${t.name}`}
          onKeyDown={(e) => { if (e.key === 'Enter' && changed) void save(n); }} />
      </td>
      <td className="num muted">{t.defaultValue}</td>
      <td className="wrap">{t.help}{action.error ? <ErrorMessage error={action.error} onDismiss={action.clearError} /> : null}{!valid ? <span className="error-message"> not a number</span> : null}</td>
      <td>
        <button type="button" className="small" disabled={readOnly || !changed || action.pending} onClick={() => void save(n)}>Save</button>
        <button type="button" className="small" disabled={readOnly || t.value === t.defaultValue || action.pending} onClick={() => void save(null)} title={`Back to the default, ${t.defaultValue}`}>Default</button>
      </td>
    </tr>
  );
}
