import type { CaseVerification, CustodyCheck } from '../../api/contract/custody';
import { withCase } from '../cli-session';
import { CliExit, type CliCommand } from '../command';

const CHECKS: readonly CustodyCheck[] = ['files', 'rows', 'chain', 'schema'];

/**
 * `flowcase verify CASE [--json] [--only files,rows,chain,schema]`: checks the evidence files
 * against their SHA-256, the stored rows of each evidence against their digest, the audit
 * chain end to end and the schema (#14); names what changed; exit 1 if anything did. Opens
 * the case read-only (verifying never changes it, so nothing is recorded from here).
 */
export const verifyCommand: CliCommand = {
  name: 'verify',
  args: 'CASE',
  flags: { json: {}, only: { value: 'CHECKS' } },
  async run(args, io) {
    const only = typeof args.values.only === 'string' ? args.values.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    const bad = only?.find((c) => !CHECKS.includes(c as CustodyCheck));
    if (bad) throw new CliExit(2, `flowcase verify: unknown check '${bad}' (use ${CHECKS.join(',')})`);
    const v = await withCase(args.positionals[0], 'read', (api) =>
      api.invoke('custody.verify', { checks: only as CustodyCheck[] | undefined }));
    if (args.values.json) io.out(JSON.stringify(toJson(v), null, 1) + '\n');
    else io.out(toText(v));
    if (!v.ok) io.err(`flowcase verify: ${v.findings.length} problem(s): the case or its evidence changed since it was recorded\n`);
    return v.ok ? 0 : 1;
  },
};

/** The JSON scripts read: `evidence` as before (#14 adds the rest). */
function toJson(v: CaseVerification) {
  return {
    ok: v.ok,
    checks: v.checks,
    evidence: v.files.map((c) => ({ evidence_id: c.evidenceId, path: c.path, expected: c.expected, actual: c.actual, status: c.status })),
    rows_checked: v.rowsChecked,
    chain: { entries: v.chain.entries, head_entry: v.chain.headSeq, head_hash: v.chain.headHash },
    findings: v.findings.map((f) => ({
      check: f.check, code: f.code, message: f.message,
      ...(f.evidenceId !== undefined ? { evidence_id: f.evidenceId } : {}), ...(f.entries ? { entries: f.entries } : {}),
    })),
  };
}

function toText(v: CaseVerification): string {
  const lines = v.files.map((r) => `${r.status.padEnd(7)} ${r.path}${r.status === 'changed' ? ` (now ${r.actual})` : ''}`);
  if (v.checks.includes('rows')) lines.push(`rows    ${v.rowsChecked} evidence checked against their digests`);
  if (v.checks.includes('chain')) lines.push(`chain   ${v.chain.entries} entries, head #${v.chain.headSeq ?? '-'} ${v.chain.headHash ?? '-'}`);
  for (const f of v.findings) lines.push(`CHANGED ${f.message}`);
  lines.push(v.ok ? 'verified: nothing changed' : `NOT VERIFIED: ${v.findings.length} problem(s)`);
  return lines.join('\n') + '\n';
}
