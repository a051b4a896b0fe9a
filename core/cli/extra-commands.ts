import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { hostSummary, isPivotFailure } from '../query/pivot-queries';
import { parseTimeToMicros } from '../model/time';
import { CaseStore } from '../store/case-store';
import { CliExit, registerCommand } from './main';
import { renderCsv, renderTable } from './table-format';
import { sessionFilterSql } from '../api/analysis-handlers';
import { ensureSessions } from '../analysis/sessions/ensure-sessions';
import { CONN_STATES, sessionsPage } from '../analysis/sessions/sessions-page';
import type { SessionView } from '../analysis/sessions/session-view';
import { writeZeekConnLog } from '../report/zeek-conn-writer';
import { microsToIso } from '../model/time';

/**
 * Subcommands that live beside their feature (pivot, sessions, ...) register themselves
 * here with registerCommand, so main.ts stays the spine.
 */

function timeArg(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const us = parseTimeToMicros(v);
  if (us === null) throw new CliExit(2, `--${flag} wants an ISO-8601 time (2024-01-12T10:00Z) or epoch seconds, got '${v}'`);
  return us;
}

async function openCase(path: string | undefined, usage: string): Promise<CaseStore> {
  if (!path) throw new CliExit(2, usage);
  if (!existsSync(path)) throw new CliExit(1, `no such case: ${path}`);
  return CaseStore.open(path, { create: false, readOnly: true });
}

registerCommand('pivot', async (argv, io) => {
  const usage = 'usage: flowcase pivot CASE ADDRESS [--from T] [--to T] [--filter EXPR] [--json]';
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
    from: { type: 'string' }, to: { type: 'string' }, filter: { type: 'string' }, json: { type: 'boolean' },
  } });
  if (!positionals[1]) throw new CliExit(2, usage);
  const store = await openCase(positionals[0], usage);
  try {
    const r = await hostSummary(store, positionals[1], { fromUs: timeArg('from', values.from), toUs: timeArg('to', values.to), filter: values.filter });
    if (isPivotFailure(r)) throw new CliExit(2, r.error.message);
    if (values.json) {
      io.out(JSON.stringify(r) + '\n');
      return 0;
    }
    io.out(`host ${r.host}\nfirst seen ${r.first_seen ?? '-'}\nlast seen  ${r.last_seen ?? '-'}\nflows ${r.flows}\n`);
    io.out(`out: ${r.packets_out} packets, ${r.bytes_out} bytes\nin:  ${r.packets_in} packets, ${r.bytes_in} bytes\n\npeers\n`);
    io.out(renderTable(['addr', 'flows', 'bytes', 'first_seen', 'last_seen'], r.peers.map((p) => [p.addr, p.flows, p.bytes, p.first_seen, p.last_seen])));
    io.out('\nports\n');
    io.out(renderTable(['port', 'proto', 'role', 'flows', 'bytes'], r.ports.map((p) => [p.port, p.proto, p.role, p.flows, p.bytes])));
    return 0;
  } finally {
    store.close();
  }
});

const SESSION_COLUMNS_OUT = ['ts', 'uid', 'orig_h', 'orig_p', 'resp_h', 'resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes',
  'conn_state', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'confidence', 'direction_inferred', 'sightings'];

registerCommand('sessions', async (argv, io) => {
  const usage = 'usage: flowcase sessions CASE [--filter EXPR] [--state S0,REJ,...] [--limit N] [--format table|csv|json|zeek]';
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
    filter: { type: 'string' }, state: { type: 'string' }, limit: { type: 'string' }, format: { type: 'string' },
  } });
  const format = values.format ?? 'table';
  if (!['table', 'csv', 'json', 'zeek'].includes(format)) throw new CliExit(2, `--format is table, csv, json or zeek, not '${format}'`);
  const limit = values.limit === undefined ? (format === 'zeek' || format === 'csv' || format === 'json' ? Number.MAX_SAFE_INTEGER : 100) : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new CliExit(2, `--limit wants a whole number, got '${values.limit}'`);
  const states = values.state?.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  const bad = states?.filter((s) => !(CONN_STATES as readonly string[]).includes(s));
  if (bad?.length) throw new CliExit(2, `unknown conn_state ${bad.join(', ')} (one of ${CONN_STATES.join(' ')})`);
  if (!positionals[0]) throw new CliExit(2, usage);
  if (!existsSync(positionals[0])) throw new CliExit(1, `no such case: ${positionals[0]}`);
  // Writable so that sessions missing for evidence imported by an older Flowcase get built.
  const store = await CaseStore.open(positionals[0], { create: false });
  try {
    await ensureSessions(store);
    let f: ReturnType<typeof sessionFilterSql>;
    try {
      f = sessionFilterSql(values.filter);
    } catch (err) {
      throw new CliExit(2, (err as Error).message);
    }
    async function* rows(): AsyncGenerator<SessionView> {
      const pageSize = 5000;
      for (let offset = 0; offset < limit; offset += pageSize) {
        const page = await sessionsPage(store, {
          offset, limit: Math.min(pageSize, limit - offset), sort: { column: 'ts', desc: false }, filterSql: f.sql, params: f.params, states,
        });
        yield* page.rows;
        if (page.rows.length < pageSize) return;
      }
    }
    if (format === 'zeek') {
      await writeZeekConnLog(rows(), { write: (t: string) => io.out(t) });
      return 0;
    }
    const all: SessionView[] = [];
    for await (const s of rows()) all.push(s);
    if (format === 'json') {
      io.out(JSON.stringify(all) + '\n');
      return 0;
    }
    const table = all.map((s) => [microsToIso(s.ts), s.uid, s.origH, s.origP, s.respH, s.respP, s.proto, s.service, Number(s.duration.toFixed(6)),
      s.origBytes, s.respBytes, s.connState, s.history, s.origPkts, s.origIpBytes, s.respPkts, s.respIpBytes, s.stateConfidence,
      s.directionInferred, s.sightings]);
    io.out(format === 'csv' ? renderCsv(SESSION_COLUMNS_OUT, table) : renderTable(SESSION_COLUMNS_OUT, table));
    return 0;
  } finally {
    store.close();
  }
});
