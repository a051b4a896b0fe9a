import { resolve } from 'node:path';
import { withCase } from '../cli-session';
import { CliExit, listFlag, stringFlag, timeFlag, type CliCommand } from '../command';

/** `flowcase report CASE --out FILE.html [--host ADDR] [--since T] [--pdf FILE.pdf]`: the self-contained report (and its PDF). */
export const reportCommand: CliCommand = {
  name: 'report',
  args: 'CASE',
  flags: { out: { value: 'FILE.html' }, host: { value: 'ADDR', multiple: true }, since: { value: 'T' }, pdf: { value: 'FILE.pdf' } },
  usageErrors: ['bad-address', 'bad-arguments'],
  async run(args, io) {
    const out = stringFlag(args, 'out');
    if (!out) throw new CliExit(2, 'usage: flowcase report CASE --out FILE.html [--host ADDR] [--since T] [--pdf FILE.pdf]');
    const pdf = stringFlag(args, 'pdf');
    const hosts = listFlag(args, 'host').flatMap((h) => h.split(',')).map((h) => h.trim()).filter(Boolean);
    const sinceUs = timeFlag('since', stringFlag(args, 'since'));
    const r = await withCase(args.positionals[0], 'read', async (api) => {
      const res = await api.invoke('report.generate', { hosts, path: resolve(out), ...(sinceUs !== undefined ? { sinceUs } : {}) });
      if (!pdf) return { ...res, pdfError: null };
      const { htmlToPdfWithChromium } = await import('../../report/pdf');
      const p = await htmlToPdfWithChromium(res.htmlPath, resolve(pdf));
      return { ...res, pdfPath: p.ok ? resolve(pdf) : null, pdfError: p.ok ? null : p.message };
    });
    io.out(`report written to ${r.htmlPath}\n`);
    if (r.pdfPath) io.out(`PDF written to ${r.pdfPath}\n`);
    if (r.pdfError) {
      io.err(`flowcase report: ${r.pdfError}\n`);
      return 1;
    }
    return 0;
  },
};
