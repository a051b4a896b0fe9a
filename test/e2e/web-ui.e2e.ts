import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import '../../core/formats/index';
import { sniffFormat } from '../../core/formats/index';
import { CaseStore } from '../../core/store/case-store';
import { startWebServer, type WebServer } from '../../core/web/server';
import { corpus, HAVE_CORPUS, REPO_ROOT } from '../helpers/corpus';
import { tempDir } from '../helpers/temp';
import { utcText } from './utc-text';
import { syntheticConn, writeZeekConnLog } from '../helpers/zeek-log-writer';
import { launchChromium } from '../helpers/e2e-browser';

const STATIC_DIR = join(REPO_ROOT, 'dist', 'renderer');
const SHOTS = join(REPO_ROOT, 'test', 'e2e', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Connections in the main synthetic conn.log: enough pages (500 rows each) to make scrolling real. */
const N = 20_000;
const SECOND_N = 300;

/** The file the UI imports second, by drag-and-drop: a real pcap when a pcap reader is registered. */
function pickSecondEvidence(dir: string): Promise<{ path: string; expectedFlows: number | null }> {
  const pcap = HAVE_CORPUS ? corpus('pcap/zeek/wikipedia.pcap') : null;
  if (pcap && existsSync(pcap)) {
    const head = readFileSync(pcap).subarray(0, 64 * 1024);
    // Only a packet-to-flow reader counts (the NetFlow-in-pcap reader sniffs captures too).
    const best = sniffFormat(head, 'wikipedia.pcap')[0]?.loader.id;
    if (best && best !== 'netflow-pcap') return Promise.resolve({ path: pcap, expectedFlows: null });
  }
  const path = join(dir, 'second.conn.log');
  return writeZeekConnLog(path, SECOND_N, N).then(() => ({ path, expectedFlows: SECOND_N }));
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Drops a file on the import zone the way a browser does (DataTransfer with a File). */
async function dropFile(page: Page, path: string, name: string): Promise<void> {
  const b64 = readFileSync(path).toString('base64');
  await page.evaluate(
    ({ b64, name }) => {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name));
      const zone = document.querySelector('[data-testid=drop-zone]')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { b64, name },
  );
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe.skipIf(!existsSync(CHROMIUM))('web UI in Chromium (real server, built renderer)', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let tmp: { dir: string; cleanup: () => void };
  const cspViolations: string[] = [];
  let evidenceDir: string;
  let mainLog: string;
  let second: { path: string; expectedFlows: number | null };
  const casePath = () => join(tmp.dir, 'e2e-case.duckdb');

  beforeAll(async () => {
    if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error(`renderer not built (${STATIC_DIR}): run npx vite build first`);
    tmp = tempDir('flowcase-e2e-');
    process.env.FLOWCASE_HOME = join(tmp.dir, 'home'); // keep the recent-cases list out of the user's config
    evidenceDir = join(tmp.dir, 'evidence');
    mkdirSync(evidenceDir, { recursive: true });
    mkdirSync(SHOTS, { recursive: true });
    mainLog = join(evidenceDir, 'synthetic.conn.log');
    await writeZeekConnLog(mainLog, N);
    second = await pickSecondEvidence(evidenceDir);

    server = await startWebServer({ port: 0, host: '127.0.0.1', staticDir: STATIC_DIR });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp?.cleanup();
  });

  it('refuses API calls, events and pages without the token (401)', async () => {
    const api = await fetch(`${server.origin}/api/case.info`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(api.status).toBe(401);
    expect((await api.json()).code).toBe('unauthorized');
    const wrong = await fetch(`${server.origin}/api/case.info`, { method: 'POST', body: '{}', headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${server.origin}/api/events`)).status).toBe(401);
    expect((await fetch(`${server.origin}/`)).status).toBe(401);
    const upload = await fetch(`${server.origin}/api/upload?name=x.pcap`, { method: 'POST', body: 'x' });
    expect(upload.status).toBe(401);
  });

  it('loads the app, drops the token from the address bar and creates a case through the file browser', async () => {
    await page.goto(server.url);
    await page.getByTestId('new-case').waitFor();
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    await shot(page, '01-case-picker');

    await page.getByTestId('new-case').click();
    const pathBox = page.getByTestId('file-browser-path');
    await pathBox.fill(tmp.dir);
    await pathBox.press('Enter');
    await page.locator('.fb-entry[data-name="evidence"]').waitFor();
    await page.getByTestId('file-browser-name').fill('e2e-case');
    await shot(page, '02-new-case-dialog');
    await page.getByTestId('file-browser-choose').click();

    await expect.poll(() => page.getByTestId('case-name').textContent()).toContain('e2e-case.duckdb');
    expect(existsSync(casePath())).toBe(true);
    expect(await page.getByTestId('case-flows').textContent()).toBe('0');
  });

  it('imports evidence chosen in the server file browser and shows progress, then the result', async () => {
    // Record every state of the progress panel: the import may take less than a second.
    await page.evaluate(() => {
      const w = window as unknown as { progressSeen: string[] };
      w.progressSeen = [];
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid=import-progress]');
        if (el) w.progressSeen.push(el.textContent ?? '');
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('add-evidence').click();
    const pathBox = page.getByTestId('file-browser-path');
    await pathBox.fill(evidenceDir);
    await pathBox.press('Enter');
    await page.locator('.fb-entry[data-name="synthetic.conn.log"]').click();
    await shot(page, '02b-add-evidence-dialog');
    await page.getByTestId('file-browser-choose').click();
    // The picked file waits in "Ready to import" with the format the sniffer chose.
    const ready = page.locator('[data-testid=ready-file][data-name="synthetic.conn.log"]');
    await ready.waitFor();
    expect(await ready.getByTestId('format-select').inputValue()).toBe('zeek-conn');
    await shot(page, '02c-ready-to-import');
    await page.getByTestId('import-staged').click();

    const results = page.getByTestId('import-results');
    await results.waitFor({ timeout: 120_000 });
    await expect.poll(() => results.textContent()).toContain('1 of 1 imported');
    expect(await results.textContent()).toContain(`${N.toLocaleString('en-US')}`);
    await expect.poll(() => page.getByTestId('case-flows').textContent()).toBe(N.toLocaleString('en-US'));
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen.some((t) => t.includes('synthetic.conn.log') && /MB \/ 2\.\d\d MB/.test(t) && t.includes('records'))).toBe(true);
    await shot(page, '03-imported');
  });

  it('lists the evidence with the SHA-256 of the file, the full hash on hover and in the expanded row', async () => {
    const hash = sha256(mainLog);
    const cell = page.locator(`[data-testid=evidence-list] [data-sha256="${hash}"]`);
    await cell.waitFor();
    expect(await cell.getAttribute('title')).toBe(hash);
    await page.getByTestId('evidence-row').first().click();
    await expect.poll(() => page.locator('.ev-detail').textContent()).toContain(hash);
    await shot(page, '04-evidence-expanded');
    await page.getByTestId('evidence-row').first().click();
  });

  it('refuses a dropped copy of the same file as a duplicate and says so', async () => {
    await dropFile(page, mainLog, 'copy-of-synthetic.conn.log');
    await page.locator('[data-testid=ready-file][data-name="copy-of-synthetic.conn.log"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('import-staged').click();
    const results = page.getByTestId('import-results');
    await expect.poll(() => results.textContent(), { timeout: 120_000 }).toContain('0 of 1 imported');
    const text = (await results.textContent()) ?? '';
    expect(text).toMatch(/duplicate/i);
    await shot(page, '05-duplicate-refused');
  });

  it('imports a second file by drag-and-drop (upload beside the case)', async () => {
    await dropFile(page, second.path, second.path.split('/').pop()!);
    await page.locator(`[data-testid=ready-file][data-name="${second.path.split('/').pop()!}"]`).waitFor({ timeout: 120_000 });
    await page.getByTestId('import-staged').click();
    const results = page.getByTestId('import-results');
    await expect.poll(() => results.textContent(), { timeout: 120_000 }).toContain('1 of 1 imported');
    expect(existsSync(join(tmp.dir, 'e2e-case.evidence'))).toBe(true);
    const rows = page.getByTestId('evidence-row');
    await expect.poll(() => rows.count()).toBe(2);
    await shot(page, '06-second-import');
  });

  let total = 0;
  it('shows every flow: the row count matches the case, and the grid scrolls through server pages', async () => {
    await page.getByTestId('nav-flows').click();
    const count = page.getByTestId('flow-count');
    await expect.poll(() => count.getAttribute('data-total')).not.toBe('');
    total = Number(await count.getAttribute('data-total'));
    if (second.expectedFlows !== null) expect(total).toBe(N + second.expectedFlows);
    else expect(total).toBeGreaterThan(N);
    expect(await count.textContent()).toContain(`${total.toLocaleString('en-US')} flows`);
    expect(await page.getByTestId('case-flows').textContent()).toBe(total.toLocaleString('en-US'));
    await page.locator('.flows-grid .vt-body [role=row]:not(.loading)').first().waitFor();
    await shot(page, '07-flows');

    // Jump to the middle: the rows there come from a page fetched on demand.
    const scroller = page.locator('.flows-grid .vt-scroll');
    await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    // The virtualiser renders the new rows a frame or two after the scroll: wait for them.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
    await expect.poll(() => page.locator('.flows-grid .vt-body [role=row].loading').count()).toBe(0);
    const readFirstVisible = () => page.evaluate(() => {
      const sc = document.querySelector('.flows-grid .vt-scroll')!;
      const top = sc.getBoundingClientRect().top;
      const rows = [...sc.querySelectorAll<HTMLElement>('[role=row]')].filter((r) => r.getBoundingClientRect().top >= top - 1);
      rows.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      const r = rows[0];
      if (!r || r.classList.contains('loading')) return null;
      return { index: Number(r.getAttribute('aria-rowindex')) - 1, start: r.querySelector('[data-col=start_us]')?.textContent ?? null };
    });
    await expect.poll(readFirstVisible, { timeout: 30_000 }).not.toBeNull();
    const firstVisible = (await readFirstVisible())!;
    expect(firstVisible.index).toBeGreaterThan(N / 2 - 2000);
    expect(firstVisible.index).toBeLessThan(N / 2 + 2000);
    // Default order is by start time. The corpus pcap (2011) sorts before the synthetic log
    // (2023); the second synthetic log continues after the first. So row i shows connection i - before.
    const before = second.expectedFlows === null ? total - N : 0;
    expect(firstVisible.start).toBe(utcText(syntheticConn(firstVisible.index - before).ts));
    await shot(page, '08-flows-scrolled');
  });

  let shownMaxBytes = '';
  it('sorts by bytes on the server: one click puts the largest flow first', async () => {
    await page.locator('.flows-grid .vt-th[data-col=bytes]').click();
    await expect.poll(() => page.locator('.flows-grid .vt-th[data-col=bytes]').getAttribute('aria-sort')).toBe('descending');
    const firstBytes = page.locator('.flows-grid .vt-body [role=row][aria-rowindex="1"]:not(.loading) [data-col=bytes] span');
    await firstBytes.waitFor();
    shownMaxBytes = (await firstBytes.getAttribute('title')) ?? '';
    expect(shownMaxBytes).toMatch(/^[\d,]+ bytes$/);
    const second = page.locator('.flows-grid .vt-body [role=row][aria-rowindex="2"] [data-col=bytes] span');
    const n = (s: string | null) => Number((s ?? '').replace(/[^\d]/g, ''));
    expect(n(await second.getAttribute('title'))).toBeLessThanOrEqual(n(shownMaxBytes));
    // A click opens the flow's detail with its provenance (evidence file and record position).
    await page.locator('.flows-grid .vt-body [role=row][aria-rowindex="1"]').click();
    const detail = page.getByTestId('flow-detail');
    await detail.waitFor();
    const detailText = (await detail.textContent()) ?? '';
    expect(detailText).toContain(shownMaxBytes.replace(' bytes', ''));
    expect(detailText).toMatch(/from .+ at (byte|line) [\d,]+/);
    await shot(page, '09-flows-sorted-by-bytes');
    // The keyboard moves the selection (and the detail) to the next row.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.flows-grid [role=row][aria-rowindex="2"]').getAttribute('aria-selected')).toBe('true');
    const secondTitle = await page.locator('.flows-grid [role=row][aria-rowindex="2"] [data-col=bytes] span').getAttribute('title');
    expect((await detail.textContent()) ?? '').toContain((secondTitle ?? '').replace(' bytes', ''));
    await page.getByRole('button', { name: 'Close detail' }).click();
  });

  it('lets the analyst widen a column by dragging its header edge (header and cells together)', async () => {
    const th = page.locator('.flows-grid .vt-th[data-col=src_ip]');
    const before = (await th.boundingBox())!;
    const handle = (await th.locator('.vt-resizer').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 80, handle.y + handle.height / 2, { steps: 5 });
    await page.mouse.up();
    const after = (await th.boundingBox())!;
    expect(Math.round(after.width - before.width)).toBe(80);
    const cell = (await page.locator('.flows-grid .vt-body [role=row][aria-rowindex="1"] [data-col=src_ip]').boundingBox())!;
    expect(Math.round(cell.width)).toBe(Math.round(after.width));
    expect(await page.locator('.flows-grid .vt-th[data-col=bytes]').getAttribute('aria-sort')).toBe('descending'); // no sort toggled
  });

  it('applies a filter, or shows the server\'s own message under the box', async () => {
    const box = page.getByTestId('flow-filter');
    await box.fill('dst port 53');
    await box.press('Enter');
    const count = page.getByTestId('flow-count');
    const error = page.getByTestId('filter-error');
    await expect.poll(async () => (await error.count()) > 0 || (await count.textContent())?.includes(' of ')).toBe(true);
    if (await error.count()) {
      let expected = '';
      try {
        await server.service.call('flows.page', { offset: 0, limit: 1, filter: 'dst port 53' });
      } catch (e) {
        expected = (e as Error).message;
      }
      expect(expected).not.toBe('');
      expect(await error.textContent()).toContain(expected);
    } else {
      const core = (await server.service.call('flows.page', { offset: 0, limit: 1, filter: 'dst port 53' })) as { total: number };
      expect(await count.getAttribute('data-total')).toBe(String(core.total));
      // Every fourth synthetic connection goes to port 53.
      if (second.expectedFlows !== null) expect(core.total).toBe(N / 4 + SECOND_N / 4);
      else expect(core.total).toBeGreaterThanOrEqual(N / 4);
    }
    await shot(page, '10-filter');
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => count.getAttribute('data-total')).toBe(String(total));
  });

  it('shows times in the case time zone chosen in the header', async () => {
    await page.locator('.flows-grid .vt-th[data-col=start_us]').click(); // ascending by start
    const firstStart = page.locator('.flows-grid .vt-body [role=row][aria-rowindex="1"]:not(.loading) [data-col=start_us]');
    await expect.poll(() => page.locator('.flows-grid .vt-th[data-col=start_us]').getAttribute('aria-sort')).toBe('ascending');
    await firstStart.waitFor();
    const utc = await firstStart.textContent();
    await page.getByTestId('time-zone').selectOption('Asia/Tokyo');
    await expect.poll(() => firstStart.textContent()).not.toBe(utc);
    const tokyo = await firstStart.textContent();
    // Same instant, nine hours later on the wall clock.
    const asUtc = (s: string) => Date.parse(`${s.slice(0, 19).replace(' ', 'T')}Z`);
    expect(asUtc(tokyo!) - asUtc(utc!)).toBe(9 * 3600 * 1000);
    await shot(page, '11-time-zone');
    await page.getByTestId('time-zone').selectOption('UTC');
    expect(cspViolations).toEqual([]);
  });

  it('closes the case; a direct query of the case file agrees with what the UI showed', async () => {
    await page.getByTestId('close-case').click();
    await page.getByTestId('recent-cases').waitFor();
    expect(await page.getByTestId('recent-cases').textContent()).toContain('e2e-case.duckdb');
    await shot(page, '12-recent-cases');
    const store = await CaseStore.open(casePath(), { readOnly: true });
    try {
      expect(Number(await store.value('SELECT count(*) FROM flows'))).toBe(total);
      const max = Number(await store.value('SELECT max(bytes) FROM flows'));
      expect(shownMaxBytes).toBe(`${max.toLocaleString('en-US')} bytes`);
      expect(await store.value('SELECT sha256 FROM evidence WHERE name = $n', { n: 'synthetic.conn.log' })).toBe(sha256(mainLog));
    } finally {
      store.close();
    }
  });

  it('shows the core\'s own message when the case is locked by another process', async () => {
    // Another process holds the case file open for writing (as a second Flowcase would).
    const holder = spawn(process.execPath, ['-e', `
      const { DuckDBInstance } = require('@duckdb/node-api');
      DuckDBInstance.create(${JSON.stringify(casePath())}).then(async (db) => { await db.connect(); console.log('locked'); setInterval(() => {}, 1000); });
    `], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((ok, fail) => {
        holder.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && ok());
        holder.on('exit', (code) => fail(new Error(`lock holder exited with ${code}`)));
      });
      let expected = '';
      try {
        await server.service.call('case.open', { path: casePath(), create: false });
      } catch (e) {
        expected = (e as Error).message;
      }
      expect(expected).not.toBe('');
      await page.locator('.recent').first().click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain(expected);
      expect(await page.getByTestId('new-case').isVisible()).toBe(true); // still on the picker
      await shot(page, '13-case-locked');
      expect(await page.getByTestId('open-read-only').isVisible()).toBe(true);
    } finally {
      holder.kill();
    }
  });
});
