import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Locator, type Page } from 'playwright-core';
import '../../core/formats/index';
import { CaseStore } from '../../core/store/case-store';
import { startWebServer, type WebServer } from '../../core/web/server';
import { corpus, HAVE_CORPUS, REPO_ROOT } from '../helpers/corpus';
import { tempDir } from '../helpers/temp';
import { launchChromium } from '../helpers/e2e-browser';

const STATIC_DIR = join(REPO_ROOT, 'dist', 'renderer');
const SHOTS = join(REPO_ROOT, 'test', 'e2e', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Rows of the CSV with column names no preset or guess knows. */
const CSV_ROWS = 30;
const csvRow = (i: number) => ({
  whenMs: 1_700_000_000_000 + i * 1500 + 123,
  from: `10.0.0.${i + 1}`,
  to: '192.168.1.9',
  sport: 50_000 + i,
  dport: [443, 53, 80][i % 3],
  proto: [6, 17, 6][i % 3],
  pkts: i + 1,
  octets: 100 * (i + 1),
});

/** IPAudit `-t` lines (ip1 ip2 proto port1 port2 bytes_to_ip1 bytes_to_ip2 pkts_to_ip1 pkts_to_ip2 first last talkers). */
const IPAUDIT_LINES = [
  '192.168.1.10 10.0.0.5 6 51234 80 1200 400 10 8 08:00:01.1234 08:00:05.5678 1 2',
  '192.168.1.11 10.0.0.6 17 5353 53 100 60 1 1 08:01:00.0000 08:01:00.1000 1 2',
];

/** NetFlow v9 export of a real capture (softflowd); nfdump's CSV of the same export is the oracle. */
const NFV9_EXPORT = 'derived/softflowd/ssh-bruteforce-port902.nfv9.export.pcap';
const NFV9_ORACLE = 'derived/softflowd/ssh-bruteforce-port902.nfv9.nfcapd.csv';
const NFV5_EXPORT = 'derived/softflowd/wikipedia.nfv5.export.pcap';

/** The first record of an nfdump CSV (header names -> values). */
function oracleFirstRow(text: string): Record<string, string> {
  const [head, row] = text.split('\n');
  const names = head.split(',');
  const values = row.split(',');
  return Object.fromEntries(names.map((n, i) => [n, values[i]]));
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Picks files through the server file browser ("Add evidence…"), as an analyst in web mode does. */
async function pickFiles(page: Page, dir: string, names: string[]): Promise<void> {
  await page.getByTestId('add-evidence').click();
  // Let the browser's first listing (the case folder) arrive before going elsewhere, or it lands after ours.
  await page.locator('.fb-entry').first().waitFor();
  const pathBox = page.getByTestId('file-browser-path');
  await pathBox.fill(dir);
  await pathBox.press('Enter');
  for (const n of names) await page.locator(`.fb-entry[data-name="${n}"]`).click();
  await page.getByTestId('file-browser-choose').click();
  for (const n of names) await readyRow(page, n).waitFor();
}

const readyRow = (page: Page, name: string): Locator => page.locator(`[data-testid=ready-file][data-name="${name}"]`);

/** The texts of a select's options, and the chosen one's text. */
async function selectTexts(select: Locator): Promise<{ chosen: string; options: string[] }> {
  return select.evaluate((el) => {
    const s = el as HTMLSelectElement;
    return { chosen: s.selectedOptions[0]?.textContent ?? '', options: [...s.options].map((o) => o.textContent ?? '') };
  });
}

/** Starts the staged import and waits for its results, with what each import learned (facts) once they are in. */
async function importAndWait(page: Page, expected: string, facts?: number): Promise<string> {
  await page.getByTestId('import-staged').click();
  const results = page.getByTestId('import-results');
  await expect.poll(() => results.textContent(), { timeout: 120_000 }).toContain(expected);
  if (facts !== undefined) await expect.poll(() => results.getByTestId('evidence-facts').count()).toBe(facts);
  return (await results.textContent()) ?? '';
}

describe.skipIf(!existsSync(CHROMIUM))('import options in Chromium (sniff, per-file format and options, CSV mapping)', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let tmp: { dir: string; cleanup: () => void };
  let evidenceDir: string;
  const cspViolations: string[] = [];
  const casePath = () => join(tmp.dir, 'options-case.duckdb');

  beforeAll(async () => {
    if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error(`renderer not built (${STATIC_DIR}): run npx vite build first`);
    tmp = tempDir('flowcase-e2e-options-');
    process.env.FLOWCASE_HOME = join(tmp.dir, 'home');
    evidenceDir = join(tmp.dir, 'evidence');
    mkdirSync(evidenceDir, { recursive: true });
    mkdirSync(SHOTS, { recursive: true });
    const csv = ['when,from,to,sport,dport,protocol,pkts,octets'];
    for (let i = 0; i < CSV_ROWS; i++) {
      const r = csvRow(i);
      csv.push([r.whenMs, r.from, r.to, r.sport, r.dport, r.proto, r.pkts, r.octets].join(','));
    }
    writeFileSync(join(evidenceDir, 'odd-columns.csv'), `${csv.join('\n')}\n`);
    writeFileSync(join(evidenceDir, 'traffic.txt'), `${IPAUDIT_LINES.join('\n')}\n`);
    // Another interval of the same host (a copy would be refused as a duplicate).
    writeFileSync(join(evidenceDir, '2006-03-27-08:00.txt'), `${IPAUDIT_LINES.map((l) => l.replace(' 51234 ', ' 51299 ')).join('\n')}\n`);

    server = await startWebServer({ port: 0, host: '127.0.0.1', staticDir: STATIC_DIR });
    await server.service.openCase(casePath());
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC' });
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(server.url);
    await page.getByTestId('case-name').waitFor();
    await page.getByTestId('nav-evidence').click();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tmp?.cleanup();
  });

  it('maps the columns of an unfamiliar CSV in the dialog; the preview shows the flows as they will be read', async () => {
    await pickFiles(page, evidenceDir, ['odd-columns.csv']);
    const row = readyRow(page, 'odd-columns.csv');
    expect(await row.getByTestId('format-select').inputValue()).toBe('csv');
    // No preset fits and no name is guessable: the list says so and will not import it unmapped.
    await expect.poll(() => row.getByTestId('mapping-summary').textContent()).toBe('columns not recognised: map them');
    expect(await page.getByTestId('import-staged').isDisabled()).toBe(true);
    await row.getByTestId('map-columns').click();

    const dialog = page.getByTestId('csv-mapping');
    await dialog.getByTestId('csv-detected').waitFor();
    const detected = (await dialog.getByTestId('csv-detected').textContent()) ?? '';
    expect(detected).toContain('comma');
    expect(detected).toContain('no preset, no guess');
    expect(detected).toContain('when, from, to, sport, dport, protocol, pkts, octets');
    await expect.poll(() => dialog.getByTestId('mapping-error').textContent()).toMatch(/no preset fits the columns|needs startTime/);
    expect(await page.getByTestId('mapping-ok').isDisabled()).toBe(true);

    const choose: [string, string][] = [
      ['startTime', 'when'], ['srcAddr', 'from'], ['dstAddr', 'to'], ['srcPort', 'sport'], ['dstPort', 'dport'],
      ['proto', 'protocol'], ['packets', 'pkts'], ['bytes', 'octets'],
    ];
    for (const [field, column] of choose) await dialog.getByTestId(`map-${field}`).selectOption(column);
    await dialog.getByTestId('map-timeFormat').selectOption('epoch-ms');

    // The preview re-reads the head under the new mapping: 20 rows, each a flow.
    const rows = dialog.getByTestId('preview-row');
    const r0 = csvRow(0);
    const firstStart = new Date(r0.whenMs).toISOString();
    await expect.poll(async () => (await rows.first().textContent()) ?? '').toContain(firstStart);
    expect(await rows.count()).toBe(20);
    expect(await dialog.locator('[data-testid=preview-row].failed').count()).toBe(0);
    const first = (await rows.first().textContent()) ?? '';
    expect(first).toContain(`${r0.from}:${r0.sport} → ${r0.to}:${r0.dport}`);
    expect(first).toContain('TCP');
    const r1 = csvRow(1);
    const second = (await rows.nth(1).textContent()) ?? '';
    expect(second).toContain(`${r1.from}:${r1.sport} → ${r1.to}:${r1.dport}`);
    expect(second).toContain('UDP');
    await shot(page, '40-csv-mapping');

    await page.getByTestId('mapping-ok').click();
    await expect.poll(() => row.getByTestId('mapping-summary').textContent()).toContain('mapped: start when, from → to');
    await shot(page, '41-csv-ready');
    const text = await importAndWait(page, '1 of 1 imported');
    expect(text).toContain('csv');
    expect(text).toContain(String(CSV_ROWS));
    const ev = (await server.service.call('evidence.list', {})) as { name: string; format: string; records: number }[];
    expect(ev.find((e) => e.name === 'odd-columns.csv')).toMatchObject({ format: 'csv', records: CSV_ROWS });
  });

  it('asks for the date of an IPAudit file whose name carries none, and says where the date comes from', async () => {
    await pickFiles(page, evidenceDir, ['traffic.txt', '2006-03-27-08:00.txt']);
    const bare = readyRow(page, 'traffic.txt');
    const named = readyRow(page, '2006-03-27-08:00.txt');
    expect(await bare.getByTestId('format-select').inputValue()).toBe('ipaudit');
    expect(await named.getByTestId('format-select').inputValue()).toBe('ipaudit');
    expect(await bare.getByTestId('date-source').textContent()).toMatch(/file name has none.*enter the date/);
    expect(await named.getByTestId('date-source').textContent()).toContain('date from the file name: 2006-03-27 08:00');
    expect(await page.getByTestId('import-staged').isDisabled()).toBe(true);
    expect(await page.getByTestId('ready-problem').textContent()).toContain('traffic.txt');
    await shot(page, '42-ipaudit-date-required');

    await bare.getByTestId('opt-date').fill('2006-03-28');
    await bare.getByTestId('opt-time-zone').fill('Europe/Berlin');
    await expect.poll(() => bare.getByTestId('date-source').textContent()).toContain('date: 2006-03-28 (entered)');
    expect(await page.getByTestId('import-staged').isDisabled()).toBe(false);
    expect(await page.getByTestId('import-staged').textContent()).toBe('Import 2 files');
    // Different options: two jobs, both shown until they finish.
    expect((await page.getByTestId('ready-list').textContent()) ?? '').toContain('2 jobs');
    const text = await importAndWait(page, '2 of 2 imported', 2);
    expect(text).toContain('dateSource');
    expect(text).toContain('option');
    expect(text).toContain('file-name');
    await shot(page, '43-ipaudit-imported');

    // 08:00:01.1234 on 2006-03-28 in Berlin (CEST from 26 March) is 06:00:01.1234 UTC.
    const ev = (await server.service.call('evidence.list', {})) as { name: string; firstUs: number | null; facts: Record<string, unknown> }[];
    const bareEv = ev.find((e) => e.name === 'traffic.txt')!;
    expect(bareEv.facts).toMatchObject({ dateSource: 'option', date: '2006-03-28', timeZone: 'Europe/Berlin' });
    expect(bareEv.firstUs).toBe(Date.UTC(2006, 2, 28, 6, 0, 1) * 1000 + 123_400);
    const namedEv = ev.find((e) => e.name === '2006-03-27-08:00.txt')!;
    expect(namedEv.facts).toMatchObject({ dateSource: 'file-name', date: '2006-03-27' });
    expect(namedEv.firstUs).toBe(Date.UTC(2006, 2, 27, 8, 0, 1) * 1000 + 123_400);
  });

  describe.skipIf(!HAVE_CORPUS)('corpus files: nfdump CSV, captures holding NetFlow/IPFIX exports', () => {
    it('recognises nfdump CSV by its preset; OK without changes keeps the preset (and its own readings)', async () => {
      const csv = corpus(NFV9_ORACLE);
      await pickFiles(page, dirname(csv), [basename(csv)]);
      const row = readyRow(page, basename(csv));
      expect(await row.getByTestId('format-select').inputValue()).toBe('csv');
      await expect.poll(() => row.getByTestId('mapping-summary').textContent()).toBe('nfdump columns recognised');
      await row.getByTestId('map-columns').click();
      const dialog = page.getByTestId('csv-mapping');
      await expect.poll(() => dialog.getByTestId('csv-detected').textContent()).toContain('Preset nfdump');
      expect(await dialog.getByTestId('map-startTime').inputValue()).toBe('ts');
      expect(await dialog.getByTestId('map-srcAddr').inputValue()).toBe('sa');
      // nfdump's first record, as the import will read it.
      const first = oracleFirstRow(readFileSync(csv, 'utf8'));
      await expect.poll(async () => (await dialog.getByTestId('preview-row').first().textContent()) ?? '').toContain(`${first.sa}:${first.sp} → ${first.da}:${first.dp}`);
      await shot(page, '46-nfdump-csv-preset');
      await page.getByTestId('mapping-ok').click();
      expect(await row.getByTestId('mapping-summary').textContent()).toBe('nfdump columns recognised');
      await page.getByTestId('clear-staged').click();
      await page.getByTestId('ready-list').waitFor({ state: 'detached' });
    });


    it('offers "Decode the NetFlow/IPFIX export packets" first, "Meter the packets" as the other reading; each imports as chosen', async () => {
      const nfv9 = corpus(NFV9_EXPORT);
      const nfv5 = corpus(NFV5_EXPORT);
      expect(dirname(nfv9)).toBe(dirname(nfv5));
      await pickFiles(page, dirname(nfv9), [basename(nfv9), basename(nfv5)]);
      const v9Row = readyRow(page, basename(nfv9));
      const v5Row = readyRow(page, basename(nfv5));
      const v9 = await selectTexts(v9Row.getByTestId('format-select'));
      expect(await v9Row.getByTestId('format-select').inputValue()).toBe('netflow-pcap');
      expect(v9.chosen).toContain('Decode the NetFlow/IPFIX export packets');
      expect(v9.options.some((o) => o.startsWith('Meter the packets into flows'))).toBe(true);
      expect(await v9Row.getByTestId('format-options').count()).toBe(0); // the export decoder takes no options

      // The second capture is metered instead, with a shorter idle timeout: its own job.
      await v5Row.getByTestId('format-select').selectOption('pcap');
      await v5Row.getByTestId('opt-idle-timeout').waitFor();
      expect(await v5Row.getByTestId('opt-idle-timeout').getAttribute('placeholder')).toContain('300');
      expect(await v5Row.getByTestId('opt-active-timeout').getAttribute('placeholder')).toBe('off');
      await v5Row.getByTestId('opt-idle-timeout').fill('60');
      await shot(page, '44-netflow-capture-choices');
      // Both jobs appear in the progress panel (the run may take well under a second: record every state).
      await page.evaluate(() => {
        const w = window as unknown as { jobsSeen: number };
        w.jobsSeen = 0;
        new MutationObserver(() => {
          w.jobsSeen = Math.max(w.jobsSeen, document.querySelectorAll('[data-testid=import-job]').length);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });

      const text = await importAndWait(page, '2 of 2 imported', 2);
      // What the NetFlow import learned: the exporter, the templates, the records.
      expect(text).toMatch(/exporters\s*1: 127\.0\.0\.1 \(v9, [\d,]+ datagrams\)/);
      expect(text).toMatch(/templates\s*\d+ learned/);
      // The metered capture reports its packets and frames.
      expect(text).toMatch(/packets\s*[\d,]+/);
      await shot(page, '45-netflow-imported');
      expect(await page.evaluate(() => (window as unknown as { jobsSeen: number }).jobsSeen)).toBe(2);

      const oracle = readFileSync(corpus(NFV9_ORACLE), 'utf8').trim().split('\n');
      const summary = oracle[oracle.length - 1].split(',').map(Number); // nfdump: flows,bytes,packets,...
      const ev = (await server.service.call('evidence.list', {})) as { name: string; format: string; records: number; counters: Record<string, number> }[];
      const v9Ev = ev.find((e) => e.name === basename(nfv9))!;
      expect(v9Ev.format).toBe('netflow-pcap');
      expect(v9Ev.records).toBe(summary[0]);
      expect(await page.getByTestId('evidence-list').textContent()).toContain('netflow-pcap');
      expect(ev.find((e) => e.name === basename(nfv5))!.format).toBe('pcap');
    });
  });

  it('closes the case; a direct query of the case file holds the mapped CSV flows', async () => {
    expect(cspViolations).toEqual([]);
    await page.getByTestId('close-case').click();
    await page.getByTestId('recent-cases').waitFor();
    const store = await CaseStore.open(casePath(), { readOnly: true });
    try {
      const eid = Number(await store.value(`SELECT evidence_id FROM evidence WHERE name = 'odd-columns.csv'`));
      expect(Number(await store.value('SELECT count(*) FROM flows WHERE evidence_id = $e', { e: eid }))).toBe(CSV_ROWS);
      const first = await store.all(
        `SELECT start_us, src_ip, dst_ip, src_port, dst_port, proto, packets, bytes, src_pos FROM flows WHERE evidence_id = $e ORDER BY start_us LIMIT 1`,
        { e: eid },
      );
      const r0 = csvRow(0);
      const v4 = (a: string) => (0xffffn << 32n) | BigInt(a.split('.').reduce((n, o) => n * 256 + Number(o), 0));
      expect(first[0]).toMatchObject({
        start_us: BigInt(r0.whenMs * 1000), src_ip: v4(r0.from), dst_ip: v4(r0.to), src_port: r0.sport, dst_port: r0.dport,
        proto: r0.proto, packets: BigInt(r0.pkts), bytes: BigInt(r0.octets), src_pos: 2n,
      });
    } finally {
      store.close();
    }
  });
});
