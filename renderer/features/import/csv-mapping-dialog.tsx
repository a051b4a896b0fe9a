import { useEffect, useRef, useState } from 'react';
import type { CsvPreviewView } from '../../../core/api/contract';
import { ErrorMessage } from '../../components/error-message';
import { Modal } from '../../components/modal';
import { toApiError, type ApiError } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { endpoint, formatCount, protoName } from '../../lib/format';
import { ZoneInput, ZoneList } from './format-options';
import { separatorName, type CsvMappingOption, type StagedFile } from './import-plan';

type ColumnField = Exclude<keyof CsvMappingOption, 'durationUnit' | 'timeFormat' | 'timeZone' | 'keepColumns'>;

/** The flow fields a column can fill, in the order an analyst reads a flow. */
const FIELDS: readonly { key: ColumnField; label: string; required?: boolean }[] = [
  { key: 'startTime', label: 'Start time', required: true },
  { key: 'endTime', label: 'End time' },
  { key: 'duration', label: 'Duration' },
  { key: 'srcAddr', label: 'Source address', required: true },
  { key: 'srcPort', label: 'Source port' },
  { key: 'dstAddr', label: 'Destination address', required: true },
  { key: 'dstPort', label: 'Destination port' },
  { key: 'proto', label: 'Protocol' },
  { key: 'packets', label: 'Packets' },
  { key: 'bytes', label: 'Bytes' },
  { key: 'revPackets', label: 'Reverse packets' },
  { key: 'revBytes', label: 'Reverse bytes' },
  { key: 'tcpFlags', label: 'TCP flags' },
  { key: 'tos', label: 'ToS' },
  { key: 'inIf', label: 'Input interface' },
  { key: 'outIf', label: 'Output interface' },
  { key: 'srcAs', label: 'Source AS' },
  { key: 'dstAs', label: 'Destination AS' },
  { key: 'exporter', label: 'Exporter' },
  { key: 'label', label: 'Label' },
];

const TIME_FORMATS: readonly { id: NonNullable<CsvMappingOption['timeFormat']>; label: string }[] = [
  { id: 'auto', label: 'auto (detect)' },
  { id: 'iso', label: 'ISO (YYYY-MM-DD hh:mm:ss)' },
  { id: 'epoch-s', label: 'epoch seconds' },
  { id: 'epoch-ms', label: 'epoch milliseconds' },
  { id: 'epoch-us', label: 'epoch microseconds' },
  { id: 'dmy', label: 'day/month/year' },
  { id: 'mdy', label: 'month/day/year' },
];

const KNOWN_KEYS = new Set<string>([...FIELDS.map((f) => f.key), 'durationUnit', 'timeFormat', 'timeZone', 'keepColumns']);

/** A mapping as the preview reported it, reduced to what the contract accepts. */
function cleanMapping(m: Record<string, unknown> | null | undefined): CsvMappingOption {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m ?? {})) {
    if (!KNOWN_KEYS.has(k) || v === undefined || v === null || v === '') continue;
    if (k === 'keepColumns' && v !== 'all' && !Array.isArray(v)) continue;
    out[k] = v;
  }
  return out as CsvMappingOption;
}

export interface MappingChoice {
  /** The mapping to store; undefined keeps automatic recognition (and a preset's own readings). */
  mapping: CsvMappingOption | undefined;
  preset: string | undefined;
}

/**
 * Which column is which flow field, for a CSV: shows what `import.preview` detected (separator,
 * preset or guess, columns), lets the analyst change the mapping, and re-previews the first rows
 * as the import will read them after every change.
 */
