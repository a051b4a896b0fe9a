import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { ApiError } from '../api/api-error';
import { FLOW_SORT_COLUMNS, type FlowSortColumn, type FlowView, type ImportFileResult } from '../api/contract';
import { compileUserFilter } from '../api/filter-adapter';
import { queryFlowPage, queryStats } from '../api/flow-rows';
import { listEvidence } from '../api/evidence-rows';
import { runImport } from '../api/import-runner';
import { registerDerivedTables } from '../api/derived-tables';
import { describeFormats } from '../formats/index';
import { formatOptionArgs, formatOptionUsage, parseFormatOptions } from '../formats/option-flags';
import { sha256File } from '../ingest/file-hash';
import { microsToIso } from '../model/time';
import { protoName } from '../model/protocols';
import { tcpFlagsText } from '../model/tcp-flags';
import { CaseOpenError, CaseStore } from '../store/case-store';
import { humanBytes, renderCsv, renderTable } from './table-format';
import { TOOL_VERSION } from '../version';

const USAGE = `flowcase — network-flow forensics from the command line

Usage:
  flowcase import CASE FILE|DIR... [--format ID] [--json] [--progress]
                  ${formatOptionUsage('                  ')}
  flowcase stats CASE [--filter EXPR] [--json]
  flowcase flows CASE [--filter EXPR] [--limit N] [--sort COL] [--desc] [--format table|csv|json]
  flowcase evidence CASE [--json]
  flowcase verify CASE [--json]
  flowcase formats [--json]
  flowcase pivot CASE ADDRESS [--from T] [--to T] [--filter EXPR] [--json]
  flowcase sessions CASE [--filter EXPR] [--state S0,REJ] [--limit N] [--format table|csv|json|zeek]

CASE is a .duckdb file (created by import when missing). Times are UTC.
`;

/** Exit codes: 0 ok, 1 some work failed, 2 usage error. */
export class CliExit extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

interface Out {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

type Command = (argv: string[], io: Out) => Promise<number>;
const COMMANDS: Record<string, Command> = {};

/** Registers a subcommand (other modules add pivot, sessions, detect...). */
export function registerCommand(name: string, cmd: Command): void {
  COMMANDS[name] = cmd;
}

async function openExisting(path: string, readOnly = true): Promise<CaseStore> {
  if (!existsSync(path)) throw new CliExit(1, `no such case: ${path}`);
  return CaseStore.open(path, { create: false, readOnly });
}

registerCommand('import', async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
    format: { type: 'string' }, json: { type: 'boolean' }, progress: { type: 'boolean' }, ...formatOptionArgs(),
  } });
  // The format options' flags come from the loaders' declarations (core/formats/option-flags.ts).
  const parsed = parseFormatOptions(values);
  if ('error' in parsed) throw new CliExit(2, parsed.error);
  const decodeOptions = parsed.options;
  const [casePath, ...files] = positionals;
  if (!casePath || files.length === 0) throw new CliExit(2, 'usage: flowcase import CASE FILE... [--format ID] [--json]');
  registerDerivedTables();
  const store = await CaseStore.open(casePath, { create: true, memoryLimit: '400MB' });
  let results: ImportFileResult[];
  const ctl = new AbortController();
  const onSig = () => ctl.abort();
  process.once('SIGINT', onSig);
  try {
    let lastLine = 0;
    results = await runImport(store, files, {
      format: values.format, signal: ctl.signal, decodeOptions,
      onProgress: (p) => {
        if (values.progress) {
          io.err(JSON.stringify({ progress: p }) + '\n'); // machine-readable, one line per update
          return;
        }
        if (!io.isTTY || values.json) return;
        const now = Date.now();
        if (now - lastLine < 200 && p.phase === 'decoding') return;
        lastLine = now;
        const pct = p.totalBytes ? ((100 * p.bytesRead) / p.totalBytes).toFixed(0) : '?';
        io.err(`\r[${p.fileIndex + 1}/${p.fileCount}] ${pct}% ${humanBytes(p.bytesRead)} ${p.records} records ${Math.round(p.recordsPerSecond)}/s ${p.phase}   `);
      },
    });
    if (io.isTTY && !values.json) io.err('\n');
  } finally {
    process.off('SIGINT', onSig);
    store.close();
  }
  const failed = results.filter((r) => !r.ok);
  if (values.json) {
    io.out(JSON.stringify({ evidence: results.map((r) => ({
      path: r.path, format: r.format ?? null, sha256: r.sha256 ?? null, bytes: r.bytes ?? null, records: r.records ?? 0,
      rejected: r.rejected ?? 0, ms: r.ms === undefined ? null : Math.round(r.ms), evidence_id: r.evidenceId ?? null,
      issues: (r.issues ?? []).map((i) => ({ code: i.code, offset: i.offset, message: i.message })),
      ...(r.error ? { error: r.error } : {}),
    })) }, null, 1) + '\n');
  } else {
    for (const r of results) {
      if (r.ok) {
        io.out(`${r.path}: ${r.format}, ${r.records} records, ${r.rejected} rejected, sha256 ${r.sha256}, ${Math.round(r.ms ?? 0)} ms\n`);
        for (const i of (r.issues ?? []).slice(0, 5)) io.out(`  ${i.code} at ${i.offset}: ${i.message}\n`);
      }
    }
  }
  for (const f of failed) io.err(`flowcase import: ${f.error?.message}\n`);
  return failed.length ? 1 : 0;
});

