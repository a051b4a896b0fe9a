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
    if (args.values.json) io.out(JSON.stringify({ flows: s.flows, packets: s.packets, bytes: s.bytes, first: s.first, last: s.last }) + '\n');
    else io.out(`flows ${s.flows}\npackets ${s.packets}\nbytes ${s.bytes} (${humanBytes(s.bytes)})\nfirst ${s.first ?? '-'}\nlast ${s.last ?? '-'}\n`);
    return 0;
  },
};
