import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../core/formats/index';
import type { Detection, Exclusion } from '../../core/api/contract';
import { DETECTION_KINDS } from '../../core/analysis/detect/detection-types';
import { CaseStore } from '../../core/store/case-store';
import { startWebServer, type WebServer } from '../../core/web/server';
import { BASELINE_S, buildScenario, scenarioUs, writeScenario } from '../helpers/scenario';
import { corpus, HAVE_CORPUS, REPO_ROOT } from '../helpers/corpus';
import { CHROMIUM, importAndWait, openApp } from '../helpers/e2e-browser';
import { tempDir } from '../helpers/temp';

const STATIC_DIR = join(REPO_ROOT, 'dist', 'renderer');
const SHOTS = join(REPO_ROOT, 'test', 'e2e', 'screenshots');
/** nmap ssh-brute from 147.32.80.40 against 147.32.80.37:902: 67 short TCP sessions in 13 s (Stratosphere). */
const CAPTURE = 'pcap/stratosphere/ssh-bruteforce-port902.pcap';
const ATTACKER = '147.32.80.40';
const VICTIM = '147.32.80.37';
/** The machine is shared: answers that need the core get time. */
const SLOW = { timeout: 60_000, interval: 200 };

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Why the detections tests cannot run (the core answers not-implemented), or null. A missing detection is "not found" once the handlers exist. */
async function detectionsPending(server: WebServer): Promise<string | null> {
  try {
    await server.service.call('detections.get', { id: 999_999 });
  } catch (e) {
    if ((e as { code?: string }).code === 'not-implemented') {
      return `the core answers not-implemented for detections (${(e as Error).message}): detections e2e skipped until the detectors are merged`;
    }
  }
  return null;
}

/**
 * Detections in Chromium: the SSH brute-force capture is imported, the detectors run from the
 * Detections view, the brute force shows with its reason, one click opens the attacker in the
 * pivot with the detection's evidence filter and time range, and "Not malicious" moves it to
 * Suppressed with the exclusion listed.
 */
