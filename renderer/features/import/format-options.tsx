import { useId } from 'react';
import { timeZoneNames } from '../../lib/format';
import type { FormatOption } from '../../../core/api/reference-data';
import { ipauditNameDate, type DecodeOptions, type StagedFile } from './import-plan';

/** IANA zone names for the time-zone inputs (one datalist per page is enough). */
export const ZONE_LIST_ID = 'flowcase-import-zones';

/** The datalist the time-zone inputs suggest from. */
export function ZoneList() {
  return (
    <datalist id={ZONE_LIST_ID}>
      {['UTC', ...timeZoneNames().filter((z) => z !== 'UTC')].map((z) => (
        <option key={z} value={z} />
      ))}
    </datalist>
  );
}

interface OptionsProps {
  file: StagedFile;
  /** The options the chosen format declares (`formats.list`). */
  declared: readonly FormatOption[];
  onOptions: (o: DecodeOptions) => void;
  onMapColumns: () => void;
}

/**
 * The options the chosen format declares, inline in the file's row of the "Ready to import"
 * list: one field per declaration, by its kind (core/formats/format-options.ts).
 */
export function FormatOptions({ file, declared, onOptions, onMapColumns }: OptionsProps) {
  const shown = declared.filter((o) => o.inPanel !== false);
  if (shown.length === 0) return null;
  const values = file.options as Record<string, unknown>;
  const set = (key: string, v: unknown) => onOptions({ ...file.options, [key]: v } as DecodeOptions);
  return (
    <div className="fmt-options" data-testid="format-options">
      {shown.map((o) => (
        <OptionField key={o.key} option={o} value={values[o.key]} file={file} onChange={(v) => set(o.key, v)} onMapColumns={onMapColumns} />
      ))}
    </div>
  );
}

function OptionField({ option: o, value, file, onChange, onMapColumns }: {
  option: FormatOption; value: unknown; file: StagedFile; onChange: (v: unknown) => void; onMapColumns: () => void;
}) {
  const testId = `opt-${o.flag ?? o.key}`;
  switch (o.kind) {
    case 'seconds':
      return <SecondsInput label={o.label} value={value as number | undefined} placeholder={o.defaultText} title={o.help} onChange={onChange} testId={testId} />;
    case 'date':
      return <DateField option={o} value={value as string | undefined} fileName={file.name} onChange={onChange} testId={testId} />;
    case 'time-zone':
    case 'utc-offset':
      return <ZoneInput value={value as string | undefined} onChange={onChange} placeholder={o.defaultText} list={o.kind === 'time-zone'} title={o.help} testId={testId} />;
    case 'boolean': {
      const dflt = o.defaultText === 'true';
      const checked = typeof value === 'boolean' ? value : dflt;
      return (
        <label className="opt" title={o.help}>
          <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked === dflt ? undefined : e.target.checked)} data-testid={testId} />
          <span>{o.label}</span>
        </label>
      );
    }
    case 'choice':
      return (
        <label className="opt" title={o.help}>
          <span>{o.label}</span>
          <select value={(value as string | undefined) ?? ''} onChange={(e) => onChange(e.target.value || undefined)} data-testid={testId}>
            <option value="">{o.defaultText}</option>
            {(o.choices ?? []).map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
      );
    case 'csv-mapping':
      return <CsvMappingField file={file} onMapColumns={onMapColumns} />;
  }
}

/** A date; for IPAudit also where the date comes from (the file name, or what was entered). */
function DateField({ option: o, value, fileName, onChange, testId }: {
  option: FormatOption; value: string | undefined; fileName: string; onChange: (v: string | undefined) => void; testId: string;
}) {
  const fromName = o.requiredUnlessNameDate ? ipauditNameDate(fileName) : null;
  const source = value ? `date: ${value} (entered)` : fromName ? `date from the file name: ${fromName}` : null;
  return (
    <>
      <label className={`opt ${o.requiredUnlessNameDate && !value && !fromName ? 'required' : ''}`} title={o.help}>
        <span>{o.label}</span>
        <input
          type="text"
          className="mono"
          size={11}
          placeholder={fromName ? fromName.slice(0, 10) : 'YYYY-MM-DD'}
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value.trim() || undefined)}
          aria-label={`${o.label}: ${o.help}`}
          data-testid={testId}
        />
      </label>
      {o.requiredUnlessNameDate ? (
        <span className={`opt-note ${source ? 'muted' : 'bad'}`} data-testid="date-source">
          {source ?? 'IPAudit times carry no date and this file name has none (IPAudit names files like 2006-03-27-08:00.txt): enter the date'}
        </span>
      ) : null}
    </>
  );
}

/** A CSV's columns: the Map columns dialog, and what automatic recognition made of the header. */
function CsvMappingField({ file, onMapColumns }: { file: StagedFile; onMapColumns: () => void }) {
  const o = file.options;
  return (
    <>
      <button type="button" onClick={onMapColumns} data-testid="map-columns">
        Map columns…
      </button>
      <span className={`opt-note ${!o.mapping && file.csv?.error ? 'bad' : 'muted'}`} data-testid="mapping-summary">
        {o.mapping
          ? `mapped: start ${o.mapping.startTime ?? '?'}, ${o.mapping.srcAddr ?? '?'} → ${o.mapping.dstAddr ?? '?'}`
          : o.preset
            ? `preset ${o.preset}`
            : !file.csv
              ? 'checking the header…'
              : file.csv.preset
                ? `${file.csv.preset === 'cicflowmeter' ? 'CICFlowMeter' : file.csv.preset} columns recognised`
                : file.csv.guessed
                  ? 'columns guessed from their names: check them with “Map columns…”'
                  : 'columns not recognised: map them'}
      </span>
    </>
  );
}

function SecondsInput({ label, value, placeholder, title, onChange, testId }: {
  label: string; value: number | undefined; placeholder: string; title: string; onChange: (v: number | undefined) => void; testId: string;
}) {
  const bad = value !== undefined && !(value > 0);
  return (
    <label className={`opt ${bad ? 'invalid' : ''}`} title={title}>
      <span>{label}</span>
      <input
        type="number"
        min={1}
        step="any"
        className="mono"
        style={{ width: 150 }}
        placeholder={placeholder}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        data-testid={testId}
      />
      <span className="muted">s</span>
    </label>
  );
}

/** A time zone field: IANA names suggested (offsets typed where the format takes them). */
export function ZoneInput({ value, onChange, placeholder, list = true, title, testId = 'opt-tz' }: {
  value: string | undefined; onChange: (v: string | undefined) => void; placeholder: string; list?: boolean; title?: string; testId?: string;
}) {
  const id = useId();
  return (
    <label className="opt" htmlFor={id} title={title ?? 'Zone of the times written in the file (IANA name, e.g. Europe/Berlin); default UTC'}>
      <span>Time zone</span>
      <input
        id={id}
        type="text"
        size={16}
        list={list ? ZONE_LIST_ID : undefined}
        placeholder={placeholder}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value.trim() || undefined)}
        data-testid={testId}
      />
    </label>
  );
}
