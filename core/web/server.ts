import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../api/api-error';
import { FlowcaseService } from '../api/flowcase-service';
import { caseFolder } from '../api/handlers/timeline-handlers';
import { bigintAsNumber } from '../model/bigint';

export interface WebServerOptions {
  /** 0 = a random free port (the default: a fixed port breaks when it is taken). */
  port?: number;
  host?: '127.0.0.1' | '::1' | 'localhost';
  /** The built renderer (vite build output). */
  staticDir: string;
  service?: FlowcaseService;
  /** Fixed token for tests; otherwise a random one per launch. */
  token?: string;
  /** Largest upload accepted, in bytes (default 16 GiB; FLOWCASE_MAX_UPLOAD overrides). */
  maxUploadBytes?: number;
}

/** Uploads larger than this are refused (413) unless the server is started with another cap. */
export const DEFAULT_MAX_UPLOAD_BYTES = 16 * 1024 ** 3;

export interface WebServer {
  /** The URL to open, with the token. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly service: FlowcaseService;
  close(): Promise<void>;
}

const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self' data: blob:",
  "font-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

const MAX_JSON_BODY = 1 << 20;
const COOKIE = 'flowcase_token';

/**
 * The web mode: the same contract as Electron's IPC, over HTTP on loopback only, on a
 * random port, with a per-launch token required on every request (header, cookie set
 * from the first tokened page load, or ?token= for EventSource). Host headers other
 * than loopback are refused (DNS rebinding).
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const service = options.service ?? new FlowcaseService({ transport: 'web' });
  const staticDir = resolve(options.staticDir);
  const host = options.host ?? '127.0.0.1';
  const sseClients = new Set<ServerResponse>();
  const maxUpload = options.maxUploadBytes ?? (Number(process.env.FLOWCASE_MAX_UPLOAD) || DEFAULT_MAX_UPLOAD_BYTES);
  const offEvents = service.onAny((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sseClients) res.write(frame);
  });

  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => sendError(res, err));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (!hostAllowed(req.headers.host, port)) throw new ApiError('bad-host', 'requests must address this server by its loopback address', 421);
    // #14: a page on another origin (another 127.0.0.1 port is the same *site*, so SameSite
    // cookies do not stop it) is refused on every request, whatever it carries.
    refuseCrossOrigin(req, port);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      decodeURIComponent(url.pathname);
      for (const _ of url.searchParams) void _;
    } catch {
      throw new ApiError('bad-request', 'malformed request URL', 400);
    }
    const isPost = req.method === 'POST';
    const queryToken = url.searchParams.get('token');
    // State-changing calls (every POST) authenticate only by the Authorization header: a custom
    // header a foreign page cannot send without a CORS preflight this server never grants. The
    // cookie serves the page's own GETs (assets, events, reports); ?token= only the first page load.
    const firstLoad = req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html');
    const authed = checkToken(token, bearer(req)) || (!isPost && checkToken(token, cookie(req, COOKIE))) || (firstLoad && checkToken(token, queryToken));
    if (!authed) {
      if (isPost && checkToken(token, cookie(req, COOKIE))) {
        throw new ApiError('forbidden', 'state-changing calls need the token in the Authorization header (a cookie alone is refused)', 403);
      }
      throw new ApiError('unauthorized', 'missing or wrong token: open the URL that `npm run web` printed', 401);
    }
    if (isPost) requireContentType(req, url.pathname === '/api/upload' ? 'application/octet-stream' : 'application/json');

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.on('close', () => { clearInterval(ping); sseClients.delete(res); });
      return;
    }
    if (url.pathname === '/api/upload' && req.method === 'POST') {
      const name = safeName(url.searchParams.get('name') ?? '');
      const dir = service.uploadDir();
      await mkdir(dir, { recursive: true });
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxUpload) throw new ApiError('too-large', `upload of ${declared} bytes is larger than the ${maxUpload} this server accepts`, 413);
      const target = await freeName(dir, name);
      let received = 0;
      const capped = async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          received += chunk.length;
          if (received > maxUpload) throw new ApiError('too-large', `upload larger than the ${maxUpload} bytes this server accepts`, 413);
          yield chunk;
        }
      };
      try {
        await pipeline(req, capped, createWriteStream(target, { flags: 'wx' }));
      } catch (err) {
        await rm(target, { force: true });
        throw err;
      }
      // Only files that reached the server this way (or were picked for import) may be previewed.
      service.allowImportPath(target);
      return sendJson(res, 200, { path: target });
    }
    if (url.pathname.startsWith('/api/') && req.method === 'POST') {
      const method = decodeURIComponent(url.pathname.slice(5));
      const args = await readJson(req);
      const result = await service.call(method, args);
      return sendJson(res, 200, result ?? null);
    }
    if (url.pathname === '/report-file' && req.method === 'GET') return serveReport(url.searchParams.get('name') ?? '', res);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError('method-not-allowed', 'method not allowed', 405);
    if (queryToken) {
      // The first tokened load sets a same-site cookie so that the page's own assets load.
      res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    await serveStatic(url.pathname, res);
  }

  /**
   * A generated report from the open case's reports folder, by file name only. It is shown
   * sandboxed (a unique origin, no script may run) under the report's own policy: inline
   * styles and nothing fetched.
   */
  async function serveReport(name: string, res: ServerResponse): Promise<void> {
    const file = basename(name);
    if (!file || file !== name || !/\.html?$/i.test(file)) throw new ApiError('not-found', 'no such report', 404);
    const full = join(caseFolder(service.requireCase(), 'reports'), file);
    if (!existsSync(full)) throw new ApiError('not-found', `no report ${file} in this case's reports folder`, 404);
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
    });
    await pipeline(createReadStream(full), res);
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const full = normalize(join(staticDir, rel));
    if (!full.startsWith(staticDir + sep) && full !== staticDir) throw new ApiError('not-found', 'not found', 404);
    let file = full;
    if (!existsSync(file) || (await stat(file)).isDirectory()) {
      if (extname(rel)) throw new ApiError('not-found', `not found: ${pathname}`, 404);
      file = join(staticDir, 'index.html'); // client-side routes
      if (!existsSync(file)) throw new ApiError('no-build', `the renderer is not built (${staticDir}); run npm run build:renderer`, 500);
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'Cache-Control': 'no-store',
    });
    await pipeline(createReadStream(file), res);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  const origin = `http://${host === '::1' ? '[::1]' : host}:${port}`;
  return {
    url: `${origin}/?token=${token}`, origin, token, service,
    async close() {
      offEvents();
      for (const res of sseClients) res.end();
      sseClients.clear();
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections(); // keep-alive sockets would hold close() open
      await closed;
      if (!options.service) await service.dispose();
    },
  };
}

