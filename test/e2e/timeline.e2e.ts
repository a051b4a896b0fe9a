import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../core/formats/index';
import type { Note, ReportResult } from '../../core/api/contract';
import { startWebServer, type WebServer } from '../../core/web/server';
import { BREACH, writeBreachCapture } from '../helpers/breach-capture';
import { REPO_ROOT } from '../helpers/corpus';
import { CHROMIUM, importAndWait, openApp } from '../helpers/e2e-browser';
import { tempDir } from '../helpers/temp';

const STATIC_DIR = join(REPO_ROOT, 'dist', 'renderer');
const SHOTS = join(REPO_ROOT, 'test', 'e2e', 'screenshots');
/** The machine is shared: answers that need the core get time. */
const SLOW = { timeout: 60_000, interval: 200 };

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/**
 * The second half of an investigation in Chromium: a capture of a small breach is
 * imported, a flow of the attacker's SSH session is bookmarked with a note, the timeline
 * shows it beside the story Flowcase proposes, the foothold is accepted, and the report
 * is generated and opened.
 */
describe.skipIf(!existsSync(CHROMIUM))('timeline, notes and the report in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let tmp: { dir: string; cleanup: () => void };
  let cspViolations: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error(`renderer not built (${STATIC_DIR}): run npx vite build first`);
    tmp = tempDir('flowcase-e2e-timeline-');
    process.env.FLOWCASE_HOME = join(tmp.dir, 'home');
    mkdirSync(SHOTS, { recursive: true });
    const capture = join(tmp.dir, 'breach.pcap');
    writeBreachCapture(capture);
    server = await startWebServer({ port: 0, host: '127.0.0.1', staticDir: STATIC_DIR });
    await server.service.openCase(join(tmp.dir, 'breach-case.duckdb'));
    await server.service.call('case.setTimeZone', { timeZone: 'UTC' });
    const done = importAndWait(server.service, [capture]);
    expect((await done).results[0].ok).toBe(true);

    ({ browser, page, cspViolations } = await openApp(server.url));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp?.cleanup();
  });

  it('bookmarks a flow of the SSH session with a note and a tag from its detail pane', async () => {
    await page.getByTestId('nav-flows').click();
    const box = page.getByTestId('flow-filter');
    await box.fill('dst port 22');
    await box.press('Enter');
    await expect.poll(() => page.getByTestId('flow-count').textContent(), SLOW).toContain('1 of');
    await page.locator('.flows-grid .vt-body [role=row][aria-rowindex="1"]:not(.loading)').click();
    await page.getByTestId('flow-note').click();
    await page.getByTestId('note-text').fill('SSH login from the scanner: the way in');
    await page.getByTestId('note-tags').fill('foothold');
    await shot(page, '50-note-dialog');
    await page.getByTestId('note-save').click();
    await expect.poll(() => page.getByTestId('note-list').textContent(), SLOW).toContain('SSH login from the scanner');
    await page.getByTestId('note-close').click();
    // The core has the note, tied to the flow, with its first revision and an audit entry.
    const notes = await server.service.call('notes.list', {}) as Note[];
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ targetKind: 'flow', host: BREACH.victim, peer: BREACH.attacker, tags: ['foothold'], revision: 1 });
  });

  it('shows the note on the timeline with the story of the victim, and accepts the foothold', async () => {
    await page.getByTestId('nav-timeline').click();
    await page.getByTestId('timeline-chart').waitFor();
    const lanes = await page.getByTestId('timeline-lane').allTextContents();
    expect(lanes[0]).toBe(BREACH.victim);
    expect(lanes).toContain(BREACH.attacker);
    await expect.poll(() => page.locator('[data-testid=timeline-event][data-source=note]').count(), SLOW).toBe(1);
    expect(await page.getByTestId('timeline-table').textContent()).toContain('SSH login from the scanner: the way in');
    // The story proposes the scan, the foothold and the transfer out; accepting the foothold keeps it.
    const foothold = page.locator('[data-testid=story-entry][data-kind=foothold]');
    await foothold.waitFor();
    expect(await page.locator('[data-testid=story-entry][data-kind=scan]').count()).toBe(1);
    expect(await page.locator('[data-testid=story-entry][data-kind=transfer-out]').count()).toBe(1);
    // (A retry finds it accepted already.)
    if ((await foothold.getAttribute('data-status')) !== 'accepted') await foothold.getByTestId('story-accept').click();
    await expect.poll(() => foothold.getAttribute('data-status'), SLOW).toBe('accepted');
    await expect.poll(() => page.getByTestId('assessment-figure').textContent(), SLOW).toMatch(/[\d,]+ bytes/);
    expect(await page.getByTestId('assessment-qualifiers').textContent()).toContain('internal networks');
    await shot(page, '51-timeline');
    await page.getByTestId('assessment-panel').scrollIntoViewIfNeeded();
    await page.getByTestId('assessment-destinations').waitFor();
    await page.getByTestId('story-panel').screenshot({ path: join(SHOTS, '52-story.png') });
    await page.getByTestId('assessment-panel').screenshot({ path: join(SHOTS, '53-assessment.png') });
    // A click on the foothold opens its session (the ladder) beside the table.
    await page.locator('[data-testid=timeline-event][data-kind=foothold]').first().click();
    await page.getByTestId('timeline-detail').waitFor();
    await expect.poll(() => page.getByTestId('timeline-detail').textContent(), SLOW).toContain(`${BREACH.victim}:22`);
    await shot(page, '54-timeline-session');
  });

  it('generates the report, which opens as one self-contained page', async () => {
    await page.getByTestId('nav-report').click();
    await page.getByTestId('report-generate').click();
    await page.getByTestId('report-result').waitFor();
    const htmlPath = (await page.getByTestId('report-path').textContent()) ?? '';
    expect(existsSync(htmlPath)).toBe(true);
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).not.toMatch(/<script|https?:|url\(/i);
    const href = await page.getByTestId('report-open').getAttribute('href');
    const report = await page.context().newPage();
    await report.goto(new URL(href!, server.origin).toString());
    await report.getByRole('heading', { name: /Flowcase report/ }).waitFor();
    const text = (await report.textContent('body')) ?? '';
    expect(text).toContain('SSH login from the scanner: the way in');
    expect(text).toContain('Was personal data, or is it reasonably believed to have been, acquired by an unauthorized person?');
    expect(text).toMatch(/[\d,]+ bytes \([\d.]+ kB\) left 10\.0\.0\.5/);
    await shot(report, '56-report');
    await report.locator('#appendix').scrollIntoViewIfNeeded();
    await shot(report, '57-report-appendix');
    await report.close();
    // The PDF of the same report through the same Chromium.
    const r = await server.service.call('report.generate', { hosts: [BREACH.victim], pdf: true }) as ReportResult;
    expect(r.pdfError).toBeNull();
    expect(readFileSync(r.pdfPath!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(cspViolations).toEqual([]);
  });
});
