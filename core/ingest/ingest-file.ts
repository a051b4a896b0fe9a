import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { FlowBatch, type FlowInput } from '../model/flow-batch';
import { decodedFileName, openEvidenceStream } from '../formats/common/evidence-stream';
import type { DecodeIssue, DecodeOptions, FlowSink, FormatLoader } from '../formats/decoder';
import { loaderById, sniffFormat } from '../formats/index';
import type { CaseStore } from '../store/case-store';
import { FlowChunkWriter } from '../store/flow-chunk-writer';
import { writeNames } from '../store/names-writer';
import type { NameRecord } from '../model/name-record';

/** Names kept per evidence file (about 100 bytes each in memory until the import commits). */
const MAX_NAMES = 2_000_000;
import { sha256File } from './file-hash';
import { TOOL_VERSION } from '../version';

export interface ImportProgress {
  readonly path: string;
  readonly fileIndex: number;
  readonly fileCount: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly records: number;
  readonly rejected: number;
  readonly elapsedMs: number;
  readonly recordsPerSecond: number;
  readonly phase: 'hashing' | 'decoding' | 'committing' | 'done';
}

export interface ImportedEvidence {
  readonly evidenceId: number;
  readonly path: string;
  readonly name: string;
  readonly format: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly records: number;
  readonly rejected: number;
  readonly firstUs: number | null;
  readonly lastUs: number | null;
  readonly ms: number;
  readonly counters: Record<string, number>;
  readonly facts: Record<string, unknown>;
  readonly issues: DecodeIssue[];
  readonly issueCounts: Record<string, number>;
}

export class ImportError extends Error {
  constructor(
    readonly code: 'duplicate' | 'unknown-format' | 'unreadable' | 'cancelled' | 'not-found' | 'decode-failed',
    readonly path: string,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

export interface ImportFileOptions {
  /** Force a format instead of sniffing. */
  readonly format?: string;
  readonly decodeOptions?: DecodeOptions;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ImportProgress) => void;
  readonly fileIndex?: number;
  readonly fileCount?: number;
  /** Name of the evidence set (folder import) this file belongs to. */
  readonly evidenceSet?: string;
  readonly batchCapacity?: number;
}

/** How many issues are kept verbatim per evidence file; the rest are only counted by code. */
const KEPT_ISSUES = 500;
const HEAD_BYTES = 64 * 1024;
const PROGRESS_EVERY_MS = 100;

/**
 * Imports one evidence file atomically: hashes the very bytes it decodes, streams them
 * through the format's decoder into DuckDB in one transaction, and commits only when the
 * whole file was read. A cancel, an error or a killed process leaves the case as it was.
 */
export async function ingestFile(store: CaseStore, path: string, opts: ImportFileOptions = {}): Promise<ImportedEvidence> {
  const started = performance.now();
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new ImportError('not-found', path, `${path}: no such file`);
  }
  if (!info.isFile()) throw new ImportError('unreadable', path, `${path}: not a regular file`);
  const totalBytes = info.size;
  const progress = makeProgressReporter(path, totalBytes, opts, started);

  // A file the case already holds is refused. Only files whose size matches an existing
  // evidence file need a hash before decoding; the others are hashed while decoding.
  const sameSize = await store.value<number>(`SELECT count(*)::INTEGER FROM evidence WHERE size = $s`, { s: BigInt(totalBytes) });
  if (sameSize) {
    progress.update({ phase: 'hashing' }, true);
    const pre = await sha256File(path, opts.signal);
    await refuseDuplicate(store, path, pre);
  }

