import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../core/formats/index';
import type { HostSummary } from '../../core/api/contract';
import { runImport } from '../../core/ingest/import-runner';
import { CaseStore } from '../../core/store/case-store';
import { startWebServer, type WebServer } from '../../core/web/server';
import { BREACH, writeBreachCapture } from '../helpers/breach-capture';
import { REPO_ROOT } from '../helpers/corpus';
import { CHROMIUM, importAndWait, openApp } from '../helpers/e2e-browser';
import { writeRouterExport } from '../helpers/router-export';
import { tempDir } from '../helpers/temp';

const STATIC_DIR = join(REPO_ROOT, 'dist', 'renderer');
const SHOTS = join(REPO_ROOT, 'test', 'e2e', 'screenshots');
const SLOW = { timeout: 60_000, interval: 200 };

/**
 * #11 overlapping evidence in Chromium: a sensor's capture and the router's NetFlow of the
 * same traffic in one case. The evidence list marks both files, and the pivot counts each
 * conversation once until the analyst chooses "all records".
 */
describe.skipIf(!existsSync(CHROMIUM))('overlapping evidence in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let tmp: { dir: string; cleanup: () => void };
  let cspViolations: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error(`renderer not built (${STATIC_DIR}): run npx vite build first`);
    tmp = tempDir('flowcase-e2e-overlap-');
    process.env.FLOWCASE_HOME = join(tmp.dir, 'home');
    mkdirSync(SHOTS, { recursive: true });
    const capture = join(tmp.dir, 'sensor.pcap');
    const netflow = join(tmp.dir, 'router.nfcapd');
    writeBreachCapture(capture);
    // The router's export of the same conversations, made from a scratch case of the capture.
    const scratch = join(tmp.dir, 'scratch.duckdb');
    const store = await CaseStore.open(scratch);
    await runImport(store, [capture]);
    store.close();
    await writeRouterExport(scratch, netflow);

    server = await startWebServer({ port: 0, host: '127.0.0.1', staticDir: STATIC_DIR });
    await server.service.openCase(join(tmp.dir, 'overlap-case.duckdb'));
    await server.service.call('case.setTimeZone', { timeZone: 'UTC' });
    const done = importAndWait(server.service, [capture, netflow]);
    expect((await done).results.every((r) => r.ok)).toBe(true);
    ({ browser, page, cspViolations } = await openApp(server.url));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp?.cleanup();
  });

  it('marks both files in the evidence list and says whose records are counted', async () => {
    await page.getByTestId('nav-evidence').click();
    await expect.poll(() => page.getByTestId('overlap-badge').count(), SLOW).toBe(2);
    expect(await page.getByTestId('overlap-badge').first().textContent()).toBe('overlaps #2');
    await page.getByTestId('evidence-row').nth(1).click();
    await expect.poll(() => page.getByTestId('evidence-overlaps').textContent(), SLOW).toContain("Figures count #1's records for them");
  });

  it('the pivot counts each conversation once, and every record when the analyst chooses all', async () => {
    const counted = await server.service.call('pivot.host', { addr: BREACH.victim }) as HostSummary;
    const all = await server.service.call('pivot.host', { addr: BREACH.victim, evidence: 'all' }) as HostSummary;
    expect(all.flows).toBeGreaterThan(counted.flows);
    await page.getByTestId('nav-pivot').click();
    await page.getByTestId('pivot-address').fill(BREACH.victim);
    await page.getByTestId('pivot-address').press('Enter');
    const summary = page.getByTestId('host-summary');
    await expect.poll(() => summary.getAttribute('data-flows'), SLOW).toBe(String(counted.flows));
    await page.getByTestId('evidence-choice').selectOption('all');
    await expect.poll(() => summary.getAttribute('data-flows'), SLOW).toBe(String(all.flows));
    await page.getByTestId('evidence-choice').selectOption('counted');
    await expect.poll(() => summary.getAttribute('data-flows'), SLOW).toBe(String(counted.flows));
    await page.screenshot({ path: join(SHOTS, '32-pivot-evidence-choice.png') });
    expect(cspViolations).toEqual([]);
  });
});
