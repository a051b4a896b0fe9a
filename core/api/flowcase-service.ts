import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { describeFormats } from '../formats/index';
import { CaseOpenError, CaseStore } from '../store/case-store';
import { SCHEMA_VERSION } from '../store/schema';
import { TOOL_VERSION } from '../version';
import { ApiError } from './api-error';
import { ArgSchemas, type ApiMethod, type ArgsOf, type CaseInfo, type EventMap, type ResultOf } from './contract';
import { listEvidence } from './evidence-rows';
import { compileUserFilter } from './filter-adapter';
import { countFlows, FlowPager, queryStats } from './flow-rows';
import { runImport } from './import-runner';
import { RecentCases } from './recent-cases';
import { analysisHandlers } from './analysis-handlers';
import { registerDerivedTables } from './derived-tables';
import { readFileHead, sniffFile } from '../ingest/sniff-file';
import { previewCsv } from '../formats/csv/preview-csv';
import type { CsvMapping } from '../formats/csv/csv-mapping';
import { formatIp } from '../model/ip';
import { microsToIso } from '../model/time';

/** Native dialogs, provided only by the Electron transport. */
export interface NativeDialogs {
  openCase(create: boolean): Promise<string | null>;
  pickEvidence(): Promise<string[] | null>;
}

export interface ServiceOptions {
  transport: 'electron' | 'web';
  dialogs?: NativeDialogs;
  recent?: RecentCases;
  /** DuckDB memory limit for opened cases. */
  memoryLimit?: string;
}

type Handler<M extends ApiMethod> = (args: ArgsOf<M>) => Promise<ResultOf<M>>;

/**
 * The core behind every transport: holds the open case, validates each call's arguments
 * against the contract's schemas, runs imports as cancellable jobs and emits events.
 */
export class FlowcaseService {
  private store: CaseStore | null = null;
  private pager: FlowPager | null = null;
  private readonly events = new EventEmitter();
  private readonly jobs = new Map<string, AbortController>();
  private jobChain: Promise<unknown> = Promise.resolve();
  private readonly recent: RecentCases;
  private jobCounter = 0;

  constructor(private readonly options: ServiceOptions) {
    registerDerivedTables();
    this.recent = options.recent ?? new RecentCases();
  }

