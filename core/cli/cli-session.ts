import { existsSync } from 'node:fs';
import type { FlowcaseService } from '../api/flowcase-service';
import { CliExit } from './command';

/** How a command opens its case: read-only, writable (sessions may be built), or created when missing (import). */
export type CaseMode = 'read' | 'write' | 'create';

/**
 * Runs `work` against a FlowcaseService of its own: the same contract, validation and
 * handlers as the app and the web mode. The service (and with it DuckDB) is loaded here,
 * when a command needs it, not when the CLI starts.
 */
export async function withService<T>(work: (api: FlowcaseService) => Promise<T>, memoryLimit?: string): Promise<T> {
  const { FlowcaseService } = await import('../api/flowcase-service');
  const api = new FlowcaseService({ transport: 'cli', recent: null, memoryLimit });
  try {
    return await work(api);
  } finally {
    await api.dispose();
  }
}

/** Runs `work` with the case open; a case that is not there is exit 1 (unless it is to be created). */
export async function withCase<T>(path: string, mode: CaseMode, work: (api: FlowcaseService) => Promise<T>, memoryLimit?: string): Promise<T> {
  if (mode !== 'create' && !existsSync(path)) throw new CliExit(1, `no such case: ${path}`);
  return withService(async (api) => {
    try {
      await api.attachCase(path, mode === 'create', mode === 'read');
    } catch (err) {
      throw new CliExit(1, (err as Error).message);
    }
    return work(api);
  }, memoryLimit);
}

/** Rows of a paged method, `limit` at most, fetched in pages the contract allows. */
export async function* pagedRows<T>(limit: number, fetch: (offset: number, limit: number) => Promise<{ rows: T[] }>): AsyncGenerator<T> {
  const pageSize = 5000;
  for (let offset = 0; offset < limit; offset += pageSize) {
    const page = await fetch(offset, Math.min(pageSize, limit - offset));
    yield* page.rows;
    if (page.rows.length < pageSize) return;
  }
}
