import { withCase } from '../cli-session';
import type { CliCommand } from '../command';
import { renderTable } from '../table-format';

/** `flowcase evidence CASE`: the evidence list (the contract's EvidenceView as JSON). */
export const evidenceCommand: CliCommand = {
  name: 'evidence',
  args: 'CASE',
  flags: { json: {} },
  async run(args, io) {
    const ev = await withCase(args.positionals[0], 'read', (api) => api.invoke('evidence.list', {}));
    if (args.values.json) io.out(JSON.stringify(ev, null, 1) + '\n');
    else io.out(renderTable(['id', 'name', 'format', 'size', 'records', 'rejected', 'sha256'],
      ev.map((e) => [e.evidenceId, e.name, e.format, e.size, e.records, e.rejected, e.sha256])));
    return 0;
  },
};