  const hash = createHash('sha256');
  let bytesRead = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  const raw = tapped(stream, (chunk) => {
    hash.update(chunk);
    bytesRead += chunk.length;
  });
  try {
    // Peek at the raw head to see whether the evidence is compressed.
    const { raw: rawSource, source, compression } = await openEvidenceStream(raw);
    const name = basename(path);
    try {
      await source.ensure(HEAD_BYTES);
    } catch (err) {
      throw new ImportError('unreadable', path, `${path}: ${compression ?? 'file'} stream is broken at the start: ${(err as Error).message}`, 0);
    }
    const head = source.peek(Math.min(HEAD_BYTES, source.available));
    const decodeName = decodedFileName(name, compression);
    const loader = chooseLoader(path, head, decodeName, opts.format);

    const sink = new BatchingSink(opts.batchCapacity, opts.signal, () => progress.update({ bytesRead, records: sink.records, rejected: sink.rejected, phase: 'decoding' }));
    return await store.transaction(async () => {
      const evidenceId = Number(await store.value<number>(`SELECT nextval('evidence_seq')::INTEGER`));
      const firstFlowId = Number((await store.value<bigint | number>(`SELECT coalesce(max(flow_id), 0) + 1 FROM flows`)) ?? 1);
      const writer = await FlowChunkWriter.open(store.connection);
      try {
        sink.bind(writer, evidenceId, firstFlowId);
        let failure;
        try {
          failure = await loader.decode({ source, sink, fileName: decodeName, options: opts.decodeOptions ?? {} });
        } catch (err) {
          if (sink.aborted) throw cancelled(path);
          const msg = (err as Error).message;
          throw new ImportError('unreadable', path, `${path}: reading stopped near byte ${source.offset}: ${msg}`, source.offset);
        }
        if (sink.aborted) throw cancelled(path);
        if (failure) {
          throw new ImportError('decode-failed', path, `${path}: ${failure.message} (at ${loader.positionUnit === 'line' ? 'line' : 'byte'} ${failure.offset})`, failure.offset);
        }
        sink.flush();
        writer.flush();
      } finally {
        // One release for every exit: the transaction then commits, or rolls back what was appended.
        writer.close();
      }
      await writeNames(store.connection, evidenceId, sink.names);
      // Drain whatever the decoder did not read so that the hash covers the whole file.
      for await (const _ of source.rest()) void _;
      if (compression) for await (const _ of rawSource.rest()) void _;
      const sha256 = hash.digest('hex');
      await refuseDuplicate(store, path, sha256);
      progress.update({ bytesRead, records: sink.records, rejected: sink.rejected, phase: 'committing' }, true);

      const range = await store.one<{ first: bigint | null; last: bigint | null }>(
        `SELECT min(start_us) AS first, max(end_us) AS last FROM flows WHERE evidence_id = $id`, { id: evidenceId },
      );
      const ms = performance.now() - started;
      const issues = { kept: sink.issues, byCode: sink.issueCounts };
      await store.run(
        `INSERT INTO evidence (evidence_id, path, name, size, mtime_us, sha256, format, position_unit, compression,
          imported_at_us, import_ms, tool_version, records, rejected, first_us, last_us, clock_offset_us, evidence_set, counters, facts, issues)
         VALUES ($id, $path, $name, $size, $mtime, $sha, $format, $unit, $compression, $at, $ms, $tool, $records, $rejected,
          $first, $last, 0, $set, $counters, $facts, $issues)`,
        {
          id: evidenceId, path, name, size: BigInt(totalBytes), mtime: BigInt(Math.round(info.mtimeMs * 1000)), sha: sha256,
          format: loader.id, unit: loader.positionUnit, compression, at: BigInt(Date.now() * 1000), ms, tool: TOOL_VERSION,
          records: BigInt(sink.records), rejected: BigInt(sink.rejected), first: range?.first ?? null, last: range?.last ?? null,
          set: opts.evidenceSet ?? null, counters: JSON.stringify(sink.counters), facts: JSON.stringify(sink.facts), issues: JSON.stringify(issues),
        },
      );
      await store.audit('import', { path, sha256, format: loader.id, records: sink.records, rejected: sink.rejected }, 'flowcase');
      progress.update({ bytesRead, records: sink.records, rejected: sink.rejected, phase: 'done' }, true);
      return {
        evidenceId, path, name, format: loader.id, sha256, bytes: totalBytes, records: sink.records, rejected: sink.rejected,
        firstUs: range?.first == null ? null : Number(range.first), lastUs: range?.last == null ? null : Number(range.last), ms,
        counters: sink.counters, facts: sink.facts, issues: sink.issues, issueCounts: sink.issueCounts,
      };
    });
  } finally {
    // Every exit (refused, cancelled, failed or done) releases the file; after a full read a no-op.
    stream.destroy();
  }
}

function cancelled(path: string): ImportError {
  return new ImportError('cancelled', path, `import of ${path} cancelled; the case is unchanged`);
}

/** The forced format, or the best the sniffers find in the head. */
function chooseLoader(path: string, head: Uint8Array, decodeName: string, format: string | undefined): FormatLoader {
  if (format) {
    const loader = loaderById(format);
    if (!loader) throw new ImportError('unknown-format', path, `unknown format '${format}' (see 'flowcase formats')`);
    return loader;
  }
  const loader = sniffFormat(head, decodeName)[0]?.loader;
  if (!loader) {
    throw new ImportError('unknown-format', path, `${path}: not a format Flowcase reads (first bytes ${hex(head.subarray(0, 8))}); use --format to force one`, 0);
  }
  return loader;
}

