import { withCase } from '../cli-session';
import type { CliCommand } from '../command';

/** `flowcase verify CASE`: re-hashes every evidence file; exit 1 if any changed or is missing. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  args: 'CASE',
  flags: { json: {} },
  async run(args, io) {
    const checks = await withCase(args.positionals[0], 'read', (api) => api.invoke('evidence.verify', {}));
    const results = checks.map((c) => ({ evidence_id: c.evidenceId, path: c.path, expected: c.expected, actual: c.actual, status: c.status }));
    if (args.values.json) io.out(JSON.stringify({ evidence: results }, null, 1) + '\n');
    else for (const r of results) io.out(`${r.status.padEnd(7)} ${r.path}${r.status === 'changed' ? ` (now ${r.actual})` : ''}\n`);
    const bad = results.filter((r) => r.status !== 'match').length;
    if (bad) io.err(`flowcase verify: ${bad} of ${results.length} evidence file(s) differ from what was imported\n`);
    return bad ? 1 : 0;
  },
};
