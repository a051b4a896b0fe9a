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

/**
 * One session as `--format json` writes it: Zeek's conn.log field names and meanings (as Zeek's
 * JSON writer: `ts` in epoch seconds, `orig_bytes` payload, `orig_ip_bytes` IP-layer bytes;
 * null where the evidence cannot show a value), then Flowcase's own fields.
 */
export function sessionJson(s: SessionView): Record<string, unknown> {
  return {
    ts: s.ts / 1e6, uid: s.uid, 'id.orig_h': s.origH, 'id.orig_p': s.origP, 'id.resp_h': s.respH, 'id.resp_p': s.respP,
    proto: s.proto, service: s.service, duration: Number(s.duration.toFixed(6)), orig_bytes: s.origBytes, resp_bytes: s.respBytes,
    conn_state: s.connState, history: s.history, orig_pkts: s.origPkts, orig_ip_bytes: s.origIpBytes, resp_pkts: s.respPkts,
    resp_ip_bytes: s.respIpBytes, missed_bytes: s.missedBytes,
    // Flowcase's own.
    start: microsToIso(s.ts), end: microsToIso(s.endUs), ip_proto: s.ipProto, direction_inferred: s.directionInferred,
    state_confidence: s.stateConfidence, state_reason: s.stateReason, source_format: s.sourceFormat, sightings: s.sightings,
    flow_ids: s.flowIds, evidence_ids: s.evidenceIds, name: s.name ?? null,
  };
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
      if (format === 'json') io.out(JSON.stringify(all.map(sessionJson)) + '\n');
      else io.out(format === 'csv' ? renderCsv(COLUMNS, all.map(sessionRow)) : renderTable(COLUMNS, all.map(sessionRow)));
      return 0;
    });
  },
};
