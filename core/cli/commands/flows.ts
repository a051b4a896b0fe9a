import { FLOW_SORT_COLUMNS, type FlowSortColumn, type FlowView } from '../../api/contract/flows';
import { protoName } from '../../model/protocols';
import { tcpFlagsText } from '../../model/tcp-flags';
import { microsToIso } from '../../model/time';
import { pagedRows, withCase } from '../cli-session';
import { CliExit, stringFlag, wholeNumber, type CliCommand } from '../command';
import { renderCsv, renderTable } from '../table-format';

const COLUMNS = ['start', 'end', 'proto', 'src_addr', 'src_port', 'dst_addr', 'dst_port', 'packets', 'bytes', 'rev_packets', 'rev_bytes',
  'flags', 'rev_flags', 'state', 'label', 'evidence_id', 'src_pos', 'name'];

function flowRow(f: FlowView): unknown[] {
  return [microsToIso(f.startUs), microsToIso(f.endUs), protoName(f.proto), f.srcAddr, f.srcPort, f.dstAddr, f.dstPort, f.packets, f.bytes,
    f.revPackets, f.revBytes, tcpFlagsText(f.tcpFlags), tcpFlagsText(f.revTcpFlags), f.state, f.label, f.evidenceId, f.srcPos, f.name ?? null];
}

/** `flowcase flows CASE`: flows sorted by the database, as a table, CSV or JSON (the contract's FlowView). */
export const flowsCommand: CliCommand = {
  name: 'flows',
  args: 'CASE',
  flags: { filter: { value: 'EXPR' }, limit: { value: 'N' }, sort: { value: 'COL' }, desc: {}, format: { choices: ['table', 'csv', 'json'] } },
  async run(args, io) {
    const limit = wholeNumber('limit', stringFlag(args, 'limit'), 100);
    const format = stringFlag(args, 'format') ?? 'table';
    const column = (stringFlag(args, 'sort') ?? 'start_us') as FlowSortColumn;
    if (!FLOW_SORT_COLUMNS.includes(column)) throw new CliExit(2, `--sort takes one of ${FLOW_SORT_COLUMNS.join(', ')}`);
    const sort = { column, desc: !!args.values.desc };
    const filter = stringFlag(args, 'filter');
    const rows = await withCase(args.positionals[0], 'read', async (api) => {
      const out: FlowView[] = [];
      for await (const f of pagedRows(limit, (offset, n) => api.invoke('flows.page', { offset, limit: n, sort, filter }))) out.push(f);
      return out;
    });
    if (format === 'csv') io.out(renderCsv(COLUMNS, rows.map(flowRow)));
    if (format === 'json') io.out(JSON.stringify(rows) + '\n');
    if (format === 'table') io.out(renderTable(COLUMNS, rows.map(flowRow)));
    return 0;
  },
};
