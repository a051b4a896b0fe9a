import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../core/formats/index';
import { startWebServer, type WebServer } from '../../core/web/server';
import { BREACH } from '../helpers/breach-capture';
import { REPO_ROOT } from '../helpers/corpus';
import { CHROMIUM, importAndWait, openApp } from '../helpers/e2e-browser';
import { FIN_SCAN, writeScanCapture } from '../helpers/scan-capture';
import { tempDir } from '../helpers/temp';
import { writeZeekConnLog } from '../helpers/zeek-log-writer';

const STATIC_DIR = join(REPO_ROOT, 'dist', 'renderer');
const SHOTS = join(REPO_ROOT, 'test', 'e2e', 'screenshots');
const DOC_SHOTS = join(REPO_ROOT, 'docs', 'screenshots');
/** The machine is shared: answers that need the core get time. */
const SLOW = { timeout: 60_000, interval: 200 };

/** A screenshot for the test run, and a copy for the README. */
async function shot(page: Page, name: string, doc = false): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  if (doc) copyFileSync(join(SHOTS, `${name}.png`), join(DOC_SHOTS, `${name}.png`));
}

/**
 * What an analyst who uses the app all day trips over (issue #11), in Chromium: a capture
 * with a refused SYN scan and a FIN scan, the incoming chart telling answered, refused and
 * unanswered apart, filters that show wherever they apply, and times read in the zone shown.
 */
