import type { ArgsOf, FormatInfo, SniffCandidate, SniffView } from '../../../core/api/contract';
import { checkOptionValue, ipauditDay, type FormatOption } from '../../../core/api/reference-data';

/** The per-import decode options the contract accepts (`import.start` `options`). */
export type DecodeOptions = NonNullable<ArgsOf<'import.start'>['options']>;
/** The CSV column mapping the contract accepts (`options.mapping`, `import.preview` `mapping`). */
export type CsvMappingOption = NonNullable<DecodeOptions['mapping']>;

/**
 * One file (or folder) the analyst picked or dropped, waiting in the "Ready to import" list:
 * what `import.sniff` said of it (candidates best first; `error`: why it could not be sniffed)
 * and how the analyst set it up.
 */
export interface StagedFile extends SniffView {
  /** A folder: imported as an evidence set, each file's format detected on its own. */
  folder: boolean;
  /** The format it will be read as; null = none chosen (an unrecognised file is then skipped). */
  format: string | null;
  /** Options as the analyst typed them; only the ones the chosen format reads are sent. */
  options: DecodeOptions;
  /** For a CSV: what automatic recognition makes of its header (from `import.preview`), once known. */
  csv?: CsvDetection;
}

/** How a CSV's columns are recognised without a mapping. */
export interface CsvDetection {
  preset: string | null;
  guessed: boolean;
  /** Set when no preset fits and no guess works: the analyst must map the columns. */
  error?: string;
}

/** The options a format declares (from `formats.list`); none for an unknown or unchosen format. */
export function declaredOptions(format: string | null | undefined, formats: readonly FormatInfo[]): readonly FormatOption[] {
  return formats.find((f) => f.id === format)?.options ?? [];
}

/** Turns a sniff answer into a list entry, with the sniffer's best candidate chosen. */
export function stageFromSniff(v: SniffView): StagedFile {
  // A folder cannot be sniffed as a whole (EISDIR); the importer expands it and sniffs each file.
  const folder = !!v.error && /EISDIR/.test(v.error);
  return {
    path: v.path, name: v.name, size: v.size, compression: v.compression, candidates: v.candidates,
    error: folder ? undefined : v.error, folder, format: v.candidates[0]?.id ?? null, options: {},
  };
}

/** The options that `format` declares, without empty values (the rest are not sent for it). */
export function optionsFor(format: string | null, options: DecodeOptions, formats: readonly FormatInfo[]): DecodeOptions {
  const out: Record<string, unknown> = {};
  for (const { key: k } of declaredOptions(format, formats)) {
    const v = (options as Record<string, unknown>)[k];
    if (v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v))) continue;
    out[k] = v;
  }
  return out as DecodeOptions;
}

/** Whether a file will be imported: a folder, or a readable file with a format. */
export function isImportable(f: StagedFile): boolean {
  return f.folder || (!f.error && f.format !== null);
}

/** Why a file cannot be imported as set up, or null when it can (required options, values the declarations refuse). */
export function blockingProblem(f: StagedFile, formats: readonly FormatInfo[]): string | null {
  if (f.folder) return null;
  for (const o of declaredOptions(f.format, formats)) {
    const v = (f.options as Record<string, unknown>)[o.key];
    if (v === undefined || v === '') {
      if (o.requiredUnlessNameDate && !ipauditNameDate(f.name)) return 'IPAudit times carry no date and this file name has none: enter the date';
      continue;
    }
    const problem = checkOptionValue(o, v);
    if (problem) return `${o.label} ${problem}`;
  }
  if (f.format === 'csv' && !f.options.mapping && f.csv?.error) return 'its columns are not recognised: use "Map columns…"';
  return null;
}

export interface ImportGroup {
  /** undefined: let the importer sniff each file (folders). */
  format: string | undefined;
  options: DecodeOptions | undefined;
  paths: string[];
}

/**
 * `import.start` takes one format and one set of options for all its paths, so files are
 * grouped by (format, options), in the order the analyst sees them; one job per group.
 */
export function groupImports(files: readonly StagedFile[], formats: readonly FormatInfo[]): ImportGroup[] {
  const groups = new Map<string, ImportGroup>();
  for (const f of files) {
    if (!isImportable(f)) continue;
    const format = f.folder ? undefined : f.format ?? undefined;
    const opts = optionsFor(format ?? null, f.options, formats);
    const options = Object.keys(opts).length ? opts : undefined;
    const key = JSON.stringify([format ?? null, options ? canonical(options) : null]);
    const g = groups.get(key);
    if (g) g.paths.push(f.path);
    else groups.set(key, { format, options, paths: [f.path] });
  }
  return [...groups.values()];
}

/** JSON with sorted keys, so equal options written in another order land in one group. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** Plain-language names where the choice changes what the analyst gets (else the loader's label). */
const PLAIN_LABELS: Record<string, string> = {
  'netflow-pcap': 'Decode the NetFlow/IPFIX export packets',
  pcap: 'Meter the packets into flows',
  pcapng: 'Meter the packets into flows',
};

/** The label shown for a candidate format of a file. */
export function candidateLabel(id: string, label: string, candidates: readonly SniffCandidate[]): string {
  // The plain labels matter when a capture holds NetFlow/IPFIX exports: then both readings are offered.
  const exportCapture = candidates.some((c) => c.id === 'netflow-pcap');
  if (exportCapture && PLAIN_LABELS[id]) return `${PLAIN_LABELS[id]} (${id})`;
  return `${label} (${id})`;
}

/**
 * The date an IPAudit file name carries, as the core reads it (core/formats/ipaudit/ipaudit-date.ts):
 * `2006-03-27-08:00.txt`, or `08_00`, `08-00`, `0800` after a copy through Windows.
 */
export function ipauditNameDate(name: string): string | null {
  const day = ipauditDay(name, {});
  if ('code' in day) return null;
  const two = (n: number) => String(n).padStart(2, '0');
  const start = day.startMinute === null ? '' : ` ${two(Math.floor(day.startMinute / 60))}:${two(day.startMinute % 60)}`;
  return `${String(day.year).padStart(4, '0')}-${two(day.month)}-${two(day.day)}${start}`;
}

/** A separator as a person reads it. */
export function separatorName(sep: string): string {
  return sep === '\t' || sep === 'tab' ? 'tab' : sep === ',' ? 'comma (,)' : sep === ';' ? 'semicolon (;)' : sep === ' ' ? 'space' : `'${sep}'`;
}
