import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import '../../core/formats/index';
import type { ImportDoneEvent } from '../../core/api/contract';
import { startWebServer, type WebServer } from '../../core/web/server';
import { REPO_ROOT } from '../helpers/corpus';
import { tempDir } from '../helpers/temp';
import { utcText } from './utc-text';
import { syntheticConn, writeZeekConnLog } from '../helpers/zeek-log-writer';
import { launchChromium } from '../helpers/e2e-browser';

const STATIC_DIR = join(REPO_ROOT, 'dist', 'renderer');
const SHOTS = join(REPO_ROOT, 'test', 'e2e', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * More rows than fit a browser's maximum element height at 22 px per row once compressed
 * (the grid switches to a scaled scroll range above 8 million px, i.e. about 364 000 rows).
 */
const ROWS = 400_000;

/** The first row whose top is inside the grid's viewport: its index and start time text. */
async function firstVisibleRow(page: Page): Promise<{ index: number; start: string }> {
  return page.evaluate(() => {
    const sc = document.querySelector('.flows-grid .vt-scroll')!;
    const top = sc.getBoundingClientRect().top;
    const rows = [...sc.querySelectorAll<HTMLElement>('[role=row]:not(.loading)')].filter((r) => r.getBoundingClientRect().top >= top - 1);
    rows.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    const r = rows[0];
    return { index: Number(r.getAttribute('aria-rowindex')) - 1, start: r.querySelector('[data-col=start_us]')!.textContent ?? '' };
  });
}

async function scrollTo(page: Page, fraction: number): Promise<void> {
  await page.locator('.flows-grid .vt-scroll').evaluate((el, f) => {
    el.scrollTop = f * (el.scrollHeight - el.clientHeight);
  }, fraction);
  // Let the scroll event and the virtualiser's re-render happen before looking for loading rows.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
  await expect.poll(() => page.locator('.flows-grid .vt-body [role=row].loading').count(), { timeout: 30_000 }).toBe(0);
}

const startText = (i: number) => utcText(syntheticConn(i).ts);

describe.skipIf(!existsSync(CHROMIUM))('flows grid with more rows than a browser can lay out', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let tmp: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error(`renderer not built (${STATIC_DIR}): run npx vite build first`);
    tmp = tempDir('flowcase-e2e-big-');
    process.env.FLOWCASE_HOME = join(tmp.dir, 'home');
    const log = join(tmp.dir, 'big.conn.log');
    await writeZeekConnLog(log, ROWS);
    await writeZeekConnLog(join(tmp.dir, 'more.conn.log'), ROWS, ROWS);
    server = await startWebServer({ port: 0, host: '127.0.0.1', staticDir: STATIC_DIR });
    // The case is prepared through the service (the UI import path has its own test).
    await server.service.openCase(join(tmp.dir, 'big.duckdb'));
    const done = new Promise<ImportDoneEvent>((ok) => server.service.on('import.done', ok));
    await server.service.call('import.start', { paths: [log] });
    const result = await done;
    expect(result.results[0]?.ok).toBe(true);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC' })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp?.cleanup();
  });

  it('shows the row count and reaches the middle and the very last row with the right content', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('flow-count').getAttribute('data-total'), { timeout: 30_000 }).toBe(String(ROWS));
    const height = await page.locator('.flows-grid .vt-body').evaluate((el) => el.getBoundingClientRect().height);
    expect(height).toBeLessThan(ROWS * 22); // the scroll range is compressed

    await scrollTo(page, 0.5);
    const mid = await firstVisibleRow(page);
    expect(Math.abs(mid.index - ROWS / 2)).toBeLessThan(ROWS / 100);
    expect(mid.start).toBe(startText(mid.index));

    await scrollTo(page, 1);
    // The virtualiser re-renders after the scroll event: wait for it rather than read at once.
    await expect.poll(() => page.evaluate(() => {
      const rows = [...document.querySelectorAll('.flows-grid .vt-body [role=row]')];
      return Math.max(...rows.map((r) => Number(r.getAttribute('aria-rowindex'))));
    }), { timeout: 15_000 }).toBe(ROWS);
    const last = page.locator(`.flows-grid [role=row][aria-rowindex="${ROWS}"]`);
    // The last row sits fully inside the viewport.
    const [rowBox, viewBox] = await Promise.all([last.boundingBox(), page.locator('.flows-grid .vt-scroll').boundingBox()]);
    expect(rowBox!.y + rowBox!.height).toBeLessThanOrEqual(viewBox!.y + viewBox!.height + 1);
    expect(await last.locator('[data-col=start_us]').textContent()).toBe(startText(ROWS - 1));
    await page.screenshot({ path: join(SHOTS, '20-big-table-end.png') });
  });

  it('scrolls consecutively row by row in the compressed range (no gaps or overlaps)', async () => {
    await scrollTo(page, 0.25);
    const tops = await page.evaluate(() => {
      const rows = [...document.querySelectorAll<HTMLElement>('.flows-grid .vt-body [role=row]')];
      return rows
        .map((r) => ({ i: Number(r.getAttribute('aria-rowindex')), top: r.getBoundingClientRect().top }))
        .sort((a, b) => a.i - b.i);
    });
    for (let k = 1; k < tops.length; k++) {
      expect(tops[k].i).toBe(tops[k - 1].i + 1);
      expect(Math.round(tops[k].top - tops[k - 1].top)).toBe(22);
    }
  });

  it('cancels a running import from the progress panel and leaves the case as it was', async () => {
    await page.getByTestId('nav-evidence').click();
    await page.getByTestId('add-evidence').click();
    const pathBox = page.getByTestId('file-browser-path');
    await pathBox.fill(tmp.dir);
    await pathBox.press('Enter');
    await page.locator('.fb-entry[data-name="more.conn.log"]').click();
    await page.getByTestId('file-browser-choose').click();
    await page.locator('[data-testid=ready-file][data-name="more.conn.log"]').waitFor();
    await page.getByTestId('import-staged').click();
    const progress = page.getByTestId('import-progress');
    await expect.poll(() => progress.textContent(), { timeout: 30_000 }).toMatch(/[1-9][\d,]* records/);
    await page.screenshot({ path: join(SHOTS, '21-import-progress.png') });
    await page.getByTestId('cancel-import').click();
    const results = page.getByTestId('import-results');
    await expect.poll(() => results.textContent(), { timeout: 60_000 }).toContain('cancelled');
    expect(await results.textContent()).toContain('0 of 1 imported');
    expect(await page.getByTestId('case-flows').textContent()).toBe(ROWS.toLocaleString('en-US'));
    expect(await page.getByTestId('evidence-row').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, '22-import-cancelled.png') });
  });
});
