import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import '../../../core/formats/index';
import { FlowcaseService } from '../../../core/api/flowcase-service';
import { RecentCases } from '../../../core/store/recent-cases';
import { startWebServer, type WebServer } from '../../../core/web/server';
import { CHROMIUM } from '../../helpers/e2e-browser';
import { tempDir } from '../../helpers/temp';

/** #14: the web mode attacked as a hostile page or a sloppy client would. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function start(maxUploadBytes?: number): Promise<{ server: WebServer; dir: string; service: FlowcaseService }> {
  const t = tempDir();
  const staticDir = join(t.dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Flowcase</title>');
  const service = new FlowcaseService({ transport: 'web', recent: new RecentCases(join(t.dir, 'home')) });
  const server = await startWebServer({ staticDir, service, maxUploadBytes });
  cleanups.push(async () => { await server.close(); await service.dispose(); t.cleanup(); });
  await post(server, 'case.open', { path: join(t.dir, 'w.duckdb'), create: true });
  return { server, dir: t.dir, service };
}

async function post(server: WebServer, method: string, args: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST', body: JSON.stringify(args),
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}`, ...headers },
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

describe('web mode hardening', () => {
  it('refuses a foreign Origin and a cross-site Sec-Fetch-Site on every request, even with the token', async () => {
    const { server } = await start();
    expect((await post(server, 'case.info', {}, { Origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await post(server, 'case.info', {}, { 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
    expect((await fetch(`${server.origin}/`, { headers: { Cookie: `flowcase_token=${server.token}`, 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    expect((await post(server, 'case.info', {}, { Origin: server.origin, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
  });

  it('takes state-changing calls only as application/json with the Authorization header, never on the cookie alone', async () => {
    const { server } = await start();
    const cookieOnly = await fetch(`${server.origin}/api/case.setTimeZone`, {
      method: 'POST', body: JSON.stringify({ timeZone: 'Asia/Tokyo' }), headers: { 'Content-Type': 'application/json', Cookie: `flowcase_token=${server.token}` },
    });
    expect(cookieOnly.status).toBe(403);
    const plain = await post(server, 'case.setTimeZone', { timeZone: 'Asia/Tokyo' }, { 'Content-Type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect((await post(server, 'case.info', {})).body.timeZone).toBe('UTC');
    // The token in the URL opens the first page only; the event stream takes the cookie.
    expect((await fetch(`${server.origin}/api/events?token=${server.token}`)).status).toBe(401);
  });

  it('answers 400 to a malformed percent-encoding', async () => {
    const { server } = await start();
    const res = await fetch(`${server.origin}/api/case.info%E0%A4%A`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` } });
    expect(res.status).toBe(400);
    expect((await fetch(`${server.origin}/%E0%A4%A.js`, { headers: { Authorization: `Bearer ${server.token}` } })).status).toBe(400);
  });

  it('caps uploads and keeps nothing of a refused one', async () => {
    const { server, dir } = await start(1000);
    const up = (n: number) => fetch(`${server.origin}/api/upload?name=x.log`, {
      method: 'POST', body: new Blob([new Uint8Array(n)]), headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/octet-stream' },
    });
    expect((await up(2000)).status).toBe(413);
    expect(existsSync(join(dir, 'w.evidence')) ? readdirSync(join(dir, 'w.evidence')) : []).toEqual([]);
    expect((await up(10)).status).toBe(200);
  });

  it('previews only files being imported', async () => {
    const { server, dir } = await start();
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'password=hunter2\n');
    expect((await post(server, 'import.preview', { path: secret })).status).toBe(403);
    const csv = join(dir, 'flows.csv');
    writeFileSync(csv, 'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt\n2023-11-14 22:13:20,2023-11-14 22:13:21,1.0,10.0.0.1,192.0.2.1,1024,443,TCP,.A....,0,0,3,400\n');
    expect((await post(server, 'import.preview', { path: csv })).status).toBe(403);
    await post(server, 'import.sniff', { paths: [csv, secret] });
    expect((await post(server, 'import.preview', { path: csv })).status).toBe(200);
    expect((await post(server, 'import.preview', { path: secret })).status).toBe(403);
  });

  it.skipIf(!existsSync(CHROMIUM))('a real Chromium page on another 127.0.0.1 port cannot drive the API (it changed the time zone before)', async () => {
    const { server } = await start();
    const { chromium } = await import('playwright-core');
    // The attacker's page: the same site (127.0.0.1), another port, every trick a page has.
    const attack = `<!doctype html><script>
      const target = ${JSON.stringify(server.origin)};
      const body = JSON.stringify({ timeZone: 'Asia/Tokyo' });
      Promise.allSettled([
        fetch(target + '/api/case.setTimeZone', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body }),
        fetch(target + '/api/case.setTimeZone', { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body }),
        navigator.sendBeacon(target + '/api/case.setTimeZone', new Blob([body], { type: 'text/plain' })),
      ]).then(() => {
        const f = document.createElement('form');
        f.method = 'POST'; f.action = target + '/api/case.setTimeZone'; f.enctype = 'text/plain';
        const i = document.createElement('input'); i.name = '{"timeZone":"Asia/Tokyo","x":"'; i.value = '"}'; f.appendChild(i);
        document.body.appendChild(f); document.title = 'sent'; f.submit();
      });
    </script>`;
    const evil: Server = createServer((_req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(attack); });
    await new Promise<void>((ok) => evil.listen(0, '127.0.0.1', () => ok()));
    cleanups.push(() => new Promise<void>((ok) => evil.close(() => ok())));
    const evilPort = (evil.address() as { port: number }).port;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(server.url); // the analyst's tab: the cookie is set
      expect((await context.cookies()).map((c) => c.name)).toContain('flowcase_token');
      const evilPage = await context.newPage();
      await evilPage.goto(`http://127.0.0.1:${evilPort}/`);
      await evilPage.waitForFunction(() => document.title === 'sent', null, { timeout: 15_000 }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      await browser.close();
    }
    expect((await post(server, 'case.info', {})).body.timeZone).toBe('UTC');
  });
});
