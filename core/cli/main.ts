import { parseArgs } from 'node:util';
import { ApiError } from '../api/api-error';
import { TOOL_VERSION } from '../version';
import { checkArgs, CliExit, synopsis, type CliCommand, type CliIo } from './command';
import { COMMANDS } from './commands/index';

export { CliExit, type CliIo } from './command';

/** --help: one synopsis per command, generated from the commands' own declarations. */
async function helpText(): Promise<string> {
  const lines: string[] = [];
  for (const load of Object.values(COMMANDS)) {
    const cmd = await load();
    const head = `  flowcase ${cmd.name} `;
    synopsis(cmd, head.length).forEach((line, i) => lines.push(`${i === 0 ? head : ' '.repeat(head.length)}${line}`.trimEnd()));
  }
  return `flowcase — network-flow forensics from the command line

Usage:
${lines.join('\n')}

CASE is a .duckdb file (created by import when missing). Times are UTC.
`;
}

/** Errors of Node's argument parser that are the caller's mistake (exit 2). */
const PARSE_ERRORS = new Set(['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL']);

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(await helpText());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(`${TOOL_VERSION}\n`);
    return 0;
  }
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`flowcase: unknown command '${name}'\n\n${await helpText()}`);
    return 2;
  }
  let cmd: CliCommand | undefined;
  try {
    cmd = await load();
    const options = Object.fromEntries(Object.entries(cmd.flags).map(([flag, f]) => [flag, { type: f.value || f.choices ? 'string' as const : 'boolean' as const, ...(f.multiple ? { multiple: true } : {}) }]));
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: cmd.args !== '', options });
    const args = { values, positionals };
    checkArgs(cmd, args);
    return await cmd.run(args, io);
  } catch (err) {
    if (err instanceof CliExit) {
      io.err(`flowcase ${name}: ${err.message}\n`);
      return err.code;
    }
    if (err instanceof ApiError) {
      io.err(`flowcase ${name}: ${err.message}\n`);
      return cmd?.usageErrors?.includes(err.code) ? 2 : 1;
    }
    if (PARSE_ERRORS.has((err as { code?: string }).code ?? '')) {
      io.err(`flowcase ${name}: ${(err as Error).message}\n`);
      return 2;
    }
    io.err(`flowcase ${name}: ${(err as Error).stack ?? err}\n`);
    return 1;
  }
}
