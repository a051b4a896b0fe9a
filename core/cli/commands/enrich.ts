import { withCase } from '../cli-session';
import { listFlag, type CliCommand } from '../command';
import { renderTable } from '../table-format';

/** `flowcase enrich CASE --mmdb FILE [--mmdb FILE ...]`: attach MaxMind-format databases and look up every address. */
export const enrichCommand: CliCommand = {
  name: 'enrich',
  args: 'CASE',
  flags: { mmdb: { value: 'FILE', multiple: true }, json: {} },
  usageErrors: ['bad-database'],
  async run(args, io) {
    const mmdb = listFlag(args, 'mmdb');
    const r = await withCase(args.positionals[0], 'write', (api) => api.invoke('context.enrich', { mmdb }));
    if (args.values.json) {
      io.out(JSON.stringify({
        addresses: r.addresses, found: r.found,
        databases: r.databases.map((d) => ({ name: d.name, path: d.path, sha256: d.sha256, size: d.size, database_type: d.databaseType, build_epoch: d.buildEpoch })),
      }) + '\n');
      return 0;
    }
    io.out(renderTable(['database', 'type', 'sha256'], r.databases.map((d) => [d.name, d.databaseType ?? '-', d.sha256])));
    io.out(`\n${r.found} of ${r.addresses} addresses found in the databases\n`);
    return 0;
  },
};
