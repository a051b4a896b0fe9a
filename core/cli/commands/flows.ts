import type { FlowView } from '../../api/contract/flows';
// From the query layer, not the contract: the contract module loads zod, which --help need not parse.
import { FLOW_SORT_COLUMNS, type FlowSortColumn } from '../../query/flow-sort';
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

/**
 * One flow as `--format json` writes it: the CSV's snake_case names and values first, then the
 * rest of the record under snake_case names (times also as UTC µs; `last_packet` is the last
 * packet of any kind, where `end` follows Zeek's duration for captures).
 */
export function flowJson(f: FlowView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const row = flowRow(f);
  COLUMNS.forEach((c, i) => { out[c] = row[i]; });
  return {
    flow_id: f.flowId, ...out, last_packet: microsToIso(f.lastPacketUs), history: f.history, service: f.service, uid: f.uid,
    proto_number: f.proto, ip_version: f.ipVersion, tcp_flags: f.tcpFlags, rev_tcp_flags: f.revTcpFlags, icmp_type: f.icmpType,
    icmp_code: f.icmpCode, tos: f.tos, in_if: f.inIf, out_if: f.outIf, src_as: f.srcAs, dst_as: f.dstAs, exporter: f.exporter,
    sampling: f.sampling, bad_checksums: f.badChecksums, start_us: f.startUs, end_us: f.endUs, last_packet_us: f.lastPacketUs,
  };
}

/** `flowcase flows CASE`: flows sorted by the database, as a table, CSV or JSON (the CSV's snake_case names, and more). */
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
    if (format === 'json') io.out(JSON.stringify(rows.map(flowJson)) + '\n');
    if (format === 'table') io.out(renderTable(COLUMNS, rows.map(flowRow)));
    return 0;
  },
};
