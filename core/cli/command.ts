import { parseTimeToMicros } from '../model/time';

/** Where a command writes: stdout, stderr, and whether stderr is a terminal (progress lines). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

/** Exit codes: 0 ok, 1 some work failed, 2 usage error. */
export class CliExit extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** One flag of a command. */
export interface FlagSpec {
  /** Placeholder shown in the synopsis ('EXPR', 'N'); without it (and choices) the flag is a switch. */
  readonly value?: string;
  /** The values the flag takes; checked before the command runs, shown as `a|b|c`. */
  readonly choices?: readonly string[];
  /** Starts a new synopsis line (a group of options, e.g. import's decode options). */
  readonly newLine?: boolean;
  /** May be given more than once (`--tag a --tag b`); read it with listFlag(). */
  readonly multiple?: boolean;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
}

/**
 * One `flowcase` subcommand: its synopsis (positionals and flags, from which --help and the
 * usage message are generated) and what it does. Commands talk to the core only through
 * FlowcaseService (see cli-session.ts), which loads DuckDB when a command first needs it.
 */
export interface CliCommand {
  readonly name: string;
  /** Positional arguments as the synopsis shows them: 'CASE FILE|DIR...' ('...' = one or more). */
  readonly args: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** ApiError codes that are the caller's mistake for this command: exit 2 instead of 1. */
  readonly usageErrors?: readonly string[];
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/**
 * The synopsis lines of a command, e.g. `CASE [--filter EXPR] [--json]`: a new line where a
 * flag asks for one, or where the line would pass `width` columns when it starts at `column`.
 */
export function synopsis(cmd: CliCommand, column = 0, width = 100): string[] {
  const lines = [cmd.args ? [cmd.args] : []];
  for (const [name, f] of Object.entries(cmd.flags)) {
    const value = f.value ?? f.choices?.join('|');
    const word = value ? `[--${name} ${value}]${f.multiple ? '...' : ''}` : `[--${name}]`;
    const line = lines[lines.length - 1];
    if (f.newLine || (line.length && column + line.join(' ').length + 1 + word.length > width)) lines.push([word]);
    else line.push(word);
  }
  return lines.map((l) => l.join(' '));
}

export function usage(cmd: CliCommand): string {
  return `usage: flowcase ${cmd.name} ${synopsis(cmd).join(' ')}`;
}

/** `a, b or c` */
function listOr(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Checks what the synopsis promises: enough positionals, and each choice flag's value. */
export function checkArgs(cmd: CliCommand, args: ParsedArgs): void {
  // Words in brackets ('[list|add|remove]') are optional positionals.
  const words = cmd.args ? cmd.args.split(' ').filter((w) => !w.startsWith('[')) : [];
  if (args.positionals.length < words.length) throw new CliExit(2, usage(cmd));
  for (const [name, f] of Object.entries(cmd.flags)) {
    const v = args.values[name];
    if (f.choices && typeof v === 'string' && !f.choices.includes(v)) throw new CliExit(2, `--${name} is ${listOr(f.choices)}, not '${v}'`);
  }
}

/** A string flag's value (undefined when absent). */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').pop() : undefined;
}

/** Every value of a flag that may repeat (none: []). */
export function listFlag(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

/** A count: a whole number >= 0. */
export function wholeNumber(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliExit(2, `--${name} wants a whole number, got '${v}'`);
  return n;
}

/** A duration in seconds above zero. */
export function seconds(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new CliExit(2, `--${name} wants seconds > 0, got '${v}'`);
  return n;
}

/** A time: ISO-8601 or epoch seconds, as UTC microseconds. */
export function timeFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const us = parseTimeToMicros(v);
  if (us === null) throw new CliExit(2, `--${name} wants an ISO-8601 time (2024-01-12T10:00Z) or epoch seconds, got '${v}'`);
  return us;
}