export function CsvMappingDialog({ file, onOk, onCancel }: { file: StagedFile; onOk: (c: MappingChoice) => void; onCancel: () => void }) {
  const api = useApi();
  const [preview, setPreview] = useState<CsvPreviewView | null>(null);
  const [first, setFirst] = useState<CsvPreviewView | null>(null);
  const [draft, setDraft] = useState<CsvMappingOption | null>(file.options.mapping ?? null);
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  /** The draft as taken from a preview: previewing it again would only drop a preset's own readings. */
  const fromPreview = useRef<string | null>(null);

  // Preview with the draft: at once the first time, then shortly after the last change.
  const draftKey = JSON.stringify(draft);
  useEffect(() => {
    if (draftKey === fromPreview.current) {
      fromPreview.current = null;
      return;
    }
    const mine = ++seq.current;
    const run = () => {
      setLoading(true);
      // An empty draft asks for detection, whose message says more than "the mapping needs startTime".
      const mapping = draft && Object.keys(draft).length ? draft : undefined;
      api.invoke('import.preview', { path: file.path, ...(mapping ? { mapping } : {}) }).then(
        (p) => {
          if (mine !== seq.current) return;
          setPreview(p);
          setError(null);
          setLoading(false);
          if (!first) setFirst(p);
          if (!draft) {
            const d = cleanMapping(p.mapping);
            fromPreview.current = JSON.stringify(d);
            setDraft(d);
          }
        },
        (e: unknown) => {
          if (mine !== seq.current) return;
          setError(toApiError(e));
          setLoading(false);
        },
      );
    };
    if (!first) {
      run();
      return;
    }
    const t = setTimeout(run, 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- draftKey stands for the draft (compared by content); the first preview runs at once, later ones debounced
  }, [api, file.path, draftKey]);

  const change = (patch: Partial<CsvMappingOption>) => {
    setTouched(true);
    setDraft((d) => cleanMapping({ ...(d ?? {}), ...patch }));
  };

  const m = draft ?? {};
  const columns = preview?.columns ?? [];
  const missing = FIELDS.filter((f) => f.required && !m[f.key]).map((f) => f.label.toLowerCase());
  const canOk = !!preview && !preview.mappingError && missing.length === 0;
  // What recognition makes of the header without a mapping: from the list's own check when the
  // dialog opens on a saved mapping (its first preview then reads that mapping, not a preset).
  const base = first ?? preview;
  const detected = base && file.csv ? { ...base, preset: file.csv.preset, guessed: file.csv.guessed } : base;

  const ok = () => {
    // An untouched preset mapping is left to the importer: the preset also reads things a
    // column mapping cannot say (nfdump's ICMP type/code in the port, CICFlowMeter's payload bytes).
    if (!touched && !file.options.mapping && detected?.preset) onOk({ mapping: undefined, preset: undefined });
    else onOk({ mapping: draft ?? undefined, preset: undefined });
  };

  const footer = (
    <>
      <span className="muted">{loading ? 'Reading…' : preview ? `${preview.rows.filter((r) => r.flow).length} of ${preview.rows.length} rows read` : ''}</span>
      <span className="spacer" style={{ flex: 1 }} />
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="button" className="primary" disabled={!canOk} onClick={ok} data-testid="mapping-ok">
        OK
      </button>
    </>
  );

  return (
    <Modal title={`Map columns · ${file.name}`} onClose={onCancel} footer={footer} wide>
      <ZoneList />
      <div className="csv-mapping" data-testid="csv-mapping">
        <ErrorMessage error={error} />
        {detected ? (
          <div className="csv-detected" data-testid="csv-detected">
            <span>
              Separator <b>{separatorName(detected.separator)}</b>
            </span>
            <span>
              {detected.preset ? (
                <>
                  Preset <b>{detected.preset === 'cicflowmeter' ? 'CICFlowMeter' : detected.preset}</b>
                </>
              ) : detected.guessed ? (
                <b>guessed from the column names</b>
              ) : (
                <b>no preset, no guess: map the columns</b>
              )}
            </span>
            <span className="csv-columns" title={detected.columns.join(', ')}>
              {formatCount(detected.columns.length)} columns: <span className="mono">{detected.columns.join(', ')}</span>
            </span>
          </div>
        ) : (
          <p className="muted">Reading the head of the file…</p>
        )}
        {preview ? (
          <>
            <div className="csv-fields">
              {FIELDS.map((f) => (
                <label key={f.key} className={`csv-field ${f.required && !m[f.key] ? 'required' : ''}`}>
                  <span>
                    {f.label}
                    {f.required ? ' *' : ''}
                  </span>
                  <select value={m[f.key] ?? ''} onChange={(e) => change({ [f.key]: e.target.value || undefined })} data-testid={`map-${f.key}`}>
                    <option value="">—</option>
                    {[...columns, ...(m[f.key] && !columns.some((c) => c.trim() === m[f.key]) ? [m[f.key]!] : [])].map((c, i) => (
                      <option key={`${i}:${c}`} value={c.trim()}>
                        {c.trim()}
                      </option>
                    ))}
                  </select>
                  {f.key === 'duration' ? (
                    <select
                      value={m.durationUnit ?? 's'}
                      onChange={(e) => change({ durationUnit: e.target.value as CsvMappingOption['durationUnit'] })}
                      aria-label="Duration unit"
                      data-testid="map-durationUnit"
                    >
                      <option value="s">s</option>
                      <option value="ms">ms</option>
                      <option value="us">µs</option>
                    </select>
                  ) : null}
                </label>
              ))}
              <label className="csv-field">
                <span>Time format</span>
                <select
                  value={m.timeFormat ?? 'auto'}
                  onChange={(e) => change({ timeFormat: e.target.value as CsvMappingOption['timeFormat'] })}
                  data-testid="map-timeFormat"
                >
                  {TIME_FORMATS.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.label}
                    </option>
                  ))}
                </select>
              </label>
              <div className="csv-field">
                <ZoneInput value={m.timeZone} onChange={(v) => change({ timeZone: v })} placeholder="UTC" title="Zone of times written without an offset (IANA name); default UTC" />
              </div>
            </div>
            {preview.mappingError ? (
              <div className="result-error" data-testid="mapping-error">
                {preview.mappingError}
              </div>
            ) : missing.length ? (
              <div className="result-error">Choose the {missing.join(', ')} column{missing.length === 1 ? '' : 's'}.</div>
            ) : null}
            <PreviewRows preview={preview} />
          </>
        ) : null}
      </div>
    </Modal>
  );
}

