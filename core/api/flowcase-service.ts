import { EventEmitter } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { registerDerivedTables } from '../analysis/derived-tables';
import { healDerivedTables, staleEvidence } from '../ingest/import-runner';
import { FlowPager } from '../query/flow-pager';
import { queryStats } from '../query/flow-stats';
import { BadFilterError } from '../query/user-filter';
import { CaseOpenError, CaseStore } from '../store/case-store';
import { RecentCases } from '../store/recent-cases';
import { SCHEMA_VERSION } from '../store/schema';
import { ApiError } from './api-error';
import { API_METHODS, type ApiClient, type ApiMethod, type ArgsOf, type CaseInfo, type EventMap, type ResultOf } from './contract';
import { allHandlers } from './handlers/index';
import type { HandlerContext, Handlers, ServiceOptions } from './handlers/handler-context';
import { CustodyMonitor } from './custody-monitor';
import { ImportJobs } from './import-jobs';

export type { NativeDialogs, ServiceOptions } from './handlers/handler-context';

/**
 * The core behind every transport: holds the open case, validates each call's arguments
 * against the contract's schemas, dispatches it to its domain's handler (handlers/), and
 * emits events. Errors reach transports as ApiError with a user-facing message.
 */
export class FlowcaseService implements HandlerContext, ApiClient {
  private store: CaseStore | null = null;
  private pager: FlowPager | null = null;
  private readonly events = new EventEmitter();
  readonly imports = new ImportJobs();
  private readonly importPaths = new Set<string>();
  readonly custody = new CustodyMonitor((event, payload) => this.events.emit(event, payload));
  readonly recent: RecentCases | null;
  private readonly handlers: Handlers<ApiMethod>;

  constructor(readonly options: ServiceOptions) {
    registerDerivedTables();
    this.recent = options.recent === undefined ? new RecentCases() : options.recent;
    this.handlers = allHandlers(this);
  }

  /** Validates and runs one call by name (what transports receive). Throws ApiError with a user-facing message. */
  async call(method: string, rawArgs: unknown): Promise<unknown> {
    if (!Object.prototype.hasOwnProperty.call(API_METHODS, method)) throw new ApiError('unknown-method', `unknown method '${method}'`, 404);
    const m = method as ApiMethod;
    const parsed = (API_METHODS[m].args as z.ZodType).safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ApiError('bad-arguments', `${m}: ${first.path.join('.') || 'arguments'}: ${first.message}`);
    }
    const handler = this.handlers[m] as (args: unknown) => Promise<unknown>;
    try {
      return await handler(parsed.data);
    } catch (err) {
      throw toApiError(err);
    }
  }

  /** The same call, typed (in-process clients: the CLI, tests). */
  invoke<M extends ApiMethod>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
    return this.call(method, args) as Promise<ResultOf<M>>;
  }

  on<E extends keyof EventMap>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  /** Every event, for transports that forward them all (SSE, IPC). */
  onAny(listener: (event: keyof EventMap, payload: unknown) => void): () => void {
    const names: (keyof EventMap)[] = ['import.progress', 'import.done', 'case.changed', 'custody.progress', 'custody.done'];
    const offs = names.map((name) => this.on(name, (p) => listener(name, p)));
    return () => offs.forEach((off) => off());
  }

  emit<E extends keyof EventMap>(event: E, payload: EventMap[E]): void {
    this.events.emit(event, payload);
  }

  allowImportPath(path: string): void {
    if (this.importPaths.size > 100_000) this.importPaths.clear();
    this.importPaths.add(resolve(path));
  }

  isImportPath(path: string): boolean {
    return this.importPaths.has(resolve(path));
  }

  requireCase(): CaseStore {
    if (!this.store) throw new ApiError('no-case', 'no case is open: create or open a case first', 409);
    return this.store;
  }

  flowPager(): FlowPager {
    this.requireCase();
    return this.pager!;
  }

  async flowsChanged(): Promise<void> {
    await this.pager?.invalidate();
  }

  /**
   * Opens a case for this service without telling clients: the CLI, which runs one command
   * on one case and wants no case summary it would not print.
   */
  async attachCase(path: string, create = true, readOnly = false): Promise<CaseStore> {
    const full = resolve(path);
    await this.closeCase();
    this.store = await CaseStore.open(full, { create, readOnly, memoryLimit: this.options.memoryLimit });
    this.pager = new FlowPager(this.store);
    // An import killed (or failed) after its commit left derived tables stale: rebuild them now.
    // A failure leaves the mark (caseInfo shows it) rather than refusing the case.
    await healDerivedTables(this.store).catch(() => undefined);
    await this.recent?.touch(full, Date.now() * 1000).catch(() => undefined);
    return this.store;
  }

  /** Opens a case and tells every client (case.changed). */
  async openCase(path: string, create = true, readOnly = false): Promise<CaseInfo> {
    const store = await this.attachCase(path, create, readOnly);
    const info = (await this.caseInfo())!;
    this.emit('case.changed', info);
    // Every open re-hashes the evidence files in the background (progress: custody.progress);
    // the row and chain checks run on demand (custody.verify).
    if (info.evidenceCount > 0) this.custody.start(store, ['files']);
    return info;
  }

  async closeCase(): Promise<boolean> {
    if (!this.store) return false;
    await this.imports.stopAll();
    await this.custody.reset();
    this.store.close();
    this.store = null;
    this.pager = null;
    this.emit('case.changed', null);
    return true;
  }

  async caseInfo(): Promise<CaseInfo | null> {
    const s = this.store;
    if (!s) return null;
    const stats = await queryStats(s);
    const evidenceCount = Number((await s.value<bigint>(`SELECT count(*) FROM evidence`)) ?? 0);
    return {
      path: s.path, name: basename(s.path), readOnly: s.readOnly, schemaVersion: SCHEMA_VERSION, evidenceCount,
      flows: stats.flows, firstUs: stats.firstUs, lastUs: stats.lastUs, timeZone: (await s.getSetting('time_zone')) ?? 'UTC',
      derivedStale: (await staleEvidence(s)).length,
    };
  }

  /** Where uploads for the open case are kept (web mode): a folder beside the case file. */
  uploadDir(): string {
    const s = this.requireCase();
    return join(dirname(s.path), `${basename(s.path, '.duckdb')}.evidence`);
  }

  async dispose(): Promise<void> {
    await this.closeCase();
  }
}

/** What a handler threw, as the error every transport reports. */
function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof BadFilterError) return new ApiError('bad-filter', err.message);
  if (err instanceof CaseOpenError) return new ApiError(`case-${err.code}`, err.message, 409);
  return new ApiError('internal', (err as Error).message ?? String(err), 500);
}
