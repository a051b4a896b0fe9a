import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../core/formats/index';
import type { ExportResult, Note, ReportResult, Story } from '../../../core/api/contract';
import { FlowcaseService } from '../../../core/api/flowcase-service';
import { RecentCases } from '../../../core/store/recent-cases';
import { startWebServer, type WebServer } from '../../../core/web/server';
import { parseCsv } from '../../helpers/csv-parse';
import { addDetectionsTable, ATTACKER, insertDetection, V, victimCase } from '../../helpers/victim-case';

let c: Awaited<ReturnType<typeof victimCase>>;
let service: FlowcaseService;
let server: WebServer;
const call = <T,>(method: string, args: unknown) => service.call(method, args) as Promise<T>;

beforeAll(async () => {
  c = await victimCase();
  await addDetectionsTable(c.store);
  await insertDetection(c.store, { id: 7, kind: 'port-scan', src: ATTACKER, dst: V, t0: 600, t1: 641, summary: 'scan', evidence: `src host ${ATTACKER}` });
  c.store.close();
  const staticDir = join(dirname(c.path), 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Flowcase</title>');
  service = new FlowcaseService({ transport: 'web', recent: new RecentCases(join(dirname(c.path), 'home')) });
  server = await startWebServer({ staticDir, service });
  await service.openCase(c.path);
});
afterAll(async () => {
  await server.close();
  await service.dispose();
  c.cleanup();
});

describe('notes through the contract', () => {
  it('adds, edits, removes and restores a note; the history keeps every revision', async () => {
    const n = await call<Note>('notes.add', { target: { kind: 'host', ref: V }, text: 'victim?', tags: ['suspect'] });
    await call<Note>('notes.edit', { id: n.id, text: 'victim', tags: ['victim'] });
    await call<Note>('notes.edit', { id: n.id, status: 'deleted' });
    expect(await call<Note[]>('notes.list', { host: V })).toEqual([]);
    await call<Note>('notes.edit', { id: n.id, status: 'active' });
    expect((await call<Note[]>('notes.list', { search: 'VICTIM' })).map((x) => x.revision)).toEqual([4]);
    expect((await call<{ change: string }[]>('notes.history', { id: n.id })).map((h) => h.change)).toEqual(['create', 'edit', 'delete', 'restore']);
    await expect(call('notes.add', { target: { kind: 'flow', ref: 'x' }, text: 'x' })).rejects.toMatchObject({ code: 'bad-target' });
    await expect(call('notes.add', { target: { kind: 'wrong', ref: 'x' }, text: 'x' })).rejects.toMatchObject({ code: 'bad-arguments' });
  });

  it('decides story entries by their key and says when the key is unknown', async () => {
    const story = await call<Story>('story.build', { host: V });
    const foot = story.entries.find((e) => e.kind === 'foothold')!;
    const after = await call<Story>('story.decide', { host: V, key: foot.key, decision: 'accept', text: 'stolen key' });
    expect(after.entries.find((e) => e.key === foot.key)).toMatchObject({ status: 'accepted', note: 'stolen key' });
    await expect(call('story.decide', { host: V, key: 'nope', decision: 'accept' })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('export.write', () => {
  it('writes every view in every format into the case\'s exports folder', async () => {
    for (const kind of ['flows', 'sessions', 'detections', 'timeline'] as const) {
      for (const format of ['csv', 'json', 'timesketch', 'timesketch-csv'] as const) {
        const r = await call<ExportResult>('export.write', { kind, format, hosts: [V] });
        expect(r.rows, `${kind} ${format}`).toBeGreaterThan(0);
        expect(r.path).toContain(join(dirname(c.path), 'victim.exports'));
        const text = readFileSync(r.path, 'utf8');
        if (format === 'json') expect((JSON.parse(text) as { count: number }).count).toBe(r.rows);
        else if (format === 'timesketch') expect(text.trim().split('\n')).toHaveLength(r.rows);
        else expect(parseCsv(text)).toHaveLength(r.rows + 1);
      }
    }
  });

  it('exports what the filter and the connection states select', async () => {
    const flows = await call<ExportResult>('export.write', { kind: 'flows', format: 'csv', filter: 'dst port 22', path: join(dirname(c.path), 'ssh.csv') });
    expect(flows).toMatchObject({ rows: 1, path: join(dirname(c.path), 'ssh.csv') });
    const rej = await call<ExportResult>('export.write', { kind: 'sessions', format: 'csv', states: ['REJ'] });
    expect(rej.rows).toBe(40);
    await expect(call('export.write', { kind: 'flows', format: 'csv', filter: 'port 99999' })).rejects.toMatchObject({ code: 'bad-filter' });
  });
});

describe('report.generate', () => {
  it('writes the report into the case\'s reports folder; web mode serves it sandboxed, by name only', async () => {
    const r = await call<ReportResult>('report.generate', { hosts: [V] });
    expect(existsSync(r.htmlPath)).toBe(true);
    expect(r.url).toMatch(/^\/report-file\?name=report-10\.0\.0\.5-\d{8}-\d{6}\.html$/);
    const res = await fetch(`${server.origin}${r.url}`, { headers: { Authorization: `Bearer ${server.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox");
    expect(await res.text()).toBe(readFileSync(r.htmlPath, 'utf8'));
    for (const name of ['../victim.duckdb', 'victim.duckdb', 'missing.html']) {
      const bad = await fetch(`${server.origin}/report-file?name=${encodeURIComponent(name)}`, { headers: { Authorization: `Bearer ${server.token}` } });
      expect(bad.status, name).toBe(404);
    }
    expect((await fetch(`${server.origin}${r.url}`)).status).toBe(401);
  });

  it('keeps the report question in the case and audits a change', async () => {
    expect(await call('report.question', {})).toMatchObject({ isDefault: true });
    await call('report.question', { question: 'Did customer records leave the HR server?' });
    expect(await call('report.question', {})).toEqual({ question: 'Did customer records leave the HR server?', isDefault: false });
    const r = await call<ReportResult>('report.generate', { hosts: [V] });
    expect(readFileSync(r.htmlPath, 'utf8')).toContain('<p class="question">Did customer records leave the HR server?</p>');
  });
});

describe('a case open read-only', () => {
  it('refuses notes and story decisions but reads, assesses and exports', async () => {
    await service.openCase(c.path, false, true);
    try {
      await expect(call('notes.add', { target: { kind: 'host', ref: V }, text: 'x' })).rejects.toMatchObject({ code: 'read-only' });
      expect((await call<{ bytes_out: number }>('assess.run', { hosts: [V], sinceUs: Date.UTC(2024, 2, 12, 9, 30) * 1000 })).bytes_out).toBe(30_570_000);
      expect((await call<ExportResult>('export.write', { kind: 'timeline', format: 'json', hosts: [V] })).rows).toBeGreaterThan(0);
    } finally {
      await service.openCase(c.path);
    }
  });
});