/**
 * Refuses a request a browser sent for another origin: Origin (sent with every POST and CORS
 * request) must be this server's, and Sec-Fetch-Site (sent by current browsers with every
 * request) must say same-origin, or none for an address typed or opened by the user.
 */
function refuseCrossOrigin(req: IncomingMessage, port: number): void {
  const origin = req.headers.origin;
  if (origin !== undefined && ![`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`].includes(origin.toLowerCase())) {
    throw new ApiError('cross-origin', `requests from ${origin} are refused`, 403);
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new ApiError('cross-origin', `requests from another site or origin (${String(site)}) are refused`, 403);
  }
}

function requireContentType(req: IncomingMessage, expected: string): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== expected) throw new ApiError('bad-content-type', `this call takes ${expected}, not ${type || 'a body without a type'}`, 415);
}

function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(hostHeader.toLowerCase());
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : null;
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name) return v ?? null;
  }
  return null;
}

function checkToken(expected: string, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BODY) throw new ApiError('too-large', 'request body too large', 413);
    chunks.push(chunk as Buffer);
  }
  if (!size) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError('bad-json', 'request body is not JSON');
  }
}

function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what a file name must not keep
  const base = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f]/g, '').trim();
  if (!base || base === '.' || base === '..') throw new ApiError('bad-name', 'upload needs a file name');
  return base.slice(0, 200);
}

async function freeName(dir: string, name: string): Promise<string> {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 0; ; i++) {
    const candidate = join(dir, i === 0 ? name : `${stem} (${i})${ext}`);
    if (!existsSync(candidate)) return candidate;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, bigintAsNumber);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  const e = err instanceof ApiError ? err : new ApiError('internal', (err as Error)?.message ?? String(err), 500);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, e.status, { code: e.code, message: e.message });
}
