import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { hostSummary, isPivotFailure } from '../query/pivot-queries';
import { parseTimeToMicros } from '../model/time';
import { CaseStore } from '../store/case-store';
import { CliExit, registerCommand } from './main';
import { renderTable } from './table-format';

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
