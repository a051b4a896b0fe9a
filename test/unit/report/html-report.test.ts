import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote } from '../../../core/analysis/notes/note-store';
import { buildStory } from '../../../core/analysis/timeline/story';
import { acceptStoryEntry } from '../../../core/analysis/timeline/story-decisions';
import { renderHtmlReport } from '../../../core/report/html-report';
import { findChromium, htmlToPdfWithChromium } from '../../../core/report/pdf';
import { gatherReport } from '../../../core/report/report-data';
import { CaseStore } from '../../../core/store/case-store';
import { addDetectionsTable, ATTACKER, D1, insertDetection, V, victimCase } from '../../helpers/victim-case';

let c: Awaited<ReturnType<typeof victimCase>>;
let html: string;
const GEN_A = Date.UTC(2026, 0, 15, 9) * 1000;
const GEN_B = Date.UTC(2026, 5, 1, 17, 3, 7) * 1000 + 123;

beforeAll(async () => {
  c = await victimCase();
  await c.store.setSetting('time_zone', 'Europe/Berlin');
  await addDetectionsTable(c.store);
  await insertDetection(c.store, { id: 7, kind: 'port-scan', src: ATTACKER, dst: V, t0: 600, t1: 641, summary: `${ATTACKER} scanned ${V} <b>40 ports</b>`, evidence: `src host ${ATTACKER} and dst host ${V}` });
  await addNote(c.store, { target: { kind: 'host', ref: V }, text: 'victim: the HR file server', tags: ['victim'], nowUs: 1 });
  await addNote(c.store, { target: { kind: 'range', ref: '', fromUs: GEN_A, toUs: GEN_A + 1 }, text: 'Personal data left: yes, 30 MB to 198.51.100.7', tags: ['conclusion'], nowUs: 2 });
  const flowId = Number(await c.store.value(`SELECT min(flow_id) FROM flows_v WHERE src_addr = '${V}' AND dst_addr = '${D1}'`));
  await addNote(c.store, { target: { kind: 'flow', ref: String(flowId) }, text: 'first 10 MB out', tags: ['exfil'], nowUs: 3 });
  const foothold = (await buildStory(c.store, V)).foothold!;
  await acceptStoryEntry(c.store, foothold, { text: 'SSH with a stolen key', nowUs: 4 });
  html = renderHtmlReport(await gatherReport(c.store, { generatedUs: GEN_A }));
});
afterAll(() => c.cleanup());

describe('renderHtmlReport()', () => {
  it('gives the same bytes twice except the one line with the generation time, also after reopening the case', async () => {
    const again = renderHtmlReport(await gatherReport(c.store, { generatedUs: GEN_B }));
    const a = html.split('\n');
    const b = again.split('\n');
    expect(b.length).toBe(a.length);
    const differing = a.map((l, i) => [l, b[i]]).filter(([x, y]) => x !== y);
    expect(differing).toEqual([[
      '<p class="generated">Generated 2026-01-15 10:00:00 UTC+01:00 by flowcase 0.1.0.</p>',
      '<p class="generated">Generated 2026-06-01 19:03:07.000123 UTC+02:00 by flowcase 0.1.0.</p>',
    ]]);
    const path = c.path;
    c.store.close();
    const reopened = await CaseStore.open(path, { readOnly: true });
    try {
      expect(renderHtmlReport(await gatherReport(reopened, { generatedUs: GEN_A }))).toBe(html);
    } finally {
      reopened.close();
      c.store = await CaseStore.open(path);
    }
  });

  it('is self-contained: no script, no reference outside the file', () => {
    expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|<img|https?:|url\(|@import|src=/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  });

  it('holds the case, the evidence with hashes and issues, the question, the assessment and its qualifiers', () => {
    expect(html).toContain(`01${'ab'.repeat(31)}`);
    expect(html).toContain('<td class="mono">truncated-record</td><td class="num">1</td><td>1,000: record cut short</td>');
    expect(html).toContain('Was personal data, or is it reasonably believed to have been, acquired by an unauthorized person?');
    expect(html).toContain('Personal data left: yes, 30 MB to 198.51.100.7');
    expect(html).toContain('<strong>30,570,000 bytes</strong> (30.6 MB) left 10.0.0.5 for 3 destinations outside the internal networks between 2024-03-12 10:30:00 UTC+01:00 (the start of the foothold session)');
    for (const code of ['coverage-gap', 'silent-source', 'sampled', 'one-directional', 'clock-offset']) expect(html).toContain(`<li class="q-${code}">`);
    expect(html).toMatch(/audit chain head: entry #\d+, SHA-256 [0-9a-f]{64}/);
  });

  it('shows the story with the analyst\'s review, the timeline with notes and the detections, escaped', () => {
    expect(html).toMatch(/<tr class="accepted">.*<strong>foothold<\/strong>.*accepted: SSH with a stolen key/);
    expect(html).toContain('first 10 MB out <span class="tag">exfil</span>');
    expect(html).toContain(`${ATTACKER} scanned ${V} &lt;b&gt;40 ports&lt;/b&gt;`);
    expect(html).not.toContain('<b>40 ports</b>');
  });

  it('draws the traffic with the compromise marked and the outbound bytes by destination', () => {
    expect(html).toMatch(/<svg viewBox="0 0 760 260"[^>]*aria-label="Bytes sent and received by 10\.0\.0\.5"/);
    expect(html).toContain('font-weight="bold">compromise</text>');
    expect(html).toMatch(/aria-label="Bytes 10\.0\.0\.5 sent by destination after the compromise"[\s\S]*198\.51\.100\.7[\s\S]*30\.0 MB/);
  });

  it('states versions, time zone, rules and custody, and cites flows with their file and offset', async () => {
    expect(html).toMatch(/<tr><th>DuckDB<\/th><td>v1\.\d+\.\d+/);
    expect(html).toContain('<tr><th>Time zone</th><td>Europe/Berlin</td></tr>');
    expect(html).toContain('a gap is a stretch without records longer than 10 min');
    const pos = Number(await c.store.value(`SELECT src_pos FROM flows_v WHERE dst_port = 22 AND src_addr = '${ATTACKER}'`));
    expect(html).toMatch(new RegExp(`<td>e1-router\\.nfcapd</td><td class="num">byte ${pos.toLocaleString('en-US')}</td>.*foothold of 10\\.0\\.0\\.5`));
    expect(html).toMatch(/largest transfer from 10\.0\.0\.5/);
  });
});

describe('htmlToPdfWithChromium()', () => {
  it('says what to install when no browser is there', async () => {
    const r = await htmlToPdfWithChromium('/tmp/x.html', '/tmp/x.pdf', { chromium: null });
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.message).toMatch(/needs Chromium or Google Chrome and none was found .*FLOWCASE_CHROMIUM.*\/tmp\/x\.html/);
  });

  it.skipIf(!findChromium())('prints the report to a PDF with the Chromium the tests use', async () => {
    const dir = join(c.path, '..');
    writeFileSync(join(dir, 'r.html'), html);
    const r = await htmlToPdfWithChromium(join(dir, 'r.html'), join(dir, 'r.pdf'));
    expect(r).toMatchObject({ ok: true });
    expect(existsSync(join(dir, 'r.pdf')) && readFileSync(join(dir, 'r.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);
});
