import type { HostSummary } from '../../api/contract/pivot';
import { microsToIso } from '../../model/time';
import { withCase } from '../cli-session';
import { evidenceFlag, stringFlag, timeFlag, type CliCommand } from '../command';
import { renderTable } from '../table-format';

const iso = (us: number | null): string | null => (us === null ? null : microsToIso(us));

/** The pivot as the CLI's published JSON names it: snake_case keys, times as ISO-8601 UTC. */
function pivotJson(r: HostSummary) {
  return {
    host: r.host, country: r.context.country, asn: r.context.asn, as_org: r.context.asOrg, names: r.context.names, asset: r.context.asset,
    first_seen: iso(r.firstUs), last_seen: iso(r.lastUs), flows: r.flows,
    packets_out: r.packetsOut, packets_in: r.packetsIn, bytes_out: r.bytesOut, bytes_in: r.bytesIn,
    // Counts times each flow's sampling interval (= the raw counts when nothing is sampled).
    est_packets: r.estPackets, est_bytes: r.estBytes,
    peers: r.peers.map((p) => ({
      addr: p.addr, flows: p.flows, bytes: p.bytes, packets: p.packets, est_bytes: p.estBytes, est_packets: p.estPackets, first_seen: microsToIso(p.firstUs), last_seen: microsToIso(p.lastUs), internal: p.internal,
      country: p.country, asn: p.asn, as_org: p.asOrg, city: p.city, names: p.names, asset: p.asset,
    })),
    ports: r.ports.map((p) => ({ port: p.port, proto: p.proto, role: p.role, flows: p.flows, bytes: p.bytes })),
  };
}

/** `flowcase pivot CASE ADDRESS`: everything one host did. */
export const pivotCommand: CliCommand = {
  name: 'pivot',
  args: 'CASE ADDRESS',
  flags: { from: { value: 'T' }, to: { value: 'T' }, filter: { value: 'EXPR' }, evidence: { value: 'all|counted|ID,...' }, json: {} },
  usageErrors: ['bad-address', 'bad-filter', 'bad-window'],
  async run(args, io) {
    const [casePath, addr] = args.positionals;
    const query = {
      addr, fromUs: timeFlag('from', stringFlag(args, 'from')), toUs: timeFlag('to', stringFlag(args, 'to')), filter: stringFlag(args, 'filter'), evidence: evidenceFlag(args),
      peerLimit: 100, portLimit: 100,
    };
    const r = pivotJson(await withCase(casePath, 'read', (api) => api.invoke('pivot.host', query)));
    if (args.values.json) {
      io.out(JSON.stringify(r) + '\n');
      return 0;
    }
    io.out(`host ${r.host}\nfirst seen ${r.first_seen ?? '-'}\nlast seen  ${r.last_seen ?? '-'}\nflows ${r.flows}\n`);
    io.out(`out: ${r.packets_out} packets, ${r.bytes_out} bytes\nin:  ${r.packets_in} packets, ${r.bytes_in} bytes\n\npeers\n`);
    io.out(renderTable(['addr', 'country', 'asn', 'names', 'flows', 'bytes', 'first_seen', 'last_seen'], r.peers.map((p) => [
      p.addr, p.country ?? '-', p.asn ?? '-', p.names.length ? p.names.join(' ') : '-', p.flows, p.bytes, p.first_seen, p.last_seen,
    ])));
    io.out('\nports\n');
    io.out(renderTable(['port', 'proto', 'role', 'flows', 'bytes'], r.ports.map((p) => [p.port, p.proto, p.role, p.flows, p.bytes])));
    return 0;
  },
};
