/**
 * How a format declares the options a user may set per import. Each loader lists its
 * options once (`FormatLoader.options`); the CLI's import flags, the import panel's
 * per-format fields and the README's table are generated from those declarations.
 *
 * Pure (no imports): the renderer bundles the value checks through core/api/reference-data.ts.
 */

/**
 * What a value is: `date` YYYY-MM-DD; `time-zone` an IANA name (or UTC); `utc-offset` UTC or
 * ±HH:MM; `seconds` a duration above zero; `boolean`; `choice` one of `choices`;
 * `csv-mapping` a column mapping object (set in the app's Map columns dialog, not a flag).
 */
export type OptionKind = 'date' | 'time-zone' | 'utc-offset' | 'seconds' | 'boolean' | 'choice' | 'csv-mapping';

export interface FormatOption {
  /** The key decoders read in their options (`idleTimeoutS`). */
  readonly key: string;
  /** The CLI flag without dashes (`idle-timeout`); null when a flag cannot carry it (a mapping object). */
  readonly flag: string | null;
  readonly kind: OptionKind;
  /** Short label for the import panel ("Idle timeout"). */
  readonly label: string;
  /** What it does, in a sentence or two: CLI usage, the panel's tooltip, the README. */
  readonly help: string;
  /** The default as a person reads it ("UTC", "off"). */
  readonly defaultText: string;
  /** The values a `choice` takes. */
  readonly choices?: readonly string[];
  /** The app shows it in the file's row (default), or not: set elsewhere (the Map columns dialog). */
  readonly inPanel?: boolean;
  /** The import cannot start without it unless the file name carries a date (IPAudit). */
  readonly requiredUnlessNameDate?: boolean;
}

/** The longest duration a timeout may be (30 days), as the API contract accepts. */
export const MAX_SECONDS = 86_400 * 30;

/** How the CLI usage writes a value of this option. */
export function optionMetavar(o: FormatOption): string {
  switch (o.kind) {
    case 'date': return 'YYYY-MM-DD';
    case 'time-zone': return 'ZONE';
    case 'utc-offset': return 'ZONE';
    case 'seconds': return 'S';
    case 'boolean': return 'true|false';
    case 'choice': return (o.choices ?? []).join('|');
    case 'csv-mapping': return 'MAPPING';
  }
}

/**
 * Why `value` cannot be this option's value ("wants ...", to follow the option's name), or
 * null when it can. Checks the shape a value
 * must have whatever the file; a decoder still refuses what only the file shows (a zone name
 * the runtime does not know) as `bad-option`.
 */
export function checkOptionValue(o: FormatOption, value: unknown): string | null {
  switch (o.kind) {
    case 'date': {
      const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
      if (!m) return 'wants a date as YYYY-MM-DD';
      const [y, mo, d] = [+m[1], +m[2], +m[3]];
      const t = new Date(Date.UTC(y, mo - 1, d));
      return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? null : 'wants a day of the calendar';
    }
    case 'time-zone':
    case 'utc-offset':
      return typeof value === 'string' && value.trim() !== '' && value.length <= 64 ? null : 'wants a zone name (UTC, Europe/Berlin) or an offset (+01:00)';
    case 'seconds':
      return typeof value === 'number' && value > 0 && value <= MAX_SECONDS ? null : `wants seconds above 0 (at most ${MAX_SECONDS})`;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'wants true or false';
    case 'choice':
      return typeof value === 'string' && (o.choices ?? []).includes(value) ? null : `wants one of ${(o.choices ?? []).join(', ')}`;
    case 'csv-mapping':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? null : 'wants a column mapping';
  }
}

/** A value as typed on the command line, read for this option (text -> number, boolean). */
export function readOptionText(o: FormatOption, text: string): unknown {
  switch (o.kind) {
    case 'seconds': return text.trim() === '' ? Number.NaN : Number(text);
    case 'boolean': return text === 'true' ? true : text === 'false' ? false : text;
    default: return text;
  }
}

// ---- options several formats declare alike -------------------------------------------------

/** The day that times of day belong to. */
export function dateOption(help: string, defaultText: string, requiredUnlessNameDate = false): FormatOption {
  return { key: 'date', flag: 'date', kind: 'date', label: 'Date', help, defaultText, ...(requiredUnlessNameDate ? { requiredUnlessNameDate } : {}) };
}

/** The zone of times written without one. */
export function timeZoneOption(kind: 'time-zone' | 'utc-offset', help: string, inPanel = true): FormatOption {
  return { key: 'timeZone', flag: 'time-zone', kind, label: 'Time zone', help, defaultText: 'UTC', ...(inPanel ? {} : { inPanel }) };
}

/** Argus's ARP records: stored (default) or only counted. */
export const KEEP_ARP_OPTION: FormatOption = {
  key: 'keepArp', flag: 'keep-arp', kind: 'boolean', label: 'Keep ARP records', defaultText: 'true',
  help: 'Store ARP records as rows (protocol ARP, sender and target protocol addresses as source and destination, state who-has or reply); false only counts them (skipped: arp).',
};

/** Whether a decoder stores ARP records (KEEP_ARP_OPTION; default yes: every record is evidence). */
export function keepArpOption(options: Readonly<Record<string, unknown>>): boolean {
  return options.keepArp !== false && options.keepArp !== 'false';
}
