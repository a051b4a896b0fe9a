import type { ApiClient, ApiErrorBody, ApiEvent, ApiMethod, ArgsOf, EventMap, ResultOf } from '../../core/api/contract';

/** An error as the core reported it: `code` is machine-readable, `message` is shown to the user verbatim. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What Electron's preload exposes through contextBridge (the only door to the main process). */
export interface FlowcaseBridge {
  invoke(method: string, args: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    flowcase?: FlowcaseBridge;
  }
}

/** Upload progress of one dropped file (web mode only; Electron reads dropped files in place). */
export type DropProgress = (name: string, sent: number, total: number) => void;

/**
 * The contract client plus the one thing the transports really do differently: turning
 * dropped files into paths the core can read.
 */
export interface FlowcaseClient extends ApiClient {
  readonly transport: 'electron' | 'web';
  /** Electron: the dropped files' own paths. Web: uploads a copy beside the case and returns its path. */
  dropPaths(files: File[], onProgress?: DropProgress): Promise<string[]>;
}

/** Picks the transport: Electron's preload defines window.flowcase; otherwise the page came from the web mode. */
export function createClient(): FlowcaseClient {
  const bridge = typeof window !== 'undefined' ? window.flowcase : undefined;
  return bridge ? new ElectronClient(bridge) : new WebClient(takeToken());
}

/** Turns anything a transport rejected with into an ApiError carrying the server's own message. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err && typeof err === 'object') {
    const o = err as Partial<ApiErrorBody> & { message?: unknown };
    const code = typeof o.code === 'string' ? o.code : 'error';
    let message = typeof o.message === 'string' ? o.message : String(err);
    // ipcRenderer.invoke wraps main-process errors as "Error invoking remote method 'x': Error: msg".
    message = message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
    // The main process may encode the code as "[code] message" because IPC keeps only the message.
    const tagged = /^\[([\w.-]+)\] ([\s\S]*)$/.exec(message);
    if (tagged && code === 'error') return new ApiError(tagged[1], tagged[2]);
    return new ApiError(code, message);
  }
  return new ApiError('error', String(err));
}

class ElectronClient implements FlowcaseClient {
  readonly transport = 'electron' as const;
  constructor(private readonly bridge: FlowcaseBridge) {}

  async invoke<M extends ApiMethod>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
    let reply: unknown;
    try {
      reply = await this.bridge.invoke(method, args);
    } catch (err) {
      throw toApiError(err);
    }
    // The main process answers with an envelope, because IPC keeps only an Error's message.
    if (isEnvelope(reply)) {
      if (reply.ok) return reply.result as ResultOf<M>;
      throw new ApiError(reply.error?.code ?? 'error', reply.error?.message ?? 'the desktop app reported an error without a message');
    }
    return reply as ResultOf<M>;
  }

  on<E extends ApiEvent>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    return this.bridge.on(event, listener as (payload: unknown) => void);
  }

  async dropPaths(files: File[]): Promise<string[]> {
    return files.map((f) => this.bridge.pathForFile(f)).filter((p) => p !== '');
  }
}

interface IpcEnvelope {
  ok: boolean;
  result?: unknown;
  error?: Partial<ApiErrorBody>;
}

function isEnvelope(v: unknown): v is IpcEnvelope {
  return !!v && typeof v === 'object' && typeof (v as IpcEnvelope).ok === 'boolean' && ('result' in v || 'error' in v);
}

const TOKEN_KEY = 'flowcase.token';

/**
 * The web mode hands the per-launch token in the first URL (`/?token=…`). Keep it for this tab
 * only (sessionStorage) and take it out of the address bar so it is not bookmarked or shared.
 */
function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const EVENTS: readonly ApiEvent[] = ['import.progress', 'import.done', 'case.changed', 'custody.progress', 'custody.done'];

class WebClient implements FlowcaseClient {
  readonly transport = 'web' as const;
  private source: EventSource | null = null;
  private readonly listeners = new Map<ApiEvent, Set<(payload: never) => void>>();

  constructor(private readonly token: string) {}

  async invoke<M extends ApiMethod>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
    let res: Response;
    try {
      res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.token}` },
        body: JSON.stringify(args ?? {}),
      });
    } catch (err) {
      throw new ApiError('unreachable', `Flowcase server unreachable (${(err as Error).message}). Is it still running?`);
    }
    if (!res.ok) throw await errorFrom(res);
    return (await res.json()) as ResultOf<M>;
  }

  on<E extends ApiEvent>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    this.connect();
    return () => {
      set.delete(listener as (payload: never) => void);
    };
  }

  /** One EventSource for all events; the browser reconnects it by itself after a drop. */
  private connect(): void {
    if (this.source) return;
    // No token in this URL: the same-origin cookie set by the first page load authenticates it.
    const source = new EventSource('/api/events');
    for (const name of EVENTS) {
      source.addEventListener(name, (ev) => {
        let payload: unknown;
        try {
          payload = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const l of this.listeners.get(name) ?? []) (l as (p: unknown) => void)(payload);
      });
    }
    this.source = source;
  }

  async dropPaths(files: File[], onProgress?: DropProgress): Promise<string[]> {
    const paths: string[] = [];
    // One at a time: the copies go to disk, and parallel uploads would only compete for it.
    for (const f of files) paths.push(await this.upload(f, onProgress));
    return paths;
  }

  /** Streams the file as the request body (XHR, for upload progress) and returns the server-side path. */
  private upload(file: File, onProgress?: DropProgress): Promise<string> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/upload?name=${encodeURIComponent(file.name)}`);
      xhr.setRequestHeader('Authorization', `Bearer ${this.token}`);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => onProgress?.(file.name, e.loaded, e.lengthComputable ? e.total : file.size);
      xhr.onerror = () => reject(new ApiError('upload-failed', `Upload of ${file.name} failed: the server closed the connection`));
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          /* handled below */
        }
        if (xhr.status >= 200 && xhr.status < 300 && body && typeof (body as { path?: unknown }).path === 'string') {
          resolve((body as { path: string }).path);
        } else {
          const b = (body ?? {}) as Partial<ApiErrorBody>;
          reject(new ApiError(b.code ?? `http-${xhr.status}`, b.message ?? `Upload of ${file.name} failed (HTTP ${xhr.status})`));
        }
      };
      xhr.send(file);
    });
  }
}

async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (typeof body.message === 'string') return new ApiError(body.code ?? `http-${res.status}`, body.message);
  } catch {
    /* not JSON */
  }
  if (res.status === 401) return new ApiError('unauthorized', 'This page has no valid access token. Open the address the server printed at start-up.');
  return new ApiError(`http-${res.status}`, text || `HTTP ${res.status} ${res.statusText}`);
}