async function refuseDuplicate(store: CaseStore, path: string, sha256: string): Promise<void> {
  const dup = await store.one<{ name: string; imported_at_us: bigint }>(`SELECT name, imported_at_us FROM evidence WHERE sha256 = $sha`, { sha: sha256 });
  if (dup) {
    const when = new Date(Number(dup.imported_at_us) / 1000).toISOString();
    throw new ImportError('duplicate', path, `${path} is already in this case as '${dup.name}' (imported ${when}, SHA-256 ${sha256}); not imported again`);
  }
}

/** Collects flows into batches and writes each full batch; counts everything else. */
class BatchingSink implements FlowSink {
  private batch: FlowBatch;
  private writer: FlowChunkWriter | null = null;
  private evidenceId = 0;
  private nextFlowId = 1;
  records = 0;
  rejected = 0;
  readonly counters: Record<string, number> = {};
  readonly facts: Record<string, unknown> = {};
  readonly issues: DecodeIssue[] = [];
  readonly issueCounts: Record<string, number> = {};
  private lastYield = performance.now();

  constructor(capacity: number | undefined, private readonly signal: AbortSignal | undefined, private readonly onTick: () => void) {
    this.batch = new FlowBatch(capacity);
  }

  get aborted(): boolean {
    return !!this.signal?.aborted;
  }

  bind(writer: FlowChunkWriter, evidenceId: number, firstFlowId: number): void {
    this.writer = writer;
    this.evidenceId = evidenceId;
    this.nextFlowId = firstFlowId;
  }

  /** Names the evidence showed (DNS, SNI, HTTP Host); written after the flows, in the same transaction. */
  readonly names: NameRecord[] = [];

  name(record: NameRecord): void {
    // Bounded like every buffer of an import; what is not kept is counted where the analyst sees it.
    if (this.names.length < MAX_NAMES) this.names.push(record);
    else this.count('names-not-kept');
  }

  flow(record: FlowInput): void {
    this.batch.push(record);
    this.records++;
    if (this.batch.full) this.flush();
  }

  flush(): void {
    if (this.batch.length === 0 || !this.writer) return;
    this.batch.stamp(this.evidenceId, this.nextFlowId);
    this.nextFlowId += this.batch.length;
    this.writer.write(this.batch);
    this.batch.clear();
  }

  reject(issue: DecodeIssue): void {
    this.rejected++;
    this.keep(issue);
  }

  note(issue: DecodeIssue): void {
    this.keep(issue);
  }

  private keep(issue: DecodeIssue): void {
    this.issueCounts[issue.code] = (this.issueCounts[issue.code] ?? 0) + 1;
    if (this.issues.length < KEPT_ISSUES) this.issues.push(issue);
  }

  count(what: string, n = 1): void {
    this.counters[what] = (this.counters[what] ?? 0) + n;
  }

  fact(key: string, value: unknown): void {
    this.facts[key] = value;
  }

  yield(): Promise<void> | void {
    const now = performance.now();
    if (now - this.lastYield < PROGRESS_EVERY_MS) return;
    this.lastYield = now;
    this.onTick();
    // Give the event loop a turn so a cancel request or a progress event can get through.
    return new Promise((resolve) => setImmediate(resolve));
  }
}

function makeProgressReporter(path: string, totalBytes: number, opts: ImportFileOptions, started: number) {
  let last = 0;
  let state = { bytesRead: 0, records: 0, rejected: 0, phase: 'decoding' as ImportProgress['phase'] };
  return {
    update(patch: Partial<typeof state>, force = false) {
      state = { ...state, ...patch };
      const now = performance.now();
      if (!opts.onProgress || (!force && now - last < PROGRESS_EVERY_MS)) return;
      last = now;
      const elapsedMs = now - started;
      opts.onProgress({
        path, fileIndex: opts.fileIndex ?? 0, fileCount: opts.fileCount ?? 1, totalBytes, elapsedMs,
        recordsPerSecond: elapsedMs > 0 ? (state.records * 1000) / elapsedMs : 0, ...state,
      });
    },
  };
}

async function* tapped(stream: AsyncIterable<unknown>, onChunk: (chunk: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    const c = chunk as Uint8Array;
    onChunk(c);
    yield c;
  }
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}
