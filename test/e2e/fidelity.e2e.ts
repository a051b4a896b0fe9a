import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import '../../core/formats/index';
import { startWebServer, type WebServer } from '../../core/web/server';
import { corpus, HAVE_CORPUS, REPO_ROOT } from '../helpers/corpus';
import { tempDir } from '../helpers/temp';
import { launchChromium, importAndWait } from '../helpers/e2e-browser';

const STATIC_DIR = join(REPO_ROOT, 'dist', 'renderer');
const SHOTS = join(REPO_ROOT, 'test', 'e2e', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** NetFlow v5 from a Juniper MX80 sampling 1 in 1000 (the datagrams wrapped in a pcap). */
const SAMPLED = 'derived/netflow-dat/nf5-juniper-mx80.pcap';
/** One HTTP GET: an SF session whose last packet (the final ACK) comes after Zeek's end. */
const HTTP = 'pcap/zeek/http-get.pcap';

/** Issue #11 in the app: estimates beside sampled counts, the last packet beside Zeek's end, IP vs payload bytes. */
describe.skipIf(!existsSync(CHROMIUM) || !HAVE_CORPUS)('evidence fidelity in Chromium (#11)', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let tmp: { dir: string; cleanup: () => void };
  const call = <T,>(method: string, args: unknown) => server.service.call(method, args) as Promise<T>;

  beforeAll(async () => {
    if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error(`renderer not built (${STATIC_DIR}): run npx vite build first`);
    tmp = tempDir('flowcase-e2e-fidelity-');
    process.env.FLOWCASE_HOME = join(tmp.dir, 'home');
    mkdirSync(SHOTS, { recursive: true });
    server = await startWebServer({ port: 0, host: '127.0.0.1', staticDir: STATIC_DIR });
    await server.service.openCase(join(tmp.dir, 'fidelity-case.duckdb'));
    const done = importAndWait(server.service, [corpus(SAMPLED), corpus(HTTP)]);
    expect((await done).results.every((r) => r.ok)).toBe(true);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC' })).newPage();
    await page.goto(server.url);
    await page.getByTestId('case-name').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp?.cleanup();
  });

  it('the flow detail gives the last packet beside an end that follows Zeek\'s duration', async () => {
    await page.getByTestId('nav-flows').click();
    const box = page.getByTestId('flow-filter');
    await box.fill('port 80 and host 141.142.228.5');
    await box.press('Enter');
    const row = page.locator('.flows-grid [role=row][aria-rowindex="1"]:not(.loading)');
    await row.waitFor();
    await row.click();
    const detail = page.getByTestId('flow-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toContain('End (Zeek duration)');
    const flows = await call<{ rows: { lastPacketUs: number; endUs: number }[] }>('flows.page', { offset: 0, limit: 1, filter: 'port 80 and host 141.142.228.5' });
    expect(flows.rows[0].lastPacketUs).toBeGreaterThan(flows.rows[0].endUs);
    await expect.poll(() => page.getByTestId('flow-last-packet').textContent()).toContain('after End');
    await page.screenshot({ path: join(SHOTS, '60-flow-last-packet.png') });
  });

  it('the pivot of a host seen through 1-in-1000 sampling shows ≈ estimates and the factor beside the raw counts', async () => {
    await page.getByTestId('nav-flows').click();
    const box = page.getByTestId('flow-filter');
    await box.fill('dst host 192.168.0.1');
    await box.press('Enter');
    const row = page.locator('.flows-grid [role=row][aria-rowindex="1"]:not(.loading)');
    await row.waitFor();
    await row.click();
    await expect.poll(() => page.getByTestId('flow-detail').textContent()).toContain('1 in 1,000: ≈');
    await row.locator('[data-col=dst_ip] [data-testid=pivot-button]').click();
    await expect.poll(() => page.getByTestId('pivot-host').textContent()).toBe('192.168.0.1');
    const s = await call<{ estBytes: number; bytesIn: number; bytesOut: number }>('pivot.host', { addr: '192.168.0.1', filter: 'dst host 192.168.0.1' });
    expect(s.estBytes).toBe((s.bytesIn + s.bytesOut) * 1000);
    await expect.poll(() => page.getByTestId('pivot-estimate').textContent()).toContain('×1,000');
    await page.screenshot({ path: join(SHOTS, '61-pivot-sampled-estimate.png') });
  });

  it('Sessions name IP bytes and payload bytes apart', async () => {
    await page.getByTestId('nav-sessions').click();
    const box = page.getByTestId('analysis-filter');
    await box.fill('');
    await box.press('Enter');
    const headers = await page.locator('.sessions-grid [role=columnheader]').allTextContents();
    for (const h of ['Orig IP bytes', 'Resp IP bytes', 'Orig payload bytes', 'Resp payload bytes']) expect(headers.join('|')).toContain(h);
    expect(headers.some((h) => h.trim() === 'Orig bytes')).toBe(false);
  });
});
