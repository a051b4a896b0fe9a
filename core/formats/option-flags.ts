import type { DecodeOptions, FormatLoader } from './decoder';
import { checkOptionValue, optionMetavar, readOptionText, type FormatOption } from './format-options';
import { LOADERS } from './index';

/** One command-line flag and every format that declares it. */
export interface OptionFlag {
  readonly flag: string;
  readonly key: string;
  readonly metavar: string;
  /** The declarations, one per format that reads the option (their help may differ). */
  readonly uses: readonly { readonly format: string; readonly option: FormatOption }[];
}

/**
 * The import flags the formats declare, in the order the loaders list them: one per flag,
 * however many formats read it (`--time-zone` serves IPAudit, Argus CSV and CSV).
 */
export function formatOptionFlags(loaders: readonly FormatLoader[] = LOADERS): OptionFlag[] {
  const byFlag = new Map<string, { flag: string; key: string; metavar: string; uses: { format: string; option: FormatOption }[] }>();
  for (const loader of loaders) {
    for (const option of loader.options) {
      if (option.flag === null) continue;
      let f = byFlag.get(option.flag);
      if (!f) byFlag.set(option.flag, (f = { flag: option.flag, key: option.key, metavar: optionMetavar(option), uses: [] }));
      if (f.key !== option.key) throw new Error(`--${option.flag} is ${f.key} in one format and ${option.key} in ${loader.id}`);
      f.uses.push({ format: loader.id, option });
    }
  }
  return [...byFlag.values()];
}

/** `node:util` parseArgs configurations for the import flags (each takes a value). */
export function formatOptionArgs(loaders?: readonly FormatLoader[]): Record<string, { type: 'string' }> {
  return Object.fromEntries(formatOptionFlags(loaders).map((f) => [f.flag, { type: 'string' as const }]));
}

/** `[--date YYYY-MM-DD] [--time-zone ZONE] ...` for the CLI usage text, wrapped at `width` after `indent`. */
export function formatOptionUsage(indent = '', width = 100, loaders?: readonly FormatLoader[]): string {
  const lines: string[] = [];
  let line = '';
  for (const f of formatOptionFlags(loaders)) {
    const word = `[--${f.flag} ${f.metavar}]`;
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join(`\n${indent}`);
}

/**
 * Reads the import flags out of what parseArgs found (`{ 'idle-timeout': '30', ... }`) into
 * decode options keyed as the decoders read them, each value checked against its declaration
 * (the first format's, where several declare the flag alike). Flags not given stay unset.
 */
export function parseFormatOptions(values: Readonly<Record<string, unknown>>, loaders?: readonly FormatLoader[]): { options: DecodeOptions } | { error: string } {
  const options: Record<string, unknown> = {};
  for (const f of formatOptionFlags(loaders)) {
    const text = values[f.flag];
    if (text === undefined) continue;
    const option = f.uses[0].option;
    const value = readOptionText(option, String(text));
    const problem = checkOptionValue(option, value);
    if (problem) return { error: `--${f.flag} ${problem}, got '${String(text)}'` };
    options[f.key] = value;
  }
  return { options };
}
