import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import '../../../core/formats/index';
import { FlowcaseService } from '../../../core/api/flowcase-service';
import { RecentCases } from '../../../core/store/recent-cases';
import { startWebServer, type WebServer } from '../../../core/web/server';
import { tempDir } from '../../helpers/temp';
import { writeZeekConnLog } from '../../helpers/zeek-log-writer';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function start(): Promise<{ server: WebServer; dir: string }> {
  const t = tempDir();
  const staticDir = join(t.dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Flowcase</title>');
  const service = new FlowcaseService({ transport: 'web', recent: new RecentCases(join(t.dir, 'home')) });
  const server = await startWebServer({ staticDir, service });
  cleanups.push(async () => { await server.close(); await service.dispose(); t.cleanup(); });
  return { server, dir: t.dir };
}

async function api(server: WebServer, method: string, args: unknown, token: string | null = server.token) {
  const res = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST', body: JSON.stringify(args),
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, body: await res.json() };
}

describe('startWebServer()', () => {
  it('listens on loopback on a random port and refuses requests without the token', async () => {
    const { server } = await start();
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toContain(`?token=${server.token}`);
    expect((await api(server, 'app.info', {}, null)).status).toBe(401);
    expect((await api(server, 'app.info', {}, 'wrong')).status).toBe(401);
    expect((await fetch(`${server.origin}/`)).status).toBe(401);
    const ok = await api(server, 'app.info', {});
    expect(ok.status).toBe(200);
    expect(ok.body.transport).toBe('web');
  });

  it('serves the page with a strict CSP and sets a same-site cookie from the tokened URL', async () => {
    const { server } = await start();
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { server } = await start();
    const port = new URL(server.origin).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/app.info', method: 'POST',
        headers: { Host: `evil.example:${port}`, Authorization: `Bearer ${server.token}` } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('validates arguments and answers with a code and a readable message', async () => {
    const { server } = await start();
    const r = await api(server, 'flows.page', { offset: -1, limit: 10 });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('bad-arguments');
    expect(r.body.message).toContain('offset');
    expect((await api(server, 'flows.page', { offset: 0, limit: 10 })).body.code).toBe('no-case');
    expect((await api(server, 'no.such', {})).status).toBe(404);
  });

  it('creates a case, imports over the API with progress events, and pages sorted flows', async () => {
    const { server, dir } = await start();
    const log = join(dir, 'conn.log');
    await writeZeekConnLog(log, 2500);
    const opened = await api(server, 'case.open', { path: join(dir, 'web.duckdb'), create: true });
    expect(opened.body).toMatchObject({ name: 'web.duckdb', flows: 0, evidenceCount: 0 });

    const events: string[] = [];
    const ctl = new AbortController();
    const sse = fetch(`${server.origin}/api/events`, { signal: ctl.signal, headers: { Authorization: `Bearer ${server.token}` } }).then(async (res) => {
      const reader = res.body!.getReader();
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        for (const m of text.matchAll(/^event: (\S+)$/gm)) events.push(m[1]);
        if (text.includes('event: import.done')) return text;
      }
      return text;
    }).catch(() => '');
    await new Promise((r) => setTimeout(r, 100));
    const job = await api(server, 'import.start', { paths: [log] });
    expect(job.body.jobId).toMatch(/^job-/);
    const text = await sse;
    ctl.abort();
    const done = JSON.parse(/event: import.done\ndata: (.*)\n/.exec(text)![1]);
    expect(done.results[0]).toMatchObject({ ok: true, records: 2500, format: 'zeek-conn' });
    expect(events).toContain('import.progress');

    const page = await api(server, 'flows.page', { offset: 0, limit: 5, sort: { column: 'bytes', desc: true } });
    expect(page.body.total).toBe(2500);
    expect(page.body.rows).toHaveLength(5);
    const bytes = page.body.rows.map((r: { bytes: number }) => r.bytes);
    expect([...bytes].sort((a, b) => b - a)).toEqual(bytes);
    expect(page.body.rows[0].srcAddr).toMatch(/^10\./);

    const ev = await api(server, 'evidence.list', {});
    expect(ev.body[0]).toMatchObject({ name: 'conn.log', records: 2500, rejected: 0, format: 'zeek-conn' });
  });

  it('stores uploads beside the case, never outside it', async () => {
    const { server, dir } = await start();
    await api(server, 'case.open', { path: join(dir, 'up.duckdb'), create: true });
    const res = await fetch(`${server.origin}/api/upload?name=${encodeURIComponent('../../evil.log')}`, {
      method: 'POST', body: 'hello', headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/octet-stream' },
    });
    const { path } = await res.json();
    expect(path).toBe(join(dir, 'up.evidence', 'evil.log'));
    expect(readFileSync(path, 'utf8')).toBe('hello');
  });
});
