import { withCase } from '../cli-session';
import { CliExit, listFlag, stringFlag, timeFlag, type CliCommand } from '../command';
import { renderTable } from '../table-format';

/** `flowcase assess CASE --host ADDR --since T [--json]`: what left the host after the compromise, and how sure that is. */
export const assessCommand: CliCommand = {
  name: 'assess',
  args: 'CASE',
  flags: { host: { value: 'ADDR', multiple: true }, since: { value: 'T' }, until: { value: 'T' }, json: {} },
  usageErrors: ['bad-address', 'bad-window', 'bad-arguments'],
  async run(args, io) {
    const hosts = listFlag(args, 'host').flatMap((h) => h.split(',')).map((h) => h.trim()).filter(Boolean);
    const sinceUs = timeFlag('since', stringFlag(args, 'since'));
    const untilUs = timeFlag('until', stringFlag(args, 'until'));
    if (!hosts.length || sinceUs === undefined) throw new CliExit(2, 'usage: flowcase assess CASE --host ADDR --since T [--until T] [--json]');
    const a = await withCase(args.positionals[0], 'read', (api) => api.invoke('assess.run', { hosts, sinceUs, ...(untilUs !== undefined ? { untilUs } : {}) }));
    if (args.values.json) {
      io.out(`${JSON.stringify(a, null, 1)}\n`);
      return 0;
    }
    io.out(`${a.host} sent ${a.bytes_out} bytes${a.coverage.sampled ? ` (estimate; ${a.bytes_out_recorded} recorded)` : ''} to ${a.destinations.length} destinations outside the internal networks between ${a.since} and ${a.until}\n\n`);
    io.out(renderTable(['addr', 'bytes', 'flows', 'first', 'last', 'ports'], a.destinations.map((d) => [d.addr, d.bytes, d.flows, d.first, d.last, d.ports.join(' ')])));
    io.out('\nqualifiers\n');
    for (const q of a.qualifiers) io.out(`- ${q.text}\n`);
    return 0;
  },
};