registerCommand('stats', async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
    json: { type: 'boolean' }, filter: { type: 'string' },
  } });
  if (!positionals[0]) throw new CliExit(2, 'usage: flowcase stats CASE [--filter EXPR] [--json]');
  const store = await openExisting(positionals[0]);
  try {
    const s = await queryStats(store, compileUserFilter(values.filter));
    if (values.json) io.out(JSON.stringify({ flows: s.flows, packets: s.packets, bytes: s.bytes, first: s.first, last: s.last }) + '\n');
    else io.out(`flows ${s.flows}\npackets ${s.packets}\nbytes ${s.bytes} (${humanBytes(s.bytes)})\nfirst ${s.first ?? '-'}\nlast ${s.last ?? '-'}\n`);
  } finally {
    store.close();
  }
  return 0;
});

const FLOW_COLUMNS_OUT = ['start', 'end', 'proto', 'src_addr', 'src_port', 'dst_addr', 'dst_port', 'packets', 'bytes', 'rev_packets', 'rev_bytes', 'flags', 'rev_flags', 'state', 'label', 'evidence_id', 'src_pos'];

function flowRow(f: FlowView): unknown[] {
  return [microsToIso(f.startUs), microsToIso(f.endUs), protoName(f.proto), f.srcAddr, f.srcPort, f.dstAddr, f.dstPort, f.packets, f.bytes,
    f.revPackets, f.revBytes, tcpFlagsText(f.tcpFlags), tcpFlagsText(f.revTcpFlags), f.state, f.label, f.evidenceId, f.srcPos];
}

registerCommand('flows', async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
    limit: { type: 'string' }, format: { type: 'string' }, filter: { type: 'string' }, sort: { type: 'string' }, desc: { type: 'boolean' },
  } });
  if (!positionals[0]) throw new CliExit(2, 'usage: flowcase flows CASE [--filter EXPR] [--limit N] [--format table|csv|json]');
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new CliExit(2, `--limit wants a whole number, got '${values.limit}'`);
  const format = values.format ?? 'table';
  if (!['table', 'csv', 'json'].includes(format)) throw new CliExit(2, `--format is table, csv or json, not '${format}'`);
  const store = await openExisting(positionals[0]);
  try {
    const filter = compileUserFilter(values.filter);
    const column = (values.sort ?? 'start_us') as FlowSortColumn;
    if (!FLOW_SORT_COLUMNS.includes(column)) throw new CliExit(2, `--sort takes one of ${FLOW_SORT_COLUMNS.join(', ')}`);
    const sort = { column, desc: !!values.desc };
    const rows: FlowView[] = limit === 0 ? [] : (await queryFlowPage(store, { offset: 0, limit, sort, filter })).rows;
    if (format === 'csv') io.out(renderCsv(FLOW_COLUMNS_OUT, rows.map(flowRow)));
    if (format === 'json') io.out(JSON.stringify(rows) + '\n');
    if (format === 'table') io.out(renderTable(FLOW_COLUMNS_OUT, rows.map(flowRow)));
  } finally {
    store.close();
  }
  return 0;
});

registerCommand('evidence', async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (!positionals[0]) throw new CliExit(2, 'usage: flowcase evidence CASE [--json]');
  const store = await openExisting(positionals[0]);
  try {
    const ev = await listEvidence(store);
    if (values.json) io.out(JSON.stringify(ev, null, 1) + '\n');
    else io.out(renderTable(['id', 'name', 'format', 'size', 'records', 'rejected', 'sha256'],
      ev.map((e) => [e.evidenceId, e.name, e.format, e.size, e.records, e.rejected, e.sha256])));
  } finally {
    store.close();
  }
  return 0;
});

registerCommand('verify', async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (!positionals[0]) throw new CliExit(2, 'usage: flowcase verify CASE [--json]');
  const store = await openExisting(positionals[0]);
  let results;
  try {
    const ev = await listEvidence(store);
    results = [];
    for (const e of ev) {
      let status: 'match' | 'changed' | 'missing';
      let actual: string | null = null;
      if (!existsSync(e.path)) status = 'missing';
      else {
        actual = await sha256File(e.path);
        status = actual === e.sha256 ? 'match' : 'changed';
      }
      results.push({ evidence_id: e.evidenceId, path: e.path, expected: e.sha256, actual, status });
    }
  } finally {
    store.close();
  }
  if (values.json) io.out(JSON.stringify({ evidence: results }, null, 1) + '\n');
  else for (const r of results) io.out(`${r.status.padEnd(7)} ${r.path}${r.status === 'changed' ? ` (now ${r.actual})` : ''}\n`);
  const bad = results.filter((r) => r.status !== 'match').length;
  if (bad) io.err(`flowcase verify: ${bad} of ${results.length} evidence file(s) differ from what was imported\n`);
  return bad ? 1 : 0;
});

registerCommand('formats', async (argv, io) => {
  const { values } = parseArgs({ args: argv, allowPositionals: false, options: { json: { type: 'boolean' } } });
  const list = describeFormats().map(({ positionUnit, ...f }) => ({ ...f, position: positionUnit }));
  if (values.json) io.out(JSON.stringify(list, null, 1) + '\n');
  else io.out(renderTable(['id', 'format', 'files'], list.map((f) => [f.id, f.label, [...new Set([...f.patterns, ...f.extensions.map((e) => `*${e}`)])].join('  ')])));
  return 0;
});

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: Out): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.out(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version') {
    io.out(`${TOOL_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    io.err(`flowcase: unknown command '${cmd}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof CliExit) {
      io.err(`flowcase ${cmd}: ${err.message}\n`);
      return err.code;
    }
    if (err instanceof CaseOpenError || err instanceof ApiError) {
      io.err(`flowcase ${cmd}: ${err.message}\n`);
      return 1;
    }
    if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      io.err(`flowcase ${cmd}: ${(err as Error).message}\n`);
      return 2;
    }
    io.err(`flowcase ${cmd}: ${(err as Error).stack ?? err}\n`);
    return 1;
  }
}
