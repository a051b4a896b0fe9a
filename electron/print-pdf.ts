import { BrowserWindow, session } from 'electron';
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { PdfResult } from '../core/report/pdf';
import { WEB_PREFERENCES } from './security-policy';

/** A session of its own for printing, so the app's rule (nothing but flowcase://) stays as it is. */
const PRINT_PARTITION = 'flowcase-print';

/**
 * The desktop app's PDF: the report file loaded into a hidden window with JavaScript off
 * (the report needs none) whose session may load that one file and nothing else, then
 * Chromium's printToPDF with the report's own print CSS (A4, backgrounds).
 */
export async function printPdfWithElectron(htmlPath: string, pdfPath: string): Promise<PdfResult> {
  const url = pathToFileURL(htmlPath).href;
  const ses = session.fromPartition(PRINT_PARTITION);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== url }));
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const win = new BrowserWindow({ show: false, webPreferences: { ...WEB_PREFERENCES, javascript: false, partition: PRINT_PARTITION } });
  try {
    await win.loadURL(url);
    const data = await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
    await writeFile(pdfPath, data);
    return { ok: true, bytes: data.length };
  } catch (err) {
    return { ok: false, message: `the PDF could not be printed: ${(err as Error).message}` };
  } finally {
    win.destroy();
  }
}
