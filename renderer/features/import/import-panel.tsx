import { useState, type DragEvent } from 'react';
import type { ImportFileResult, ImportProgressEvent, IssueView } from '../../../core/api/contract';
import { Bytes } from '../../components/bytes';
import { ErrorMessage } from '../../components/error-message';
import { FileBrowser } from '../../components/file-browser';
import { ProgressBar } from '../../components/progress-bar';
import { toApiError, type ApiError } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { baseName, dirName, formatBytes, formatCompact, formatCount } from '../../lib/format';
import { useApiQuery } from '../../lib/hooks';
import type { Importer } from './use-import';
import './import.css';

/** How many issues of one file the results show inline (the evidence list has the rest). */
const SHOWN_ISSUES = 3;

/** Drop zone, "Add evidence…", live per-file progress with Cancel, then per-file results. */
export function ImportPanel({ importer, casePath, homeDir, readOnly }: { importer: Importer; casePath: string; homeDir: string | null; readOnly: boolean }) {
  const api = useApi();
  const formats = useApiQuery('formats.list', {});
  const [browsing, setBrowsing] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [pickError, setPickError] = useState<ApiError | null>(null);
  const busy = importer.running || readOnly;

  const add = async () => {
    setPickError(null);
    if (api.transport === 'web') {
      setBrowsing(true);
      return;
    }
    try {
      const r = await api.invoke('dialog.pickEvidence', {});
      if (r && r.paths.length) await importer.start(r.paths);
    } catch (e) {
      setPickError(toApiError(e));
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (busy) return;
    const files = Array.from(e.dataTransfer.files);
    if (files.length) void importer.startDrop(files);
  };

  return (
    <section className="panel import-panel" data-testid="import-panel">
      <div className="panel-head">
        <h2>Import evidence</h2>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => void add()} disabled={busy} data-testid="add-evidence">
          Add evidence…
        </button>
      </div>
      <div className="panel-body">
        <div
          className={`drop-zone ${dragging ? 'over' : ''} ${busy ? 'busy' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="drop-zone"
        >
          <div className="drop-title">
            {readOnly ? 'This case is open read-only: imports are disabled' : importer.running ? 'Import running…' : 'Drop capture and flow files here'}
          </div>
          <div className="drop-formats muted">
            {formats.data && formats.data.length ? (
              <>
                Reads{' '}
                {formats.data.map((f, i) => (
                  <span key={f.id} title={`${f.label}${f.extensions.length ? ` (${f.extensions.join(', ')})` : ''}`} className="format-id">
                    {i ? ' · ' : ''}
                    {f.id}
                  </span>
                ))}
              </>
            ) : (
              'pcap, pcapng, NetFlow, IPFIX, nfcapd, Argus, Zeek conn.log, CSV …'
            )}
            {' — '}also gzip, bzip2 or zstd compressed.
            {api.transport === 'web' ? ' Dropped files are copied beside the case first.' : ''}
          </div>
        </div>
        <ErrorMessage error={importer.error ?? pickError} title="Import failed" onDismiss={importer.error ? importer.dismiss : undefined} />
        {importer.uploading ? <UploadRow u={importer.uploading} /> : null}
        {importer.running && !importer.uploading ? (
          <Progress files={importer.files} running={importer.running} onCancel={() => void importer.cancel()} />
        ) : null}
        {importer.results ? (
          <Results
            results={importer.results}
            cancelled={importer.cancelled}
            onDismiss={importer.dismiss}
            units={new Map((formats.data ?? []).map((f) => [f.id, f.positionUnit]))}
          />
        ) : null}
      </div>
      {browsing ? (
        <FileBrowser
          mode="evidence"
          startPath={dirName(casePath) || homeDir}
          onCancel={() => setBrowsing(false)}
          onChoose={(paths) => {
            setBrowsing(false);
            void importer.start(paths);
          }}
        />
      ) : null}
    </section>
  );
}

function UploadRow({ u }: { u: UploadState }) {
  return (
    <div className="import-file">
      <div className="import-file-head">
        <span className="import-name">{u.name}</span>
        <span className="badge">uploading</span>
        <span className="spacer" />
        <span className="mono muted">
          {formatBytes(u.sent)} / {formatBytes(u.total)}
        </span>
      </div>
      <ProgressBar value={u.sent} max={u.total} label={`Uploading ${u.name}`} />
    </div>
  );
}
type UploadState = NonNullable<Importer['uploading']>;

const PHASES: Record<ImportProgressEvent['phase'], string> = { hashing: 'hashing', decoding: 'decoding', committing: 'committing', done: 'done' };

function Progress({ files, running, onCancel }: { files: ImportProgressEvent[]; running: boolean; onCancel: () => void }) {
  const count = files[0]?.fileCount ?? 0;
  return (
    <div className="import-progress" data-testid="import-progress">
      <div className="import-progress-head">
        <h3>{running ? 'Importing' : 'Import finished'}{count ? ` · ${Math.min(files.length, count)} of ${count} file${count === 1 ? '' : 's'}` : ''}</h3>
        <span className="spacer" />
        {running ? (
          <button type="button" className="danger" onClick={onCancel} data-testid="cancel-import">
            Cancel
          </button>
        ) : null}
      </div>
      {running && files.length === 0 ? <ProgressBar value={0} max={null} label="Starting import" /> : null}
      {files.map((f) => (
        <div className="import-file" key={`${f.fileIndex}:${f.path}`}>
          <div className="import-file-head">
            <span className="import-name" title={f.path}>{baseName(f.path)}</span>
            <span className={`badge ${f.phase === 'done' ? 'ok' : ''}`}>{PHASES[f.phase]}</span>
            <span className="spacer" />
            <span className="import-stats mono">
              <span title={`${formatCount(f.bytesRead)} of ${formatCount(f.totalBytes)} bytes`}>
                {formatBytes(f.bytesRead)} / {formatBytes(f.totalBytes)}
              </span>
              <span>{formatCount(f.records)} records</span>
              <span>{formatCompact(f.recordsPerSecond)} rec/s</span>
              <span className={f.rejected ? 'bad' : ''}>{formatCount(f.rejected)} rejected</span>
              <span>{(f.elapsedMs / 1000).toFixed(1)} s</span>
            </span>
          </div>
          <ProgressBar value={f.bytesRead} max={f.phase === 'committing' ? null : f.totalBytes} label={`Import of ${baseName(f.path)}`} />
        </div>
      ))}
    </div>
  );
}

/** Where an issue is: a byte offset or a line number, depending on the format. */
export function issuePlace(issue: IssueView, unit: 'byte' | 'line' = 'byte'): string {
  return unit === 'line' ? `line ${formatCount(issue.offset)}` : `byte ${formatCount(issue.offset)}`;
}

type Units = Map<string, 'byte' | 'line'>;

function Results({ results, cancelled, onDismiss, units }: { results: ImportFileResult[]; cancelled: boolean; onDismiss: () => void; units: Units }) {
  const ok = results.filter((r) => r.ok).length;
  return (
    <div className="import-results" data-testid="import-results">
      <div className="import-progress-head">
        <h3>
          Results · {ok} of {results.length} imported{cancelled ? ' · cancelled' : ''}
        </h3>
        <span className="spacer" />
        <button type="button" className="link" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <table className="data">
        <thead>
          <tr>
            <th>File</th>
            <th>Result</th>
            <th>Format</th>
            <th className="num">Records</th>
            <th className="num">Rejected</th>
            <th className="num">Size</th>
            <th className="num">Time</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r, i) => (
            <ResultRows key={`${i}:${r.path}`} r={r} unit={units.get(r.format ?? '') ?? 'byte'} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResultRows({ r, unit }: { r: ImportFileResult; unit: 'byte' | 'line' }) {
  const issues = r.issues ?? [];
  return (
    <>
      <tr className={r.ok ? '' : 'failed'}>
        <td title={r.path}>{baseName(r.path)}</td>
        <td>{r.ok ? <span className="badge ok">imported</span> : <span className="badge bad">{r.error?.code ?? 'failed'}</span>}</td>
        <td>{r.format ?? ''}</td>
        <td className="num">{formatCount(r.records)}</td>
        <td className={`num ${r.rejected ? 'bad' : ''}`}>{formatCount(r.rejected)}</td>
        <td className="num"><Bytes value={r.bytes} /></td>
        <td className="num">{r.ms !== undefined ? `${(r.ms / 1000).toFixed(2)} s` : ''}</td>
      </tr>
      {r.error ? (
        <tr className="result-detail">
          <td colSpan={7}>
            <div className="result-error">
              {r.error.message}
              {r.error.offset !== undefined ? <span className="mono muted"> (at byte {formatCount(r.error.offset)})</span> : null}
            </div>
          </td>
        </tr>
      ) : null}
      {issues.length ? (
        <tr className="result-detail">
          <td colSpan={7}>
            <ul className="issue-list">
              {issues.slice(0, SHOWN_ISSUES).map((iss, j) => (
                <li key={j}>
                  <span className="issue-code">{iss.code}</span> <span className="mono muted">{issuePlace(iss, unit)}</span> {iss.message}
                </li>
              ))}
              {issues.length > SHOWN_ISSUES ? <li className="muted">… {issues.length - SHOWN_ISSUES} more in the evidence list</li> : null}
            </ul>
          </td>
        </tr>
      ) : null}
    </>
  );
}