/** The first rows as the import will read them, or why a row does not read. */
function PreviewRows({ preview }: { preview: CsvPreviewView }) {
  return (
    <div className="csv-preview">
      <table className="data" data-testid="csv-preview">
        <thead>
          <tr>
            <th className="num">Line</th>
            <th>Start (UTC)</th>
            <th>Flow</th>
            <th>Proto</th>
            <th className="num">Packets</th>
            <th className="num">Bytes</th>
          </tr>
        </thead>
        <tbody>
          {preview.rows.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                No data rows in the head of the file.
              </td>
            </tr>
          ) : null}
          {preview.rows.map((r) =>
            r.flow ? (
              <tr key={r.line} data-testid="preview-row" title={r.fields.join(' | ')}>
                <td className="num">{r.line}</td>
                <td className="mono">{r.flow.start}</td>
                <td className="mono">
                  {endpoint(r.flow.src, r.flow.srcPort)} → {endpoint(r.flow.dst, r.flow.dstPort)}
                </td>
                <td>{protoName(r.flow.proto)}</td>
                <td className="num">{formatCount(r.flow.packets)}</td>
                <td className="num">{formatCount(r.flow.bytes)}</td>
              </tr>
            ) : (
              <tr key={r.line} className="failed" data-testid="preview-row" title={r.fields.join(' | ')}>
                <td className="num">{r.line}</td>
                <td colSpan={5} className="bad preview-error">
                  {r.error ?? 'not read (the mapping is incomplete)'}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
