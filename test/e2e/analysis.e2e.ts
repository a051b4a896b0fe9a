import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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
/** 2000 packets / 642 s of malware traffic (Stratosphere, 2018): a busy host scanning, S0 sessions. */
const CAPTURE = 'pcap/stratosphere/test7-malicious.pcap';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe.skipIf(!existsSync(CHROMIUM) || !HAVE_CORPUS)('analysis views in Chromium (overview, pivot, sessions, SQL)', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let tmp: { dir: string; cleanup: () => void };
  const cspViolations: string[] = [];
  const call = <T,>(method: string, args: unknown) => server.service.call(method, args) as Promise<T>;

  beforeAll(async () => {
    if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error(`renderer not built (${STATIC_DIR}): run npx vite build first`);
    tmp = tempDir('flowcase-e2e-analysis-');
    process.env.FLOWCASE_HOME = join(tmp.dir, 'home');
    mkdirSync(SHOTS, { recursive: true });
    server = await startWebServer({ port: 0, host: '127.0.0.1', staticDir: STATIC_DIR });
    // The case and its import are set up through the contract (the shell's own e2e test drives those screens).
    await server.service.openCase(join(tmp.dir, 'analysis-case.duckdb'));
    const done = importAndWait(server.service, [corpus(CAPTURE)]);
    const result = (await done).results[0];
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC', acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(server.url);
    await page.getByTestId('case-name').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp?.cleanup();
  });

  it('Overview draws traffic over time, top talkers, incoming attempts and counts that match the core', async () => {
    await page.getByTestId('nav-overview').click();
    await page.locator('[data-testid=series-chart] svg path, [data-testid=series-chart] svg rect').first().waitFor();
    await page.locator('[data-testid=talkers-chart] [data-testid=bar-label]').first().waitFor();
    const counts = await call<{ hosts: number; flows: number }>('overview.counts', {});
    await expect.poll(() => page.getByTestId('overview-counts').textContent()).toContain(counts.flows.toLocaleString('en-US'));
    expect(await page.getByTestId('overview-counts').textContent()).toContain(counts.hosts.toLocaleString('en-US'));
    const talkers = await call<{ addr: string }[]>('overview.talkers', { by: 'bytes', limit: 15 });
    const labels = await page.locator('[data-testid=talkers-chart] [data-testid=bar-label]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
    expect(labels).toEqual(talkers.map((t) => t.addr));
    await shot(page, '30-overview');

    // The table toggle shows the same numbers as the chart.
    await page.locator('[data-testid=overview-talkers] [data-testid=show-table]').click();
    await expect.poll(() => page.getByTestId('talkers-table').locator('tbody tr').count()).toBe(talkers.length);
    await page.locator('[data-testid=overview-talkers]').getByRole('button', { name: 'Chart' }).click();

    // PNG export: the SVG drawn on a canvas through a blob: URL, allowed by the CSP.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=overview-series]').getByRole('button', { name: 'PNG' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('traffic-over-time.png');
    const png = readFileSync((await download.path())!);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    await download.saveAs(join(SHOTS, '36-exported-traffic-over-time.png')); // what the analyst gets
    const [svgDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=overview-series]').getByRole('button', { name: 'SVG' }).click(),
    ]);
    expect(readFileSync((await svgDownload.path())!, 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*Traffic over time/);
  });

  it('the internal networks editor saves through the core (audit-logged) and the incoming chart shows the scan', async () => {
    // Call the lower half of IPv4 "internal": the infected host 192.168.2.16 is then outside,
    // and its telnet/8080 scan of addresses in 0.0.0.0/1 arrives as incoming attempts.
    await page.getByTestId('edit-internal-networks').click();
    await page.getByTestId('internal-networks-text').fill('0.0.0.0/1');
    await page.getByTestId('save-internal-networks').click();
    await expect.poll(async () => (await call<{ networks: string[] }>('settings.internalNetworks', {})).networks).toEqual(['0.0.0.0/1']);
    const incoming = await call<{ port: number; attempts: number; targets: number }[]>('overview.incoming', { limit: 15 });
    expect(incoming.length).toBeGreaterThan(0);
    const top = incoming[0];
    await expect.poll(() => page.locator('[data-testid=incoming-chart] [data-testid=bar-label]').first().getAttribute('data-key')).toBe(String(top.port));
    expect(top.targets).toBeGreaterThan(10); // many hosts probed on one port: a horizontal scan
    await page.locator('[data-testid=overview-incoming] [data-testid=show-table]').click();
    await expect.poll(() => page.getByTestId('incoming-table').locator('tbody tr').first().textContent()).toContain(top.attempts.toLocaleString('en-US'));
    await page.locator('[data-testid=overview-incoming]').getByRole('button', { name: 'Chart' }).click();
    await page.getByTestId('internal-networks').scrollIntoViewIfNeeded();
    await shot(page, '35-overview-incoming-scan');
    const audit = await call<{ rows: unknown[][] }>('sql.run', { sql: "SELECT detail FROM audit_log WHERE action = 'settings.internal_networks'", limit: 10 });
    expect(String(audit.rows.at(-1)?.[0])).toContain('0.0.0.0/1');
    // Back to the defaults for the rest of the run.
    await page.getByRole('button', { name: 'Defaults' }).click();
    await page.getByTestId('save-internal-networks').click();
    await expect.poll(async () => (await call<{ networks: string[] }>('settings.internalNetworks', {})).networks).toContain('192.168.0.0/16');
    await page.getByTestId('edit-internal-networks').click();
    await page.locator('.overview-page').evaluate((el) => el.scrollTo(0, 0));
  });

  let host = '';
  let hostPeers = 0;
  it('a click on a talker opens its host pivot with the same peers as the core reports', async () => {
    const label = page.locator('[data-testid=talkers-chart] [data-testid=bar-label]').first();
    host = (await label.getAttribute('data-key'))!;
    await label.click();
    await expect.poll(() => page.getByTestId('pivot-host').textContent()).toBe(host);
    const summary = await call<{ peers: unknown[]; flows: number }>('pivot.host', { addr: host, peerLimit: 1000 });
    hostPeers = summary.peers.length;
    const head = page.getByTestId('host-summary');
    await expect.poll(() => head.getAttribute('data-peers')).toBe(String(hostPeers));
    expect(await page.getByTestId('peer-count').textContent()).toBe(hostPeers.toLocaleString('en-US'));
    expect(await page.getByTestId('peer-row').count()).toBe(hostPeers);
    expect(await head.getAttribute('data-flows')).toBe(String(summary.flows));
    await page.locator('[data-testid=pivot-flows] [role=row]:not(.loading) [data-col=start_us]').first().waitFor();
    await page.locator('[data-testid=histogram-chart] svg rect').first().waitFor();
    await shot(page, '31-pivot-host');
  });

  it('brushing the activity histogram sets the time range for every view', async () => {
    const svg = page.locator('[data-testid=histogram-chart] svg');
    const box = (await svg.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + 74 + (box.width - 88) * 0.05, y);
    await page.mouse.down();
    await page.mouse.move(box.x + 74 + (box.width - 88) * 0.4, y, { steps: 8 });
    await page.mouse.up();
    const chip = page.getByTestId('time-range');
    await chip.waitFor();
    const fromUs = Number(await chip.getAttribute('data-from'));
    const toUs = Number(await chip.getAttribute('data-to'));
    expect(toUs).toBeGreaterThan(fromUs);
    const windowed = await call<{ flows: number; peers: unknown[] }>('pivot.host', { addr: host, fromUs, toUs, peerLimit: 1000 });
    await expect.poll(() => page.getByTestId('host-summary').getAttribute('data-flows')).toBe(String(windowed.flows));
    expect(windowed.flows).toBeLessThan(Number.MAX_SAFE_INTEGER);
    await shot(page, '32-pivot-brushed');
    // The same window is on the Overview.
    await page.getByTestId('nav-overview').click();
    await expect.poll(() => page.getByTestId('time-range').getAttribute('data-from')).toBe(String(fromUs));
    const counts = await call<{ flows: number }>('overview.counts', { fromUs, toUs });
    await expect.poll(() => page.getByTestId('overview-counts').textContent()).toContain(`${counts.flows.toLocaleString('en-US')}flows`);
    await page.getByTestId('clear-time-range').click();
    await expect.poll(() => page.getByTestId('time-range').count()).toBe(0);
  });

  it('pivots to a peer and comes back with the back button and Alt+Left', async () => {
    await page.getByTestId('nav-pivot').click();
    await expect.poll(() => page.getByTestId('pivot-host').textContent()).toBe(host);
    const peer = page.locator('[data-testid=peer-row] [data-testid=host-link]').first();
    const peerAddr = (await peer.getAttribute('data-addr'))!;
    await peer.click();
    await expect.poll(() => page.getByTestId('pivot-host').textContent()).toBe(peerAddr);
    await page.getByTestId('pivot-back').click();
    await expect.poll(() => page.getByTestId('pivot-host').textContent()).toBe(host);
    await page.getByTestId('pivot-forward').click();
    await expect.poll(() => page.getByTestId('pivot-host').textContent()).toBe(peerAddr);
    await page.locator('body').press('Alt+ArrowLeft');
    await expect.poll(() => page.getByTestId('pivot-host').textContent()).toBe(host);
    // "flows between" narrows the related flows to the pair.
    await page.locator(`[data-testid=peer-row][data-peer="${peerAddr}"] [data-testid=flows-between]`).click();
    await page.getByTestId('clear-peer').waitFor();
    const between = await call<{ rows: { srcAddr: string; dstAddr: string }[] }>('pivot.flows', { addr: host, peer: peerAddr, offset: 0, limit: 5000 });
    await expect.poll(() => page.locator('[data-testid=pivot-flows] .vt').getAttribute('aria-rowcount')).toBe(String(between.rows.length));
  });

  it('the flows table pivots from an address cell (its pivot button), keeping row clicks for selection', async () => {
    await page.getByTestId('nav-flows').click();
    const row = page.locator('.flows-grid [role=row][aria-rowindex="1"]:not(.loading)');
    await row.waitFor();
    await row.click();
    await page.getByTestId('flow-detail').waitFor();
    const btn = row.locator('[data-col=dst_ip] [data-testid=pivot-button]');
    const addr = (await btn.getAttribute('data-addr'))!;
    await btn.click();
    await expect.poll(() => page.getByTestId('pivot-host').textContent()).toBe(addr);
    await page.getByTestId('pivot-back').click();
    await expect.poll(() => page.getByTestId('pivot-host').textContent()).toBe(host);
  });

  it('Sessions: "its S0 + REJ sessions" is one click from the host; chips filter like the core; a click opens the ladder', async () => {
    // From the pivot of the host: one click lands on its unanswered and refused attempts.
    await expect.poll(() => page.getByTestId('pivot-host').textContent()).toBe(host);
    await page.getByTestId('host-failed-sessions').click();
    const count = page.getByTestId('session-count');
    const failed = await call<{ total: number; rows: { uid: string }[] }>('sessions.page', { offset: 0, limit: 1, states: ['S0', 'REJ'], filter: `src host ${host}` });
    expect(failed.total).toBeGreaterThan(0);
    await expect.poll(() => count.getAttribute('data-total')).toBe(String(failed.total));
    expect(await page.getByTestId('state-S0').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('state-REJ').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('analysis-filter').inputValue()).toBe(`src host ${host}`);
    await page.locator('.sessions-grid [role=row][aria-rowindex="1"]:not(.loading)').click();
    const detail = page.getByTestId('session-detail');
    await detail.waitFor();
    await page.getByTestId('ladder-step').first().waitFor();
    const d = await call<{ flows: { evidenceName: string; position: number }[] }>('sessions.detail', { uid: failed.rows[0].uid });
    const src = await page.getByTestId('record-source').first().textContent();
    expect(src).toBe(`${d.flows[0].evidenceName} @ byte ${d.flows[0].position.toLocaleString('en-US')}`);

    // Chips combine: S0 off leaves REJ; clearing the filter box widens to every host.
    await page.getByTestId('state-S0').click();
    const rej = await call<{ total: number }>('sessions.page', { offset: 0, limit: 1, states: ['REJ'], filter: `src host ${host}` });
    await expect.poll(() => count.getAttribute('data-total')).toBe(String(rej.total));
    await page.locator('.sessions-grid [role=row][aria-rowindex="1"]:not(.loading)').click();
    await expect.poll(() => page.getByTestId('session-detail').textContent()).toContain('REJ');
    await page.getByTestId('ladder-step').nth(1).waitFor(); // the SYN and the answering RST
    await shot(page, '33-sessions-ladder');
    const box = page.getByTestId('analysis-filter');
    await box.fill('');
    await box.press('Enter');
    const allRej = await call<{ total: number }>('sessions.page', { offset: 0, limit: 1, states: ['REJ'] });
    await expect.poll(() => count.getAttribute('data-total')).toBe(String(allRej.total));
    await page.getByTestId('state-REJ').click();
    const all = await call<{ total: number }>('sessions.page', { offset: 0, limit: 1 });
    await expect.poll(() => count.getAttribute('data-total')).toBe(String(all.total));
  });

  it('SQL console runs a query (Ctrl+Enter) and shows the refusal of a write', async () => {
    await page.getByTestId('nav-sql').click();
    const text = page.getByTestId('sql-text');
    await text.fill('SELECT conn_state, count(*) AS sessions FROM sessions GROUP BY ALL ORDER BY sessions DESC');
    await text.press('Control+Enter');
    const states = await call<{ rows: unknown[][] }>('sql.run', { sql: 'SELECT DISTINCT conn_state FROM sessions', limit: 100 });
    await expect.poll(() => page.getByTestId('sql-status').textContent()).toContain(`${states.rows.length} row`);
    await page.locator('.sql-grid [role=row][aria-rowindex="1"] [data-col=c0]').waitFor();
    await shot(page, '34-sql');
    await text.fill('DROP TABLE flows');
    await page.getByTestId('sql-run').click();
    await expect.poll(() => page.getByTestId('sql-refusal').textContent()).toMatch(/Refused:.*only reads/);
    expect(cspViolations).toEqual([]);
  });
});
