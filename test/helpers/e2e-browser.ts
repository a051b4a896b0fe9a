import { chromium, type Browser, type Page } from 'playwright-core';
import type { ImportDoneEvent } from '../../core/api/contract';
import type { FlowcaseService } from '../../core/api/flowcase-service';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags every e2e test uses (nothing reaches the network). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Starts an import through the contract and answers its `import.done` (listening before it starts). */
export function importAndWait(service: FlowcaseService, paths: string[]): Promise<ImportDoneEvent> {
  const done = new Promise<ImportDoneEvent>((resolve) => {
    const off = service.on('import.done', (e) => {
      off();
      resolve(e);
    });
  });
  return service.call('import.start', { paths }).then(() => done);
}

/**
 * Debian's Chromium, headless, one 1440×900 page in UTC opened at the app's URL (the case
 * name showing), with every Content-Security-Policy complaint of the page collected.
 */
export async function openApp(url: string): Promise<{ browser: Browser; page: Page; cspViolations: string[] }> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC', acceptDownloads: true });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
  await page.goto(url);
  await page.getByTestId('case-name').waitFor();
  return { browser, page, cspViolations };
}
