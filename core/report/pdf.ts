import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where a Chromium or Chrome may live (the CLI and web mode print PDF through it). */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The browser to print with: $FLOWCASE_CHROMIUM when set, else the first candidate that exists; null when none. */
export function findChromium(env: Record<string, string | undefined> = process.env): string | null {
  if (env.FLOWCASE_CHROMIUM) return existsSync(env.FLOWCASE_CHROMIUM) ? env.FLOWCASE_CHROMIUM : null;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export type PdfResult = { ok: true; bytes: number } | { ok: false; message: string };

/** What to tell someone whose machine has no browser to print with. */
export function noChromiumMessage(htmlPath: string, env: Record<string, string | undefined> = process.env): string {
  const looked = env.FLOWCASE_CHROMIUM ? `FLOWCASE_CHROMIUM=${env.FLOWCASE_CHROMIUM} does not exist` : `looked for ${CHROMIUM_CANDIDATES.join(', ')}`;
  return `a PDF needs Chromium or Google Chrome and none was found (${looked}). Install one (apt-get install chromium) or set `
    + `FLOWCASE_CHROMIUM to its path. The HTML report is at ${htmlPath}: any browser prints it to PDF as it is.`;
}

/**
 * Prints a self-contained HTML file to PDF with headless Chromium (A4, no header or footer
 * lines, the report's own print CSS). A throwaway profile directory keeps it from touching
 * or locking the user's browser; the process is killed if it hangs.
 */
export async function htmlToPdfWithChromium(htmlPath: string, pdfPath: string, opts: { chromium?: string | null; timeoutMs?: number } = {}): Promise<PdfResult> {
  const chromium = opts.chromium === undefined ? findChromium() : opts.chromium;
  if (!chromium) return { ok: false, message: noChromiumMessage(htmlPath) };
  const profile = mkdtempSync(join(tmpdir(), 'flowcase-pdf-'));
  const out = resolve(pdfPath);
  const args = [
    '--headless', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-background-networking',
    '--no-pdf-header-footer', `--user-data-dir=${profile}`, `--print-to-pdf=${out}`,
    // Chromium refuses to run as root with its sandbox; the file printed is our own report.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    pathToFileURL(resolve(htmlPath)).href,
  ];
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
      child.on('error', (e) => { clearTimeout(timer); fail(e); });
      child.on('close', (c) => { clearTimeout(timer); done({ code: c, stderr }); });
    });
    if (code !== 0 || !existsSync(out) || statSync(out).size === 0) {
      const last = stderr.trim().split('\n').filter((l) => !/dbus|Fontconfig/i.test(l)).slice(-3).join(' | ');
      return { ok: false, message: `${chromium} could not print ${htmlPath} to PDF (exit ${code})${last ? `: ${last}` : ''}` };
    }
    return { ok: true, bytes: statSync(out).size };
  } catch (e) {
    return { ok: false, message: `${chromium} could not be started: ${(e as Error).message}` };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
