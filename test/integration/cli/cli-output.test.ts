import { createHash } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../core/cli/main';
import { REPO_ROOT } from '../../helpers/corpus';
import { tempDir } from '../../helpers/temp';
import { writeZeekConnLog } from '../../helpers/zeek-log-writer';

/**
 * The CLI's output is a contract scripts read: every command, flag, exit code and byte of
 * stdout is pinned here (in-process, the same runCli the binary calls), with only what
 * changes from run to run masked: the temporary folder, import times and durations.
 */
const t = tempDir();
const casePath = join(t.dir, 'c.duckdb');
const bigCase = join(t.dir, 'big.duckdb');
const log = join(t.dir, 'conn.log');
const bigLog = join(t.dir, 'big.log');
const ipaudit = join(t.dir, '2006-03-27-08:00.txt');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s), isTTY: false });
  return { code, stdout: mask(stdout), stderr: mask(stderr) };
}

/** What differs between runs: the temp folder, when and how fast an import ran, when a log was written. */
function mask(s: string): string {
  return s
    .split(t.dir).join('<dir>')
    .replace(/^#(open|close)\t.*$/gm, '#$1\t<time>')
    .replace(/"(importedAtUs|importMs|ms)": [\d.]+/g, '"$1": <n>')
    .replace(/, \d+ ms\n/g, ', <n> ms\n')
    // The audit chain's head hash covers the time of each entry.
    .replace(/("head_hash": "|head #\d+ )[0-9a-f]{64}/g, '$1<hash>');
}

/** Long outputs are pinned by size and digest. */
function digest(r: Run): Run {
  return { ...r, stdout: `${r.stdout.split('\n').length} lines, sha256 ${createHash('sha256').update(r.stdout).digest('hex')}` };
}

beforeAll(async () => {
  await writeZeekConnLog(log, 400);
  await writeZeekConnLog(bigLog, 6000);
  copyFileSync(join(REPO_ROOT, 'test/fixtures/ipaudit/2006-03-27-08:00.txt'), ipaudit);
  expect((await cli('import', casePath, log)).code).toBe(0);
  expect((await cli('import', bigCase, bigLog)).code).toBe(0);
});
afterAll(() => t.cleanup());

describe('flowcase CLI output (pinned)', () => {
  it('help, version and unknown commands', async () => {
    for (const argv of [[], ['--help'], ['-h'], ['help'], ['--version'], ['nope']]) {
      expect(await cli(...argv)).toMatchSnapshot(argv.join(' ') || '(none)');
    }
  });

  it('import: text, JSON, failures and bad flags', async () => {
    const fresh = (n: string) => join(t.dir, `${n}.duckdb`);
    expect(await cli('import', fresh('i1'), log)).toMatchSnapshot('text');
    expect(await cli('import', fresh('i2'), log, '--json')).toMatchSnapshot('json');
    expect(await cli('import', fresh('i3'), log, join(t.dir, 'missing.pcap'), '--json')).toMatchSnapshot('missing file, json');
    expect(await cli('import', fresh('i3b'), log, join(t.dir, 'missing.pcap'))).toMatchSnapshot('missing file, text');
    expect(await cli('import', fresh('i4'), ipaudit, '--json')).toMatchSnapshot('ipaudit, date from the name');
    expect(await cli('import', fresh('i5'), ipaudit, '--date', '2006-03-28', '--time-zone', 'Europe/Berlin', '--json')).toMatchSnapshot('ipaudit, date and zone');
    expect(await cli('import', fresh('i6'), log, '--format', 'ipaudit')).toMatchSnapshot('forced wrong format');
    expect(await cli('import', fresh('i7'), log, '--format', 'nope')).toMatchSnapshot('unknown format');
    expect(await cli('import', fresh('i8'), log, '--idle-timeout', '0')).toMatchSnapshot('bad timeout');
    expect(await cli('import', fresh('i9'))).toMatchSnapshot('no files');
    expect(await cli('import')).toMatchSnapshot('no case');
    expect(await cli('import', fresh('i10'), log, '--bogus')).toMatchSnapshot('unknown flag');
  });

  it('stats', async () => {
    expect(await cli('stats', casePath)).toMatchSnapshot('text');
    expect(await cli('stats', casePath, '--json')).toMatchSnapshot('json');
    expect(await cli('stats', casePath, '--filter', 'proto udp', '--json')).toMatchSnapshot('filtered');
    expect(await cli('stats', casePath, '--filter', 'prot udp')).toMatchSnapshot('bad filter');
    expect(await cli('stats', join(t.dir, 'none.duckdb'))).toMatchSnapshot('no such case');
    expect(await cli('stats')).toMatchSnapshot('usage');
  });

  it('flows', async () => {
    expect(await cli('flows', casePath, '--limit', '5')).toMatchSnapshot('table');
    expect(await cli('flows', casePath, '--limit', '5', '--format', 'csv')).toMatchSnapshot('csv');
    expect(await cli('flows', casePath, '--limit', '3', '--format', 'json', '--sort', 'bytes', '--desc')).toMatchSnapshot('json sorted');
    expect(digest(await cli('flows', casePath))).toMatchSnapshot('default limit');
    expect(await cli('flows', casePath, '--limit', '0', '--format', 'csv')).toMatchSnapshot('limit 0');
    expect(await cli('flows', casePath, '--filter', 'dst port 53 and src port 1028', '--format', 'csv')).toMatchSnapshot('filtered');
    expect(digest(await cli('flows', bigCase, '--limit', '5800', '--format', 'csv', '--sort', 'total_bytes', '--desc'))).toMatchSnapshot('deep, by bytes');
    expect(digest(await cli('flows', bigCase, '--limit', '6000', '--format', 'json'))).toMatchSnapshot('all, json');
    expect(await cli('flows', casePath, '--limit', 'x')).toMatchSnapshot('bad limit');
    expect(await cli('flows', casePath, '--format', 'xml')).toMatchSnapshot('bad format');
    expect(await cli('flows', casePath, '--sort', 'nope')).toMatchSnapshot('bad sort');
    expect(await cli('flows', casePath, '--filter', 'port')).toMatchSnapshot('bad filter');
    expect(await cli('flows')).toMatchSnapshot('usage');
  });

  it('evidence, verify and formats', async () => {
    expect(await cli('evidence', casePath)).toMatchSnapshot('evidence text');
    expect(await cli('evidence', casePath, '--json')).toMatchSnapshot('evidence json');
    expect(await cli('verify', casePath)).toMatchSnapshot('verify text');
    expect(await cli('verify', casePath, '--json')).toMatchSnapshot('verify json');
    expect(await cli('verify')).toMatchSnapshot('verify usage');
    expect(await cli('formats')).toMatchSnapshot('formats text');
    expect(await cli('formats', '--json')).toMatchSnapshot('formats json');
  });

  it('pivot', async () => {
    expect(await cli('pivot', casePath, '192.0.2.1')).toMatchSnapshot('text');
    expect(await cli('pivot', casePath, '192.0.2.1', '--json')).toMatchSnapshot('json');
    expect(await cli('pivot', casePath, '10.0.0.7', '--from', '2023-11-14T22:13:21Z', '--to', '1700000100', '--json')).toMatchSnapshot('window');
    expect(await cli('pivot', casePath, '192.0.2.1', '--filter', 'src port 1024', '--json')).toMatchSnapshot('filtered');
    expect(await cli('pivot', casePath, '192.0.2.250', '--json')).toMatchSnapshot('no flows');
    expect(await cli('pivot', casePath, 'not-an-ip')).toMatchSnapshot('bad address');
    expect(await cli('pivot', casePath, '192.0.2.1', '--from', 'yesterday')).toMatchSnapshot('bad time');
    expect(await cli('pivot', casePath, '192.0.2.1', '--filter', 'port x')).toMatchSnapshot('bad filter');
    expect(await cli('pivot', casePath)).toMatchSnapshot('usage');
  });

  it('sessions', async () => {
    expect(await cli('sessions', casePath, '--limit', '5')).toMatchSnapshot('table');
    expect(await cli('sessions', casePath, '--limit', '5', '--format', 'csv')).toMatchSnapshot('csv');
    expect(await cli('sessions', casePath, '--limit', '2', '--format', 'json')).toMatchSnapshot('json');
    expect(digest(await cli('sessions', casePath, '--format', 'zeek'))).toMatchSnapshot('zeek');
    expect(digest(await cli('sessions', casePath))).toMatchSnapshot('default limit');
    expect(digest(await cli('sessions', bigCase, '--format', 'csv'))).toMatchSnapshot('all, csv');
    expect(await cli('sessions', casePath, '--state', 'S0,REJ', '--format', 'json')).toMatchSnapshot('states');
    expect(await cli('sessions', casePath, '--filter', 'proto udp and src port 1028', '--format', 'csv')).toMatchSnapshot('filtered');
    expect(await cli('sessions', casePath, '--state', 'NOPE')).toMatchSnapshot('bad state');
    expect(await cli('sessions', casePath, '--limit', '-1')).toMatchSnapshot('bad limit');
    expect(await cli('sessions', casePath, '--format', 'pdf')).toMatchSnapshot('bad format');
    expect(await cli('sessions', casePath, '--filter', 'proto')).toMatchSnapshot('bad filter');
    expect(await cli('sessions', join(t.dir, 'none.duckdb'))).toMatchSnapshot('no such case');
    expect(await cli('sessions')).toMatchSnapshot('usage');
  });
});
