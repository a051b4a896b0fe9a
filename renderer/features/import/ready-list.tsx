import { Fragment, useState } from 'react';
import type { FormatInfo } from '../../../core/api/contract';
import { Bytes } from '../../components/bytes';
import { formatCount } from '../../lib/format';
import { CsvMappingDialog } from './csv-mapping-dialog';
import { FormatOptions, ZoneList } from './format-options';
import { blockingProblem, candidateLabel, declaredOptions, groupImports, isImportable, type StagedFile } from './import-plan';
import type { Importer } from './use-import';

/**
 * "Ready to import": each picked file with its size, compression and the format the sniffer
 * chose, a selector of the other readings, and the options of the chosen format. "Import N
 * files" starts one job per (format, options) group.
 */
export function ReadyList({ importer, formats, disabled }: { importer: Importer; formats: FormatInfo[]; disabled: boolean }) {
  const staged = importer.staged ?? [];
  const [mapping, setMapping] = useState<string | null>(null);
  const importable = staged.filter(isImportable);
  const problems = importable.map((f) => [f, blockingProblem(f, formats)] as const).filter(([, p]) => p !== null);
  const groups = groupImports(staged, formats);
  const skipped = staged.length - importable.length;
  const mappingFile = staged.find((f) => f.path === mapping) ?? null;

  return (
    <div className="ready-list" data-testid="ready-list">
      <ZoneList />
      <div className="import-progress-head">
        <h3>Ready to import · {staged.length} file{staged.length === 1 ? '' : 's'}</h3>
        <span className="spacer" />
        <button type="button" className="link" onClick={importer.clearStaged} data-testid="clear-staged">
          Clear
        </button>
      </div>
      <table className="data ready-table">
        <thead>
          <tr>
            <th>File</th>
            <th className="num">Size</th>
            <th>Compression</th>
            <th>Read as</th>
            <th>Options</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {staged.map((f) => (
            <Fragment key={f.path}>
              <tr data-testid="ready-file" data-name={f.name} className={f.error || (!f.folder && f.format === null) ? 'failed' : ''}>
                <td className="ready-name" title={f.path}>
                  {f.name}
                  {f.folder ? '/' : ''}
                </td>
                <td className="num">{f.folder ? '' : <Bytes value={f.size} />}</td>
                <td>{f.compression ?? <span className="muted">none</span>}</td>
                <td>
                  {f.folder ? (
                    <span className="muted">folder: each file detected on its own (evidence set)</span>
                  ) : f.error ? (
                    <span className="bad">not readable</span>
                  ) : (
                    <FormatSelect file={f} formats={formats} onChange={(format) => importer.updateStaged(f.path, { format })} />
                  )}
                </td>
                <td className="ready-options">
                  {f.error || f.folder ? null : (
                    <FormatOptions
                      file={f}
                      declared={declaredOptions(f.format, formats)}
                      onOptions={(options) => importer.updateStaged(f.path, { options })}
                      onMapColumns={() => setMapping(f.path)}
                    />
                  )}
                </td>
                <td>
                  <button type="button" className="icon-button" onClick={() => importer.removeStaged(f.path)} aria-label={`Remove ${f.name}`} title="Leave this file out">
                    ×
                  </button>
                </td>
              </tr>
              {f.error ? (
                <tr className="result-detail">
                  <td colSpan={6}>
                    <div className="result-error" data-testid="sniff-error">{f.error}</div>
                  </td>
                </tr>
              ) : !f.folder && f.candidates.length === 0 ? (
                <tr className="result-detail">
                  <td colSpan={6}>
                    <div className={f.format ? 'muted' : 'result-error'} data-testid="sniff-error">
                      No format recognises this file.{' '}
                      {f.format ? `It will be read as ${f.format}, as you chose.` : 'Choose a format to force, or it is left out.'}
                    </div>
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
      <div className="ready-foot">
        <button
          type="button"
          className="primary"
          disabled={disabled || importable.length === 0 || problems.length > 0}
          onClick={() => void importer.importStaged(formats)}
          data-testid="import-staged"
        >
          Import {formatCount(importable.length)} file{importable.length === 1 ? '' : 's'}
        </button>
        <span className="muted">
          {groups.length > 1 ? `${groups.length} jobs, one per format and options: ${groups.map((g) => `${g.format ?? 'auto'} (${g.paths.length})`).join(', ')}. ` : ''}
          {skipped ? `${skipped} left out (not readable or no format). ` : ''}
        </span>
        {problems.length ? (
          <span className="bad" data-testid="ready-problem">
            {problems[0][0].name}: {problems[0][1]}
          </span>
        ) : null}
      </div>
      {mappingFile ? (
        <CsvMappingDialog
          file={mappingFile}
          onCancel={() => setMapping(null)}
          onOk={(m) => {
            setMapping(null);
            importer.updateStaged(mappingFile.path, { options: { ...mappingFile.options, mapping: m.mapping, preset: m.preset } });
          }}
        />
      ) : null}
    </div>
  );
}

function FormatSelect({ file, formats, onChange }: { file: StagedFile; formats: FormatInfo[]; onChange: (format: string | null) => void }) {
  const ids = new Set(file.candidates.map((c) => c.id));
  const others = formats.filter((x) => !ids.has(x.id));
  return (
    <select
      value={file.format ?? ''}
      onChange={(e) => onChange(e.target.value || null)}
      aria-label={`Format of ${file.name}`}
      data-testid="format-select"
      className={file.format === null ? 'invalid' : ''}
    >
      {file.candidates.length === 0 ? <option value="">— choose a format —</option> : null}
      {file.candidates.length ? (
        <optgroup label="Recognised (best first)">
          {file.candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {candidateLabel(c.id, c.label, file.candidates)}
            </option>
          ))}
        </optgroup>
      ) : null}
      <optgroup label={file.candidates.length ? 'Force another format' : 'Force a format'}>
        {others.map((x) => (
          <option key={x.id} value={x.id}>
            {x.label} ({x.id})
          </option>
        ))}
      </optgroup>
    </select>
  );
}
