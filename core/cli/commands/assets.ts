import { withCase } from '../cli-session';
import { CliExit, stringFlag, type CliCommand } from '../command';

/** `flowcase assets CASE --import FILE`: replace the case's asset list (CSV: address or CIDR, name, owner, criticality). */
export const assetsCommand: CliCommand = {
  name: 'assets',
  args: 'CASE',
  flags: { import: { value: 'FILE' }, json: {} },
  usageErrors: ['bad-asset-list'],
  async run(args, io) {
    const file = stringFlag(args, 'import');
    if (!file) throw new CliExit(2, 'say which asset list to import: --import FILE (CSV: address or CIDR, name, owner, criticality)');
    const r = await withCase(args.positionals[0], 'write', (api) => api.invoke('context.importAssets', { path: file }));
    io.out(args.values.json ? `${JSON.stringify(r)}\n` : `${r.entries} asset entries from ${r.file}\n`);
    return 0;
  },
};
