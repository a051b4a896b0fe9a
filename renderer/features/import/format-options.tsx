import { useId } from 'react';
import { timeZoneNames } from '../../lib/format';
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
  onOptions: (o: DecodeOptions) => void;
  onMapColumns: () => void;
}

/** The options the chosen format reads, inline in the file's row of the "Ready to import" list. */
export function FormatOptions({ file, onOptions, onMapColumns }: OptionsProps) {
  const o = file.options;
  const set = (patch: Partial<DecodeOptions>) => onOptions({ ...o, ...patch });
  switch (file.format) {
    case 'pcap':
    case 'pcapng':
      return (
        <div className="fmt-options" data-testid="format-options">
          <SecondsInput
            label="Idle timeout"
            value={o.idleTimeoutS}
            placeholder="300 TCP / 60 UDP, ICMP"
            title="A flow ends after this many seconds without a packet. Default as Zeek: 300 s for established TCP, 60 s for UDP, ICMP and handshakes. A value here applies to all."
            onChange={(v) => set({ idleTimeoutS: v })}
            testId="opt-idle"
          />
          <SecondsInput
            label="Active timeout"
            value={o.activeTimeoutS}
            placeholder="off"
            title="Split long flows into records of at most this many seconds (as NetFlow exporters do). Default off: one record per connection, like Zeek."
            onChange={(v) => set({ activeTimeoutS: v })}
            testId="opt-active"
          />
        </div>
      );
    case 'ipaudit': {
      const fromName = ipauditNameDate(file.name);
      const source = o.date ? `date: ${o.date} (entered)` : fromName ? `date from the file name: ${fromName}` : null;
      return (
        <div className="fmt-options" data-testid="format-options">
          <label className={`opt ${!o.date && !fromName ? 'required' : ''}`}>
            <span>Date</span>
            <input
              type="text"
              className="mono"
              size={11}
              placeholder={fromName ? fromName.slice(0, 10) : 'YYYY-MM-DD'}
              value={o.date ?? ''}
              onChange={(e) => set({ date: e.target.value.trim() || undefined })}
              aria-label="Date of the IPAudit times"
              data-testid="opt-date"
            />
          </label>
          <ZoneInput value={o.timeZone} onChange={(v) => set({ timeZone: v })} placeholder="UTC" />
          <span className={`opt-note ${source ? 'muted' : 'bad'}`} data-testid="date-source">
            {source ?? 'IPAudit times carry no date and this file name has none (IPAudit names files like 2006-03-27-08:00.txt): enter the date'}
          </span>
        </div>
      );
    }
    case 'argus-csv':
      return (
        <div className="fmt-options" data-testid="format-options">
          <ZoneInput
            value={o.timeZone}
            onChange={(v) => set({ timeZone: v })}
            placeholder="UTC"
            list={false}
            title="Zone of wall-clock times in the file: UTC (default) or an offset such as +01:00"
          />
        </div>
      );
    case 'csv':
      return (
        <div className="fmt-options" data-testid="format-options">
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
        </div>
      );
    default:
      return null;
  }
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
export function ZoneInput({ value, onChange, placeholder, list = true, title }: {
  value: string | undefined; onChange: (v: string | undefined) => void; placeholder: string; list?: boolean; title?: string;
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
        data-testid="opt-tz"
      />
    </label>
  );
}