describe.skipIf(!existsSync(CHROMIUM) || !HAVE_CORPUS)('detections in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let tmp: { dir: string; cleanup: () => void };
  let cspViolations: string[] = [];
  /** Null when the core's detections answer "not implemented" (the detectors not merged yet). */
  let pending: string | null = null;
  const call = <T,>(method: string, args: unknown) => server.service.call(method, args) as Promise<T>;

  beforeAll(async () => {
    if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error(`renderer not built (${STATIC_DIR}): run npx vite build first`);
    tmp = tempDir('flowcase-e2e-detections-');
    process.env.FLOWCASE_HOME = join(tmp.dir, 'home');
    mkdirSync(SHOTS, { recursive: true });
    server = await startWebServer({ port: 0, host: '127.0.0.1', staticDir: STATIC_DIR });
    await server.service.openCase(join(tmp.dir, 'detections-case.duckdb'));
    await server.service.call('case.setTimeZone', { timeZone: 'UTC' });
    const done = importAndWait(server.service, [corpus(CAPTURE)]);
    expect((await done).results[0].ok).toBe(true);
    pending = await detectionsPending(server);
    if (pending) console.warn(pending);
    ({ browser, page, cspViolations } = await openApp(server.url));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp?.cleanup();
  });

  it('runs the detectors and shows the brute force with its reason, grouped under the attacker', async (ctx) => {
    if (pending) ctx.skip(pending);
    const nav = page.getByTestId('nav-detections');
    expect(await nav.isDisabled()).toBe(false);
    await nav.click();
    await page.getByTestId('detections-runbar').waitFor();
    await page.getByTestId('detections-run').click();
    const row = page.locator(`[data-testid=detection-row][data-kind=brute_force][data-src="${ATTACKER}"]`).first();
    await row.waitFor(SLOW);
    expect(await row.getAttribute('data-dst')).toBe(VICTIM);
    const summary = (await row.getByTestId('detection-summary').textContent()) ?? '';
    expect(summary).toContain(ATTACKER);
    expect(summary).toContain(VICTIM);
    expect(summary).toMatch(/\b902\b/);
    // The run is stored; what the table shows is what the core lists.
    const stored = await call<Detection[]>('detections.list', { status: 'open' });
    const brute = stored.find((d) => d.kind === 'brute_force' && d.src === ATTACKER)!;
    expect(brute.summary).toBe(summary);
    await expect.poll(() => page.getByTestId('detections-last-run').textContent(), SLOW).toContain('last run');
    expect(await page.locator(`[data-testid=host-group][data-host="${ATTACKER}"]`).count()).toBe(1);
    expect(await page.getByTestId('tab-open').textContent()).toBe(`Open (${stored.length})`);
    // Its times say their zone.
    expect(await page.getByTestId('detections-table').locator('thead').textContent()).toContain('First → last flow (UTC)');
    await page.getByTestId('detections-time-chart').waitFor();
    expect(await page.locator('[data-testid=detections-time-chart] [data-testid=time-mark]').count()).toBe(stored.length);
    await row.click();
    await expect.poll(() => page.getByTestId('detection-evidence').textContent(), SLOW).toBe(brute.evidence);
    await shot(page, '60-detections');
  });

  it('opens the attacker in the pivot with the evidence filter and the time range, alert score shown', async (ctx) => {
    if (pending) ctx.skip(pending);
    const brute = (await call<Detection[]>('detections.list', { status: 'open', kinds: ['brute_force'] })).find((d) => d.src === ATTACKER)!;
    await page.locator(`[data-testid=detection-row][data-id="${brute.id}"]`).getByTestId('detection-pivot').click();
    await expect.poll(() => page.getByTestId('pivot-host').textContent(), SLOW).toBe(ATTACKER);
    expect(await page.getByTestId('analysis-filter').inputValue()).toBe(brute.evidence);
    expect(await page.getByTestId('time-range').getAttribute('data-from')).toBe(String(brute.startUs));
    // Exactly the flows behind the detection, in its window.
    await expect.poll(() => page.getByTestId('host-summary').getAttribute('data-flows'), SLOW).toBe(String(brute.flows));
    const score = page.getByTestId('host-alert-score');
    await expect.poll(() => score.getAttribute('data-severity'), SLOW).toBe(brute.severity);
    await shot(page, '61-detection-pivot');
    // The score links back to the host's detections.
    await score.click();
    await page.getByTestId('detections-host').waitFor();
    expect(await page.getByTestId('detections-host').textContent()).toContain(ATTACKER);
    // The same detection's sessions: the sessions view with its evidence and window.
    await page.locator(`[data-testid=detection-row][data-id="${brute.id}"]`).getByTestId('detection-sessions').click();
    await page.getByTestId('sessions').waitFor();
    expect(await page.getByTestId('analysis-filter').inputValue()).toBe(brute.evidence);
    await expect.poll(async () => Number(await page.getByTestId('session-count').getAttribute('data-total')), SLOW).toBeGreaterThan(0);
    expect(await page.getByTestId('time-range').getAttribute('data-from')).toBe(String(brute.startUs));
    // A note on it opens the one note dialog, about this detection.
    await page.getByTestId('nav-detections').click();
    await page.locator(`[data-testid=detection-row][data-id="${brute.id}"]`).getByTestId('detection-note').click();
    await expect.poll(() => page.getByRole('dialog').getAttribute('aria-label'), SLOW).toBe(`Bookmark / note: Detection #${brute.id}`);
    await page.getByTestId('note-close').click();
  });

  it('marks the overview\'s traffic chart with the detections', async (ctx) => {
    if (pending) ctx.skip(pending);
    // Wider than the detection: clear the filter and window the pivot set.
    await page.getByTestId('nav-overview').click();
    await page.getByTestId('analysis-filter').fill('');
    await page.getByTestId('analysis-filter').press('Enter');
    if (await page.getByTestId('clear-time-range').count()) await page.getByTestId('clear-time-range').click();
    const open = await call<Detection[]>('detections.list', { status: 'open' });
    await expect.poll(() => page.locator('[data-testid=series-chart] [data-testid=time-mark]').count(), SLOW).toBe(open.length);
  });

  it('"Not malicious" proposes the exclusion, moves the detection to Suppressed and lists the exclusion', async (ctx) => {
    if (pending) ctx.skip(pending);
    await page.getByTestId('nav-detections').click();
    if (await page.getByTestId('detections-host').count()) await page.getByTestId('detections-host').getByRole('button').click();
    let brute = (await call<Detection[]>('detections.list', { status: 'all', kinds: ['brute_force'] })).find((d) => d.src === ATTACKER)!;
    if (brute.status === 'suppressed') {
      // A retry after a failure past the confirmation: reopen it as the Exclusions tab would.
      await call('exclusions.remove', { id: brute.exclusionId });
      await page.getByTestId('nav-overview').click();
      await page.getByTestId('nav-detections').click();
      brute = await call<Detection>('detections.get', { id: brute.id });
    }
    const row = page.locator(`[data-testid=detection-row][data-id="${brute.id}"]`);
    await row.getByTestId('detection-suppress').click();
    const dialog = page.getByTestId('suppress-dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.getByTestId('scope-option').count(), SLOW).toBeGreaterThan(0);
    // The narrowest scope is chosen by default and names the attacker.
    const first = dialog.getByTestId('scope-option').first();
    expect(await first.locator('input').isChecked()).toBe(true);
    const scopeText = (await first.textContent()) ?? '';
    expect(scopeText).toContain(ATTACKER);
    await page.getByTestId('suppress-reason').fill('Authorized password audit (change 4711)');
    await shot(page, '62-not-malicious');
    await page.getByTestId('suppress-confirm').click();
    await expect.poll(() => page.getByTestId('detections-notice').textContent(), SLOW).toMatch(/Not malicious: exclusion #\d+ added/);
    await expect.poll(() => row.count(), SLOW).toBe(0);
    // Suppressed, never deleted.
    await page.getByTestId('tab-suppressed').click();
    const suppressed = page.locator(`[data-testid=detection-row][data-id="${brute.id}"]`);
    await suppressed.waitFor(SLOW);
    expect(await suppressed.getAttribute('data-status')).toBe('suppressed');
    const after = await call<Detection>('detections.get', { id: brute.id });
    expect(after.status).toBe('suppressed');
    await suppressed.click();
    await expect.poll(() => page.getByTestId('detection-detail').textContent(), SLOW).toContain('Authorized password audit (change 4711)');
    await shot(page, '63-detections-suppressed');
    // The exclusion is listed with its reason and where it came from.
    await page.getByTestId('tab-exclusions').click();
    const ex = page.locator(`[data-testid=exclusion-row][data-id="${after.exclusionId}"]`);
    await ex.waitFor(SLOW);
    expect(await ex.textContent()).toContain('Authorized password audit (change 4711)');
    expect(await ex.textContent()).toContain(`detection #${brute.id}`);
    expect(await ex.getByTestId('exclusion-scope').textContent()).toBe(scopeText.replace(/(narrowest|widest)/g, '').trim());
    const stored = await call<Exclusion[]>('exclusions.list', {});
    expect(stored.find((e) => e.id === after.exclusionId)).toMatchObject({ active: true, fromDetectionId: brute.id, reason: 'Authorized password audit (change 4711)' });
    await shot(page, '64-exclusions');
    expect(cspViolations).toEqual([]);
  });
});

const RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/**
 * A busy network (the detection tests' scenario: hours of benign office traffic with every
 * attack mixed in) in the same view: the table's order, grouping and filters as the analyst
 * uses them, a threshold edited and reset, the overview's marks.
 */
describe.skipIf(!existsSync(CHROMIUM))('detections of a busy network in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let tmp: { dir: string; cleanup: () => void };
  let pending: string | null = null;
  const call = <T,>(method: string, args: unknown) => server.service.call(method, args) as Promise<T>;
  const attr = (sel: string, name: string) => page.locator(sel).evaluateAll((els, n) => els.map((e) => e.getAttribute(n) ?? ''), name);

  beforeAll(async () => {
    if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error(`renderer not built (${STATIC_DIR}): run npx vite build first`);
    tmp = tempDir('flowcase-e2e-busy-');
    process.env.FLOWCASE_HOME = join(tmp.dir, 'home');
    mkdirSync(SHOTS, { recursive: true });
    const path = join(tmp.dir, 'busy-case.duckdb');
    const store = await CaseStore.open(path);
    await writeScenario(store, buildScenario(7, DETECTION_KINDS), 'bidirectional');
    store.close();
    server = await startWebServer({ port: 0, host: '127.0.0.1', staticDir: STATIC_DIR });
    await server.service.openCase(path);
    await server.service.call('case.setTimeZone', { timeZone: 'UTC' });
    pending = await detectionsPending(server);
    if (pending) console.warn(pending);
    ({ browser, page } = await openApp(server.url));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp?.cleanup();
  });

  it('sorts by severity, time and host, groups by host and filters by severity', async (ctx) => {
    if (pending) ctx.skip(pending);
    await page.getByTestId('nav-detections').click();
    // The first hour is the baseline the host profiles compare with, typed in the zone shown.
    await page.getByTestId('detections-baseline').fill(new Date(scenarioUs(BASELINE_S) / 1000).toISOString().slice(0, 16).replace('T', ' '));
    await page.getByTestId('detections-run').click();
    await expect.poll(() => page.getByTestId('detections-last-run').textContent(), SLOW).toContain('baseline until');
    const open = await call<Detection[]>('detections.list', { status: 'open' });
    expect(open.length).toBeGreaterThan(8);
    await expect.poll(() => page.getByTestId('detection-row').count(), SLOW).toBe(open.length);
    // Grouped (the default): one header per host, worst first, every row under one.
    const groups = await attr('[data-testid=host-group]', 'data-severity');
    expect(groups.length).toBe(new Set(open.map((d) => d.src ?? d.dst)).size);
    expect(groups.map((s) => RANK[s])).toEqual([...groups.map((s) => RANK[s])].sort((a, b) => b - a));
    await shot(page, '65-detections-busy');
    // Ungrouped by severity: worst first.
    await page.getByTestId('group-by-host').uncheck();
    const sev = await attr('[data-testid=detection-row]', 'data-severity');
    expect(sev.map((s) => RANK[s])).toEqual([...sev.map((s) => RANK[s])].sort((a, b) => b - a));
    // By time, then reversed.
    await page.getByTestId('sort-time').click();
    const starts = (await attr('[data-testid=detection-row]', 'data-start')).map(Number);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    await page.getByTestId('sort-time').click();
    expect((await attr('[data-testid=detection-row]', 'data-start')).map(Number)).toEqual([...starts].reverse());
    // By host: the attacker's rows side by side.
    await page.getByTestId('sort-host').click();
    const hosts = (await attr('[data-testid=detection-row]', 'data-src')).map((s, i) => s || `dst${i}`);
    const seen = new Set<string>();
    hosts.forEach((h, i) => { if (i > 0 && hosts[i - 1] !== h) expect(seen.has(h)).toBe(false); seen.add(h); });
    // Only the critical ones.
    await page.getByTestId('sev-critical').click();
    const critical = open.filter((d) => d.severity === 'critical').length;
    await expect.poll(() => page.getByTestId('detection-row').count(), SLOW).toBe(critical);
    expect(new Set(await attr('[data-testid=detection-row]', 'data-severity'))).toEqual(new Set(['critical']));
    await page.getByTestId('sev-critical').click();
    await page.getByTestId('group-by-host').check();
    await page.getByTestId('sort-severity').click();
  });

  it('edits a threshold (default shown) and puts it back', async (ctx) => {
    if (pending) ctx.skip(pending);
    await page.getByTestId('tab-thresholds').click();
    const row = page.locator('[data-testid=threshold-row][data-detector=brute_force][data-name=min_sessions]');
    await row.waitFor(SLOW);
    const before = (await call<{ detector: string; name: string; value: number; defaultValue: number }[]>('detections.thresholds', {}))
      .find((t) => t.detector === 'brute_force' && t.name === 'min_sessions')!;
    expect(await row.locator('td.num.muted').textContent()).toBe(String(before.defaultValue));
    await row.locator('input').fill(String(before.defaultValue + 5));
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await call<{ detector: string; name: string; value: number }[]>('detections.thresholds', {}))
      .find((t) => t.detector === 'brute_force' && t.name === 'min_sessions')!.value, SLOW).toBe(before.defaultValue + 5);
    const edited = page.locator('[data-testid=threshold-row][data-detector=brute_force][data-name=min_sessions]');
    await expect.poll(() => edited.getAttribute('class'), SLOW).toContain('modified');
    await edited.getByRole('button', { name: 'Default' }).click();
    await expect.poll(async () => (await call<{ detector: string; name: string; value: number }[]>('detections.thresholds', {}))
      .find((t) => t.detector === 'brute_force' && t.name === 'min_sessions')!.value, SLOW).toBe(before.defaultValue);
  });

  it('marks every open detection on the overview\'s traffic chart', async (ctx) => {
    if (pending) ctx.skip(pending);
    const open = await call<Detection[]>('detections.list', { status: 'open' });
    await page.getByTestId('nav-overview').click();
    await expect.poll(() => page.locator('[data-testid=series-chart] [data-testid=time-mark]').count(), SLOW).toBe(open.length);
  });
});
