import { withCase } from '../cli-session';
import { stringFlag, type CliCommand } from '../command';
import { humanBytes } from '../table-format';

/** `flowcase stats CASE`: flows, packets and bytes (both directions), first and last time. */
export const statsCommand: CliCommand = {
  name: 'stats',
  args: 'CASE',
  flags: { filter: { value: 'EXPR' }, json: {} },
  async run(args, io) {
    const s = await withCase(args.positionals[0], 'read', (api) => api.invoke('flows.stats', { filter: stringFlag(args, 'filter') }));
    // est_*: counts times each flow's sampling interval (= the raw counts when nothing is sampled).
    if (args.values.json) {
      io.out(JSON.stringify({ flows: s.flows, packets: s.packets, bytes: s.bytes, first: s.first, last: s.last, est_packets: s.estPackets, est_bytes: s.estBytes }) + '\n');
      return 0;
    }
    io.out(`flows ${s.flows}\npackets ${s.packets}\nbytes ${s.bytes} (${humanBytes(s.bytes)})\nfirst ${s.first ?? '-'}\nlast ${s.last ?? '-'}\n`);
    if (s.samplingMax !== null) {
      const factor = s.samplingMin === s.samplingMax ? `1 in ${s.samplingMax}` : `1 in ${s.samplingMin}..${s.samplingMax}`;
      io.out(`estimated (sampled ${factor}): ≈ ${s.estPackets} packets, ≈ ${s.estBytes} bytes (${humanBytes(s.estBytes)})\n`);
    }
    return 0;
  },
};
