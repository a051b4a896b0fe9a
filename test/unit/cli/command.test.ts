import { describe, expect, it } from 'vitest';
import { checkArgs, CliExit, seconds, synopsis, timeFlag, usage, wholeNumber, type CliCommand } from '../../../core/cli/command';
import { COMMANDS } from '../../../core/cli/commands/index';

const cmd: CliCommand = {
  name: 'demo',
  args: 'CASE FILE...',
  flags: { filter: { value: 'EXPR' }, json: {}, format: { choices: ['table', 'csv', 'json'] }, date: { value: 'YYYY-MM-DD', newLine: true } },
  run: async () => 0,
};

const exit = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof CliExit ? [e.code, e.message] : e;
  }
  return null;
};

describe('CLI command declarations', () => {
  it('synopsis() and usage() are generated from the positionals and flags, groups on their own line', () => {
    expect(synopsis(cmd)).toEqual(['CASE FILE... [--filter EXPR] [--json] [--format table|csv|json]', '[--date YYYY-MM-DD]']);
    expect(usage(cmd)).toBe('usage: flowcase demo CASE FILE... [--filter EXPR] [--json] [--format table|csv|json] [--date YYYY-MM-DD]');
  });

  it('checkArgs() wants every positional and a listed choice, as exit 2 with a message', () => {
    expect(exit(() => checkArgs(cmd, { positionals: ['c.duckdb'], values: {} }))).toEqual([2, usage(cmd)]);
    expect(exit(() => checkArgs(cmd, { positionals: ['c.duckdb', 'a'], values: { format: 'xml' } }))).toEqual([2, "--format is table, csv or json, not 'xml'"]);
    expect(exit(() => checkArgs(cmd, { positionals: ['c.duckdb', 'a', 'b'], values: { format: 'csv' } }))).toBeNull();
  });

  it('flag values: whole numbers, seconds above zero, times as UTC microseconds', () => {
    expect(wholeNumber('limit', undefined, 100)).toBe(100);
    expect(wholeNumber('limit', '0', 100)).toBe(0);
    expect(exit(() => wholeNumber('limit', '1.5', 100))).toEqual([2, "--limit wants a whole number, got '1.5'"]);
    expect(seconds('idle-timeout', '2.5')).toBe(2.5);
    expect(exit(() => seconds('idle-timeout', '-1'))).toEqual([2, "--idle-timeout wants seconds > 0, got '-1'"]);
    expect(timeFlag('from', '2024-01-12T10:00Z')).toBe(Date.UTC(2024, 0, 12, 10) * 1000);
    expect(timeFlag('from', '1700000000')).toBe(1_700_000_000_000_000);
    expect(exit(() => timeFlag('from', 'yesterday'))).toEqual([2, "--from wants an ISO-8601 time (2024-01-12T10:00Z) or epoch seconds, got 'yesterday'"]);
  });

  it('every registered command loads under its own name', async () => {
    for (const [name, load] of Object.entries(COMMANDS)) expect((await load()).name).toBe(name);
  });
});
