import { useState } from 'react';
import type { ExportFormat, ExportKind } from '../../core/api/contract';
import { useApi } from '../lib/api-context';
import { formatCount } from '../lib/format';
import { useAction } from '../lib/hooks';
import { CopyButton } from './copy-button';
import { ErrorMessage } from './error-message';

const FORMATS: { id: ExportFormat; label: string }[] = [
  { id: 'csv', label: 'CSV' },
  { id: 'json', label: 'JSON' },
  { id: 'timesketch', label: 'Timesketch JSONL' },
  { id: 'timesketch-csv', label: 'Timesketch CSV' },
];

export interface ExportSelection {
  filter?: string;
  fromUs?: number;
  toUs?: number;
  hosts?: string[];
  states?: string[];
}

/**
 * Export of a view's rows (flows, sessions, detections, timeline) as CSV, JSON or Timesketch
 * JSONL/CSV. The core writes the file beside the case (in `<case>.exports/`) and says where.
 */
export function ExportMenu({ kind, selection }: { kind: ExportKind; selection: ExportSelection }) {
  const api = useApi();
  const action = useAction();
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [done, setDone] = useState<{ path: string; rows: number } | null>(null);
  const run = async () => {
    setDone(null);
    const r = await action.run(() => api.invoke('export.write', { kind, format, ...selection }));
    if (r) setDone({ path: r.path, rows: r.rows });
  };
  return (
    <span className="export-menu" data-testid={`export-${kind}`}>
      <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} aria-label={`Export ${kind} as`}>
        {FORMATS.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
      </select>
      <button type="button" onClick={() => void run()} disabled={action.pending}>{action.pending ? 'Exporting…' : 'Export'}</button>
      {done ? (
        <span className="export-done muted" data-testid="export-done" title={done.path}>
          {formatCount(done.rows)} rows → <span className="mono">{done.path}</span> <CopyButton text={done.path} />
        </span>
      ) : null}
      {action.error ? <ErrorMessage error={action.error} onDismiss={action.clearError} /> : null}
    </span>
  );
}