describe.skipIf(!existsSync(CHROMIUM))('daily use in Chromium: scans stand out, filters show, times say their zone', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let tmp: { dir: string; cleanup: () => void };
  let cspViolations: string[] = [];
  let totalFlows = 0;

  beforeAll(async () => {
    if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error(`renderer not built (${STATIC_DIR}): run npx vite build first`);
    tmp = tempDir('flowcase-e2e-daily-');
    process.env.FLOWCASE_HOME = join(tmp.dir, 'home');
    mkdirSync(SHOTS, { recursive: true });
    const capture = join(tmp.dir, 'scans.pcap');
    writeScanCapture(capture);
    server = await startWebServer({ port: 0, host: '127.0.0.1', staticDir: STATIC_DIR });
    await server.service.openCase(join(tmp.dir, 'daily-case.duckdb'));
    await server.service.call('case.setTimeZone', { timeZone: 'UTC' });
    const done = importAndWait(server.service, [capture]);
    const result = (await done).results[0];
    expect(result.ok).toBe(true);
    totalFlows = 30 + 1 + 1 + FIN_SCAN.ports;
    ({ browser, page, cspViolations } = await openApp(server.url));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp?.cleanup();
  });

  it('the incoming chart draws refused (RST) and unanswered apart from answered, and the FIN scanner leads the probers', async () => {
    await page.getByTestId('nav-overview').click();
    const incoming = page.getByTestId('incoming-chart');
    await incoming.waitFor(SLOW);
    // SYNs answered by RST are refused, not answered: every bar of the SYN-scanned ports is orange.
    await expect.poll(() => incoming.locator('rect[data-part="refused (RST)"]').evaluateAll((rs) => rs.filter((r) => Number(r.getAttribute('data-value')) > 0).length), SLOW).toBeGreaterThan(0);
    const probers = page.getByTestId('probers-chart');
    await probers.waitFor(SLOW);
    const labels = await probers.locator('[data-testid=bar-label]').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-key')));
    expect(labels).toEqual([FIN_SCAN.scanner, BREACH.attacker]);
    const fin = probers.locator('g', { has: page.locator(`[data-key="${FIN_SCAN.scanner}"]`) }).first();
    expect(await fin.locator('rect[data-part="refused (RST)"]').getAttribute('data-value')).toBe(String(FIN_SCAN.closed));
    expect(await fin.locator('rect[data-part="unanswered"]').getAttribute('data-value')).toBe(String(FIN_SCAN.ports - FIN_SCAN.closed));
    expect(await probers.textContent()).toContain('port scan: 40 ports, 1 host');
    await page.getByTestId('overview-probers').scrollIntoViewIfNeeded();
    await shot(page, '60-overview-scans', true);
    await page.locator('[data-testid=overview-probers] [data-testid=show-table]').click();
    const row = page.getByTestId('probers-table').locator('tbody tr').first();
    await expect.poll(() => row.textContent()).toContain(FIN_SCAN.scanner);
    expect(await row.textContent()).toContain('port scan');
    await page.locator('[data-testid=overview-probers]').getByRole('button', { name: 'Chart' }).click();
  });

  it('a filter set in Sessions shows as a chip in Pivot and Overview, the counts say "filtered", × clears it everywhere', async () => {
    await page.getByTestId('nav-sessions').click();
    const box = page.getByTestId('analysis-filter');
    await box.fill(`host ${FIN_SCAN.scanner}`);
    await box.press('Enter');
    await expect.poll(() => page.getByTestId('session-count').textContent(), SLOW).toBe(`${FIN_SCAN.ports} sessionsfiltered`);
    // Another host's pivot: the filter still applies, and says so.
    await page.getByTestId('nav-pivot').click();
    await page.getByTestId('pivot-address').fill(BREACH.victim);
    await page.getByTestId('pivot-address').press('Enter');
    await expect.poll(() => page.getByTestId('pivot-flow-count').textContent(), SLOW).toBe(String(FIN_SCAN.ports));
    expect(await page.getByTestId('filter-chip').textContent()).toContain(`host ${FIN_SCAN.scanner}`);
    expect(await page.getByTestId('host-summary').getByTestId('filtered-tag').isVisible()).toBe(true);
    await shot(page, '61-filter-chips', true);
    await page.getByTestId('nav-overview').click();
    expect(await page.getByTestId('filter-chip').textContent()).toContain(`host ${FIN_SCAN.scanner}`);
    expect(await page.getByTestId('overview-counts').getByTestId('filtered-tag').count()).toBeGreaterThan(0);
    await page.getByTestId('nav-flows').click();
    await expect.poll(() => page.getByTestId('flow-count').textContent(), SLOW).toBe(`${FIN_SCAN.ports} of ${totalFlows} flowsfiltered`);
    await page.getByTestId('clear-filter').click();
    await expect.poll(() => page.getByTestId('flow-count').textContent(), SLOW).toBe(`${totalFlows} flows`);
    expect(await page.getByTestId('filter-chip').count()).toBe(0);
    await page.getByTestId('nav-pivot').click();
    await expect.poll(() => page.getByTestId('pivot-flow-count').textContent(), SLOW).toBe(String(totalFlows));
    expect(await page.getByTestId('host-summary').getByTestId('filtered-tag').count()).toBe(0);
  });

  it('with New York selected, before "2024-03-12 06:00" matches the FIN scan shown at 05:30 EDT, and the hint names the zone', async () => {
    await page.getByTestId('time-zone').selectOption('America/New_York');
    await page.getByTestId('nav-flows').click();
    const box = page.getByTestId('flow-filter');
    await box.fill('after "2024-03-12 05:25" and before "2024-03-12 06:00"');
    await expect.poll(() => page.getByTestId('filter-zone-hint').textContent()).toContain('read in America/New_York');
    await box.press('Enter');
    await expect.poll(() => page.getByTestId('flow-count').textContent(), SLOW).toBe(`${FIN_SCAN.ports} of ${totalFlows} flowsfiltered`);
    const first = page.locator('.flows-grid .vt-body [role=row][aria-rowindex="1"]:not(.loading) [data-col=start_us]');
    await expect.poll(() => first.textContent(), SLOW).toBe('2024-03-12 05:30:00.001000');
    // The grid names the zone once, in the header; every other time carries it.
    expect(await page.locator('.flows-grid .vt-th[data-col=start_us]').textContent()).toBe('Start · America/New_York');
    expect(await first.locator('time').getAttribute('title')).toContain('2024-03-12T09:30:00.001000Z');
    expect(await page.getByTestId('filter-zone').textContent()).toBe('times in America/New_York');
    await shot(page, '62-time-zone-filter', true);
    // The same text in UTC is four hours earlier: no flow.
    await page.getByTestId('time-zone').selectOption('UTC');
    await expect.poll(() => page.getByTestId('flow-count').textContent(), SLOW).toBe(`0 of ${totalFlows} flowsfiltered`);
    await page.getByTestId('clear-filter').click();
    expect(cspViolations).toEqual([]);
  });

  it('pcap sessions name their service from the port, marked as a guess', async () => {
    await page.getByTestId('nav-sessions').click();
    const box = page.getByTestId('analysis-filter');
    await box.fill('port 22');
    await box.press('Enter');
    await expect.poll(() => page.getByTestId('session-count').textContent(), SLOW).toBe('1 sessionsfiltered');
    const guess = page.locator('.sessions-grid [data-col=service] [data-testid=service-guess]').first();
    await expect.poll(() => guess.textContent(), SLOW).toBe('ssh?');
    expect(await guess.getAttribute('title')).toContain('guessed from port 22/tcp');
    await page.getByTestId('clear-filter').click();
  });

  it('at 1280 px the Flows grid shows its Evidence column and the evidence list does not scroll sideways; facts read as values', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('nav-flows').click();
    const grid = page.locator('.flows-grid .vt-scroll');
    await page.locator('.flows-grid .vt-body [role=row][aria-rowindex="1"]:not(.loading)').waitFor(SLOW);
    const gridBox = (await grid.boundingBox())!;
    const evHead = (await page.locator('.flows-grid .vt-th[data-col=evidence_id]').boundingBox())!;
    expect(evHead.x + evHead.width).toBeLessThanOrEqual(gridBox.x + gridBox.width);
    const evCell = page.locator('.flows-grid .vt-body [role=row][aria-rowindex="1"] [data-col=evidence_id]');
    expect(await evCell.textContent()).toBe('scans.pcap');
    // No column before Evidence is cut: the times and addresses read whole.
    const cut = await page.locator('.flows-grid .vt-body [role=row][aria-rowindex="1"] [data-col], .flows-grid .vt-body [role=row][aria-rowindex="1"] .ep-addr').evaluateAll((cells) =>
      cells.filter((c) => !['label', 'evidence_id', 'state'].includes(c.getAttribute('data-col') ?? '') && c.scrollWidth > c.clientWidth + 1).map((c) => `${c.getAttribute('data-col') ?? c.className} ${c.scrollWidth}>${c.clientWidth}`));
    expect(cut).toEqual([]);
    await shot(page, '64-flows-1280', true);
    await page.getByTestId('nav-evidence').click();
    await page.getByTestId('evidence-row').first().click();
    const facts = page.getByTestId('evidence-fact-rows');
    await facts.waitFor();
    const first = await facts.locator('[data-fact=firstPacketUs]').textContent();
    expect(first).toMatch(/^2024-03-12 \d\d:\d\d:\d\d\.\d{6} (UTC|EDT)/);
    expect(await facts.textContent()).not.toMatch(/\d{16}|[{}"]/);
    expect(await page.getByTestId('evidence-counter-rows').textContent()).not.toMatch(/\d{4,}(?![,\d])/);
    const scroll = page.locator('.evidence-scroll');
    const overflow = await scroll.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shot(page, '65-evidence-1280', true);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('an import says it is building sessions and the index after the file is stored, and finishes only then', async () => {
    await page.getByTestId('nav-evidence').click();
    const log = join(tmp.dir, 'more.conn.log');
    await writeZeekConnLog(log, 60_000);
    const done = importAndWait(server.service, [log]);
    // The file is stored ('stored', not 'done') while the derived tables are still being built.
    const deriving = page.getByTestId('import-deriving');
    await deriving.waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('import-file-phase').first().textContent()).toBe('stored');
    expect(await page.getByTestId('import-job').locator('h3').textContent()).toContain('Building sessions and index');
    await shot(page, '63-import-deriving', true);
    expect((await done).results[0].ok).toBe(true);
    await expect.poll(() => page.getByTestId('import-deriving').count(), SLOW).toBe(0);
  });

  it('"?" lists the keyboard shortcuts (not while typing); the app follows a dark system preference, with a toggle', async () => {
    await page.getByTestId('nav-overview').click();
    await page.getByTestId('probers-chart').waitFor(SLOW);
    await page.getByTestId('talkers-chart').waitFor(SLOW);
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(bg).toBe('rgb(18, 21, 25)');
    expect(await page.getByTestId('theme-toggle').textContent()).toContain('Auto');
    await page.locator('.overview-page').evaluate((el) => el.scrollTo(0, 0));
    await shot(page, '66-dark-overview', true);
    // Auto -> Light -> Dark -> Auto, whatever the system says.
    await page.getByTestId('theme-toggle').click();
    await expect.poll(bg).toBe('rgb(244, 245, 247)');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('theme-toggle').click();
    await expect.poll(bg).toBe('rgb(18, 21, 25)');
    await page.getByTestId('theme-toggle').click();
    await expect.poll(bg).toBe('rgb(244, 245, 247)');
    // "?" typed into the filter is text; anywhere else it opens the help.
    const box = page.getByTestId('analysis-filter');
    await box.fill('');
    await box.press('?');
    expect(await page.getByTestId('shortcut-help').count()).toBe(0);
    expect(await box.inputValue()).toBe('?');
    await box.fill('');
    await page.locator('body').click({ position: { x: 5, y: 780 } });
    await page.keyboard.press('?');
    await page.getByTestId('shortcut-help').waitFor();
    expect(await page.getByTestId('shortcut-help').textContent()).toContain('Alt+← / Alt+→');
    await shot(page, '67-shortcut-help', true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('shortcut-help').count()).toBe(0);
  });

  it("the server's file dialog starts in the folder of the case's evidence, with the case folder and home one click away", async () => {
    await page.getByTestId('nav-evidence').click();
    await page.getByRole('button', { name: 'Add evidence…' }).click();
    await expect.poll(() => page.getByTestId('file-browser-path').inputValue(), SLOW).toBe(tmp.dir);
    const places = await page.getByTestId('fb-place').allTextContents();
    expect(places[0]).toBe('Case folder');
    expect(places).toContain('Home');
    await page.getByTestId('file-browser-list').getByText('scans.pcap').waitFor();
    await shot(page, '68-file-dialog', true);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });
});
