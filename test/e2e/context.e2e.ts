import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import '../../core/formats/index';
import { startWebServer, type WebServer } from '../../core/web/server';
import { corpus, HAVE_CORPUS, REPO_ROOT } from '../helpers/corpus';
import { CHROMIUM, importAndWait, openApp } from '../helpers/e2e-browser';
import { NAMES, writeNamesCapture } from '../helpers/names-capture';
import { tempDir } from '../helpers/temp';

const STATIC_DIR = join(REPO_ROOT, 'dist', 'renderer');
const SHOTS = join(REPO_ROOT, 'test', 'e2e', 'screenshots');

describe.skipIf(!existsSync(CHROMIUM) || !HAVE_CORPUS)('names and countries in the pivot (Chromium)', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let tmp: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error(`renderer not built (${STATIC_DIR}): run npx vite build first`);
    tmp = tempDir('flowcase-e2e-context-');
    process.env.FLOWCASE_HOME = join(tmp.dir, 'home');
    mkdirSync(SHOTS, { recursive: true });
    const pcap = join(tmp.dir, 'names.pcap');
    writeNamesCapture(pcap);
    server = await startWebServer({ port: 0, host: '127.0.0.1', staticDir: STATIC_DIR });
    await server.service.openCase(join(tmp.dir, 'context-case.duckdb'));
    const done = importAndWait(server.service, [pcap]);
    expect((await done).results[0].ok).toBe(true);
    await server.service.call('context.enrich', { mmdb: [corpus('mmdb/GeoIP2-City-Test.mmdb'), corpus('mmdb/GeoLite2-ASN-Test.mmdb')] });
    const assets = join(tmp.dir, 'assets.csv');
    writeFileSync(assets, `address,name,owner,criticality\n${NAMES.client},finance-laptop-07,Finance,high\n`);
    await server.service.call('context.importAssets', { path: assets });
    ({ browser, page } = await openApp(server.url));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp?.cleanup();
  });

  it('the host pivot shows each peer with the names its client used, country and AS; the host with its asset entry', async () => {
    await page.getByTestId('nav-overview').click();
    await page.locator(`[data-testid=talkers-chart] [data-testid=bar-label][data-key="${NAMES.client}"]`).click();
    await expect.poll(() => page.getByTestId('pivot-host').textContent()).toBe(NAMES.client);
    const cdn = page.locator(`[data-testid=peer-row][data-peer="${NAMES.cdn.addr}"]`);
    await expect.poll(() => cdn.getByTestId('ctx-names').textContent()).toBe(NAMES.cdn.name);
    expect(await cdn.getByTestId('ctx-country').textContent()).toBe('GB · London');
    const mail = page.locator(`[data-testid=peer-row][data-peer="${NAMES.telstra.addr}"]`);
    expect(await mail.getByTestId('ctx-as').textContent()).toBe('AS1221 Telstra Pty Ltd');
    expect(await mail.getByTestId('ctx-names').textContent()).toBe(NAMES.telstra.name);
    expect(await page.locator(`[data-testid=peer-row][data-peer="${NAMES.resolver}"] [data-testid=ctx-names]`).count()).toBe(0);
    expect(await page.getByTestId('host-context').textContent()).toContain('finance-laptop-07');
    // The host's flows name their destination as the client did.
    await expect.poll(() => page.locator('[data-testid=pivot-flows] [data-testid=flow-name]').allTextContents()).toContain(NAMES.api.name);
    await page.screenshot({ path: join(SHOTS, '37-pivot-names-countries.png') });
  });
});
