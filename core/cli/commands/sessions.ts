import type { SessionView } from '../../api/contract/sessions';
// From the analysis layer, not the contract: the contract module loads zod, which --help need not parse.
import { CONN_STATES, type ConnState } from '../../analysis/sessions/sessions-page';
import { microsToIso } from '../../model/time';
import { writeZeekConnLog } from '../../report/zeek-conn-writer';
import { pagedRows, withCase } from '../cli-session';
import { CliExit, stringFlag, wholeNumber, type CliCommand } from '../command';
import { renderCsv, renderTable } from '../table-format';

const COLUMNS = ['ts', 'uid', 'orig_h', 'orig_p', 'resp_h', 'resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes',
  'conn_state', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'confidence', 'direction_inferred', 'sightings'];

function sessionRow(s: SessionView): unknown[] {
  return [microsToIso(s.ts), s.uid, s.origH, s.origP, s.respH, s.respP, s.proto, s.service, Number(s.duration.toFixed(6)),
    s.origBytes, s.respBytes, s.connState, s.history, s.origPkts, s.origIpBytes, s.respPkts, s.respIpBytes, s.stateConfidence,
    s.directionInferred, s.sightings];
}

/** `flowcase sessions CASE`: reconstructed sessions; `--format zeek` writes a conn.log Zeek's tools read. */
export const sessionsCommand: CliCommand = {
  name: 'sessions',
  args: 'CASE',
  flags: { filter: { value: 'EXPR' }, state: { value: 'S0,REJ' }, limit: { value: 'N' }, format: { choices: ['table', 'csv', 'json', 'zeek'] } },
  usageErrors: ['bad-filter'],
  async run(args, io) {
    const format = stringFlag(args, 'format') ?? 'table';
    // A table is for reading: the first 100; the other formats are for tools: everything.
    const limit = wholeNumber('limit', stringFlag(args, 'limit'), format === 'table' ? 100 : Number.MAX_SAFE_INTEGER);
    const states = stringFlag(args, 'state')?.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    const bad = states?.filter((s) => !(CONN_STATES as readonly string[]).includes(s));
    if (bad?.length) throw new CliExit(2, `unknown conn_state ${bad.join(', ')} (one of ${CONN_STATES.join(' ')})`);
    const filter = stringFlag(args, 'filter');
    // Writable, so that sessions missing for evidence imported by an older Flowcase get built.
    return withCase(args.positionals[0], 'write', async (api) => {
      const rows = pagedRows(limit, (offset, n) => api.invoke('sessions.page', {
        offset, limit: n, sort: { column: 'ts', desc: false }, filter, states: states as ConnState[] | undefined,
      }));
      if (format === 'zeek') {
        await writeZeekConnLog(rows, { write: (t: string) => io.out(t) });
        return 0;
      }
      const all: SessionView[] = [];
      for await (const s of rows) all.push(s);
      if (format === 'json') io.out(JSON.stringify(all) + '\n');
      else io.out(format === 'csv' ? renderCsv(COLUMNS, all.map(sessionRow)) : renderTable(COLUMNS, all.map(sessionRow)));
      return 0;
    });
  },
};