  /** Validates and runs one call. Throws ApiError with a user-facing message. */
  async call(method: string, rawArgs: unknown): Promise<unknown> {
    if (!Object.prototype.hasOwnProperty.call(ArgSchemas, method)) throw new ApiError('unknown-method', `unknown method '${method}'`, 404);
    const m = method as ApiMethod;
    const parsed = (ArgSchemas[m] as z.ZodType).safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ApiError('bad-arguments', `${m}: ${first.path.join('.') || 'arguments'}: ${first.message}`);
    }
    const handler = this.handlers[m] as Handler<typeof m>;
    try {
      return await handler(parsed.data as never);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (err instanceof CaseOpenError) throw new ApiError(`case-${err.code}`, err.message, 409);
      throw new ApiError('internal', (err as Error).message ?? String(err), 500);
    }
  }

  on<E extends keyof EventMap>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  /** Every event, for transports that forward them all (SSE, IPC). */
  onAny(listener: (event: keyof EventMap, payload: unknown) => void): () => void {
    const names: (keyof EventMap)[] = ['import.progress', 'import.done', 'case.changed'];
    const offs = names.map((name) => this.on(name, (p) => listener(name, p)));
    return () => offs.forEach((off) => off());
  }

  private emit<E extends keyof EventMap>(event: E, payload: EventMap[E]): void {
    this.events.emit(event, payload);
  }

  /** The open case, or an error a person understands. */
  requireCase(): CaseStore {
    if (!this.store) throw new ApiError('no-case', 'no case is open: create or open a case first', 409);
    return this.store;
  }

  /** Opens a case (used by the CLI and tests as well as the open handler). */
  async openCase(path: string, create = true, readOnly = false): Promise<CaseInfo> {
    const full = resolve(path);
    if (!full.toLowerCase().endsWith('.duckdb') && !existsSync(full)) {
      throw new ApiError('bad-case-name', `a new case file must end in .duckdb (${full})`);
    }
    await this.closeCase();
    this.store = await CaseStore.open(full, { create, readOnly, memoryLimit: this.options.memoryLimit });
    this.pager = new FlowPager(this.store);
    await this.recent.touch(full, Date.now() * 1000).catch(() => undefined);
    const info = await this.caseInfo();
    this.emit('case.changed', info);
    return info!;
  }

  async closeCase(): Promise<boolean> {
    if (!this.store) return false;
    for (const ctl of this.jobs.values()) ctl.abort();
    await this.jobChain.catch(() => undefined);
    this.store.close();
    this.store = null;
    this.pager = null;
    this.emit('case.changed', null);
    return true;
  }

  private async caseInfo(): Promise<CaseInfo | null> {
    const s = this.store;
    if (!s) return null;
    const stats = await queryStats(s);
    const evidenceCount = Number((await s.value<bigint>(`SELECT count(*) FROM evidence`)) ?? 0);
    return {
      path: s.path, name: basename(s.path), readOnly: s.readOnly, schemaVersion: SCHEMA_VERSION, evidenceCount,
      flows: stats.flows, firstUs: stats.firstUs, lastUs: stats.lastUs, timeZone: (await s.getSetting('time_zone')) ?? 'UTC',
    };
  }

  private readonly handlers: { [M in ApiMethod]: Handler<M> } = {
    ...analysisHandlers(() => this.requireCase()),
    'app.info': async () => ({
      version: TOOL_VERSION, transport: this.options.transport, platform: platform(),
      homeDir: this.options.transport === 'web' ? homedir() : null,
    }),
    'case.open': async (a) => this.openCase(a.path, a.create ?? true, a.readOnly ?? false),
    'case.close': async () => ({ closed: await this.closeCase() }),
    'case.info': async () => this.caseInfo(),
    'case.recent': async () => this.recent.list(),
    'case.setTimeZone': async (a) => {
      const s = this.requireCase();
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: a.timeZone });
      } catch {
        throw new ApiError('bad-time-zone', `unknown time zone '${a.timeZone}' (use an IANA name such as Europe/Berlin)`);
      }
      await s.setSetting('time_zone', a.timeZone);
      await s.audit('set-time-zone', { timeZone: a.timeZone });
      const info = (await this.caseInfo())!;
      this.emit('case.changed', info);
      return info;
    },
    'evidence.list': async () => listEvidence(this.requireCase()),
    'formats.list': async () => describeFormats(),
    'import.start': async (a) => {
      const s = this.requireCase();
      if (s.readOnly) throw new ApiError('read-only', 'this case is open read-only; reopen it with write access to import');
      const jobId = `job-${++this.jobCounter}-${Date.now().toString(36)}`;
      const ctl = new AbortController();
      this.jobs.set(jobId, ctl);
      // Imports on one case run one after another; the call returns at once with the job id.
      this.jobChain = this.jobChain.then(async () => {
        let results;
        try {
          results = await runImport(s, a.paths, {
            format: a.format, signal: ctl.signal, decodeOptions: a.options,
            onProgress: (p) => this.emit('import.progress', { jobId, ...p }),
          });
        } catch (err) {
          results = a.paths.map((path) => ({ path, ok: false, error: { code: 'internal', message: (err as Error).message } }));
        }
        this.jobs.delete(jobId);
        await this.pager?.invalidate();
        this.emit('import.done', { jobId, results, cancelled: ctl.signal.aborted });
        const info = await this.caseInfo().catch(() => null);
        if (info) this.emit('case.changed', info);
      });
      return { jobId };
    },
    'import.sniff': async (a) => {
      const out = [];
      for (const p of a.paths) {
        try {
          const r = await sniffFile(p);
          out.push({ path: p, name: basename(p), size: r.size, compression: r.compression, candidates: r.candidates });
        } catch (err) {
          out.push({ path: p, name: basename(p), size: 0, compression: null, candidates: [], error: `${p}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
        }
      }
      return out;
    },
    'import.preview': async (a) => {
      let head;
      try {
        head = await readFileHead(a.path, 256 * 1024);
      } catch (err) {
        throw new ApiError('not-found', `${a.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 404);
      }
      const text = new TextDecoder('utf-8').decode(head.head);
      const p = previewCsv(text, a.mapping as CsvMapping | undefined);
      return {
        separator: p.separator, columns: [...p.columns], preset: p.preset, mapping: (p.mapping ?? null) as Record<string, unknown> | null,
        guessed: p.guessed, mappingError: p.mappingError,
        rows: p.rows.map((r) => ({
          line: r.line, fields: [...r.fields], error: r.error,
          flow: r.flow && {
            start: microsToIso(r.flow.startUs), end: microsToIso(r.flow.endUs), proto: r.flow.proto, src: formatIp(r.flow.src),
            srcPort: r.flow.srcPort, dst: formatIp(r.flow.dst), dstPort: r.flow.dstPort, packets: r.flow.packets, bytes: r.flow.bytes,
          },
        })),
      };
    },
    'import.cancel': async (a) => {
      const ctl = this.jobs.get(a.jobId);
      ctl?.abort();
      return { cancelled: !!ctl };
    },
    'flows.page': async (a) => {
      this.requireCase();
      return this.pager!.page({ offset: a.offset, limit: a.limit, sort: a.sort, filter: compileUserFilter(a.filter) });
    },
    'flows.stats': async (a) => queryStats(this.requireCase(), compileUserFilter(a.filter)),
    'fs.list': async (a) => {
      if (this.options.transport !== 'web') throw new ApiError('not-available', 'use the native dialogs in the desktop app');
      return listDirectory(a.path ?? homedir());
    },
    'dialog.openCase': async (a) => {
      const d = this.options.dialogs;
      if (!d) throw new ApiError('not-available', 'native dialogs exist only in the desktop app');
      const path = await d.openCase(a.create);
      return path ? { path } : null;
    },
    'dialog.pickEvidence': async () => {
      const d = this.options.dialogs;
      if (!d) throw new ApiError('not-available', 'native dialogs exist only in the desktop app');
      const paths = await d.pickEvidence();
      return paths ? { paths } : null;
    },
  };

  /** Where uploads for the open case are kept (web mode): a folder beside the case file. */
  uploadDir(): string {
    const s = this.requireCase();
    return join(dirname(s.path), `${basename(s.path, '.duckdb')}.evidence`);
  }

  async dispose(): Promise<void> {
    await this.closeCase();
  }

  /** For CLI and tests: flows matching a filter. */
  async countFlows(filter?: string): Promise<number> {
    return countFlows(this.requireCase(), compileUserFilter(filter));
  }
}

async function listDirectory(path: string) {
  const dir = resolve(path);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new ApiError('not-found', `cannot list ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 404);
  }
  const out = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    let size = 0;
    let kind: 'dir' | 'file' = e.isDirectory() ? 'dir' : 'file';
    try {
      const st = await stat(full);
      size = st.size;
      kind = st.isDirectory() ? 'dir' : 'file';
    } catch {
      continue;
    }
    out.push({ name: e.name, path: full, kind, size });
  }
  out.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
  const parent = dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, entries: out };
}
