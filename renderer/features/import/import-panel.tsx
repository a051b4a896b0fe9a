import { useState, type DragEvent } from 'react';
import type { EvidenceView, ImportFileResult, ImportProgressEvent } from '../../../core/api/contract';
import { Bytes } from '../../components/bytes';
import { ErrorMessage } from '../../components/error-message';
import { IssueLine } from '../../components/issue-line';
import { FileBrowser, uniquePlaces } from '../../components/file-browser';
import { ProgressBar } from '../../components/progress-bar';
import { toApiError, type ApiError } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { baseName, dirName, formatBytes, formatCompact, formatCount } from '../../lib/format';
import { useApiQuery } from '../../lib/hooks';
import { EvidenceFacts } from './evidence-facts';
import type { DecodeOptions } from './import-plan';
import { ReadyList } from './ready-list';
import type { Importer, JobState } from './use-import';
import './import.css';

/** How many issues of one file the results show inline (the evidence list has the rest). */
const SHOWN_ISSUES = 3;

/**
 * Drop zone and "Add evidence…"; picked files go to the "Ready to import" list (format and
 * options per file), then live per-job progress with Cancel, then per-file results with what
 * the import learned about each file.
 */
export function ImportPanel({ importer, casePath, homeDir, readOnly, evidenceDirs = [] }: {
  importer: Importer; casePath: string; homeDir: string | null; readOnly: boolean;
  /** Folders the case's evidence came from, most recent first: the dialog offers them. */
  evidenceDirs?: readonly string[];
}) {
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
      if (r && r.paths.length) await importer.stage(r.paths);
    } catch (e) {
      setPickError(toApiError(e));
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (busy) return;
    const files = Array.from(e.dataTransfer.files);
    if (files.length) void importer.stageDrop(files);
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
          {!readOnly && !importer.running ? (
            <div className="drop-formats muted">You see how each file will be read, and can change it, before anything is imported.</div>
          ) : null}
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
        {importer.sniffing ? (
          <div className="import-file muted" data-testid="sniffing">
            Reading the head of each file to recognise its format…
            <ProgressBar value={0} max={null} label="Recognising formats" />
          </div>
        ) : null}
        {importer.staged ? <ReadyList importer={importer} formats={formats.data ?? []} disabled={busy} /> : null}
        {importer.running ? <Progress jobs={importer.jobs} onCancel={(id) => void importer.cancel(id)} /> : null}
        {importer.results ? (
          <Results
            results={importer.results}
            jobKey={importer.jobs.map((j) => j.jobId).join(',')}
            cancelled={importer.cancelled}
            onDismiss={importer.dismiss}
            units={new Map((formats.data ?? []).map((f) => [f.id, f.positionUnit]))}
          />
        ) : null}
      </div>
      {browsing ? (
        <FileBrowser
          mode="evidence"
          startPath={evidenceDirs[0] || dirName(casePath) || homeDir}
          places={uniquePlaces([
            { label: 'Case folder', path: dirName(casePath) },
            ...evidenceDirs.slice(0, 6).map((d) => ({ label: baseName(d) || d, path: d })),
            homeDir ? { label: 'Home', path: homeDir } : null,
          ])}
          onCancel={() => setBrowsing(false)}
          onChoose={(paths) => {
            setBrowsing(false);
            void importer.stage(paths);
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

/** A file's phase; 'done' means stored: the run finishes after the derived tables (shown under the files). */
const PHASES: Record<ImportProgressEvent['phase'], string> = { hashing: 'hashing', decoding: 'decoding', committing: 'committing', done: 'stored', deriving: 'indexing' };

/** What the analyst is waiting for while a derived table is built. */
const STEP_TEXT: Record<string, string> = { 'host index': 'Building the host index (fast pivots)', sessions: 'Building sessions', 'flow bins': 'Counting records per minute (coverage)', detections: 'Re-running the detectors' };

/** Every job of the run (one per format and options), each with its files and its own Cancel. */
function Progress({ jobs, onCancel }: { jobs: JobState[]; onCancel: (jobId: string) => void }) {
  return (
    <div className="import-progress" data-testid="import-progress">
      {jobs.map((job, i) => (
        <JobProgress key={job.jobId ?? `pending-${i}`} job={job} index={i} count={jobs.length} onCancel={onCancel} />
      ))}
    </div>
  );
}

function JobProgress({ job, index, count, onCancel }: { job: JobState; index: number; count: number; onCancel: (jobId: string) => void }) {
  const files = job.files;
  const fileCount = files[0]?.fileCount ?? 0;
  const queued = job.running && files.length === 0;
  const what = count > 1 ? `Job ${index + 1} of ${count}${job.format ? ` · ${job.format}` : ''} · ` : '';
  return (
    <div className="import-job" data-testid="import-job" data-format={job.format ?? ''}>
      <div className="import-progress-head">
        <h3>
          {what}
          {job.running ? (queued && index > 0 ? 'Waiting' : job.deriving ? 'Building sessions and index' : 'Importing') : job.cancelled ? 'Cancelled' : 'Finished'}
          {fileCount ? ` · ${Math.min(files.length, fileCount)} of ${fileCount} file${fileCount === 1 ? '' : 's'}` : job.paths.length ? ` · ${job.paths.length} file${job.paths.length === 1 ? '' : 's'}` : ''}
          {job.options ? <span className="job-options"> · {optionText(job.options)}</span> : null}
        </h3>
        <span className="spacer" />
        {job.running ? (
          <button type="button" className="danger" onClick={() => job.jobId && onCancel(job.jobId)} disabled={!job.jobId} data-testid="cancel-import">
            Cancel
          </button>
        ) : null}
      </div>
      {queued ? <ProgressBar value={0} max={null} label={index > 0 ? 'Waiting for the previous job' : 'Starting import'} /> : null}
      {files.map((f) => (
        <div className="import-file" key={`${f.fileIndex}:${f.path}`}>
          <div className="import-file-head">
            <span className="import-name" title={f.path}>{baseName(f.path)}</span>
            <span className={`badge ${f.phase === 'done' ? 'ok' : ''}`} data-testid="import-file-phase">{PHASES[f.phase]}</span>
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
      {job.running && job.deriving ? (
        <div className="import-file" data-testid="import-deriving" data-step={job.deriving.step ?? ''}>
          <div className="import-file-head">
            <span className="import-name">{STEP_TEXT[job.deriving.step ?? ''] ?? `Building ${job.deriving.step ?? 'derived tables'}`}…</span>
            <span className="badge">step {(job.deriving.stepIndex ?? 0) + 1} of {job.deriving.stepCount ?? 1}</span>
            <span className="spacer" />
            <span className="muted">the evidence is stored; views are ready when this finishes</span>
          </div>
          <ProgressBar value={job.deriving.stepIndex ?? 0} max={job.deriving.stepCount ?? null} label="Building derived tables" />
        </div>
      ) : null}
    </div>
  );
}

/** A job's options in one line (`idle 60 s`, `date 2006-03-27`, `mapped columns`). */
function optionText(o: DecodeOptions): string {
  const parts: string[] = [];
  if (o.idleTimeoutS !== undefined) parts.push(`idle ${o.idleTimeoutS} s`);
  if (o.activeTimeoutS !== undefined) parts.push(`active ${o.activeTimeoutS} s`);
  if (o.date) parts.push(`date ${o.date}`);
  if (o.timeZone) parts.push(`zone ${o.timeZone}`);
  if (o.mapping) parts.push('mapped columns');
  if (o.preset) parts.push(`preset ${o.preset}`);
  return parts.join(', ');
}

type Units = Map<string, 'byte' | 'line'>;

function Results({ results, jobKey, cancelled, onDismiss, units }: { results: ImportFileResult[]; jobKey: string; cancelled: boolean; onDismiss: () => void; units: Units }) {
  const ok = results.filter((r) => r.ok).length;
  // The evidence rows hold what each import learned (facts, counters); read once per finished run.
  const evidence = useApiQuery('evidence.list', {}, jobKey, ok > 0);
  const byId = new Map((evidence.data ?? []).map((e) => [e.evidenceId, e]));
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
            <ResultRows key={`${i}:${r.path}`} r={r} unit={units.get(r.format ?? '') ?? 'byte'} evidence={r.evidenceId !== undefined ? byId.get(r.evidenceId) : undefined} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResultRows({ r, unit, evidence }: { r: ImportFileResult; unit: 'byte' | 'line'; evidence: EvidenceView | undefined }) {
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
      {evidence ? (
        <tr className="result-detail">
          <td colSpan={7}>
            <EvidenceFacts evidence={evidence} />
          </td>
        </tr>
      ) : null}
      {issues.length ? (
        <tr className="result-detail">
          <td colSpan={7}>
            <ul className="issue-list">
              {issues.slice(0, SHOWN_ISSUES).map((iss, j) => <IssueLine key={j} issue={iss} unit={unit} />)}
              {issues.length > SHOWN_ISSUES ? <li className="muted">… {issues.length - SHOWN_ISSUES} more in the evidence list</li> : null}
            </ul>
          </td>
        </tr>
      ) : null}
    </>
  );
}
