import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { FlowBatch, type FlowInput } from '../model/flow-batch';
import { decodedFileName, openEvidenceStream } from '../formats/common/evidence-stream';
import type { DecodeIssue, DecodeOptions, FlowSink, FormatLoader } from '../formats/decoder';
import { loaderById, sniffFormat } from '../formats/index';
import type { CaseStore } from '../store/case-store';
import { SEALED_EVIDENCE_SQL, sealFromRow } from '../store/evidence-seal';
import { FlowChunkWriter } from '../store/flow-chunk-writer';
import { writeImportLog } from '../store/import-log';
import { rowsDigests } from '../store/rows-digest';
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
  /**
   * Per file: hashing, decoding, committing, done (the file is stored). Once per run, after
   * the files: 'deriving' while the tables derived from flows (host index, sessions, bins)
   * are brought up to date, with `step` naming the one being built; the run is finished
   * only when `import.done` follows.
   */
  readonly phase: 'hashing' | 'decoding' | 'committing' | 'done' | 'deriving';
  /** While deriving: which derived table is being built ("sessions"), and its place in the list. */
  readonly step?: string;
  readonly stepIndex?: number;
  readonly stepCount?: number;
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
  /** Records read but not stored, by reason. */
  readonly skipped: Record<string, number>;
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
  /** Record times accepted (UTC µs); default: from 1970 to one day after the import (#14). */
  readonly plausibleTimes?: PlausibleTimes;
}

/** The range of record times an import accepts; records outside are rejected as bad-time. */
export interface PlausibleTimes {
  readonly notBeforeUs?: number;
  /** How far after the import a time may lie (µs); default one day. */
  readonly futureUs?: number;
}

const DAY_US = 86_400_000_000;

/**
 * Decompression stops when this many bytes came out of a compressed file without a single
 * record read (stored or rejected): a bomb, or a file forced to a format it is not.
 */
export const BOMB_EXPANDED_BYTES = 64 * 1024 * 1024;

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

    // A compressed stream that expands past BOMB_EXPANDED_BYTES without yielding a record is
    // stopped while it is read (at a progress tick) and, since ticks follow the clock, checked
    // once more when the decoder ends: the outcome must not depend on how fast the machine is.
    const stopIfBomb = (stored: number) => {
      if (compression && stored === 0 && source.offset > BOMB_EXPANDED_BYTES) {
        sink.stop(`${compression} stream expanded to ${Math.round(source.offset / 1048576)} MB from ${Math.round(bytesRead / 1024)} KB without a single ${loader.label} record: not read further (a decompression bomb, or not this format)`, source.offset);
      }
    };
    const sink = new BatchingSink(opts.batchCapacity, opts.signal, () => {
      progress.update({ bytesRead, records: sink.records, rejected: sink.rejected, phase: 'decoding' });
      stopIfBomb(sink.records + sink.rejected);
    }, {
      minUs: opts.plausibleTimes?.notBeforeUs ?? 0,
      maxUs: Date.now() * 1000 + (opts.plausibleTimes?.futureUs ?? DAY_US),
      unit: loader.positionUnit,
    });
    return await store.transaction(async () => {
      // The next number after the case's last evidence, not a sequence: a sequence value taken
      // by an import that was refused, cancelled or killed is not given back, and evidence
      // numbers an analyst cites should not depend on what failed before (#14's kill test).
      const evidenceId = Number(await store.value<number>(`SELECT (coalesce(max(evidence_id), 0) + 1)::INTEGER FROM evidence`));
      const firstFlowId = Number((await store.value<bigint | number>(`SELECT coalesce(max(flow_id), 0) + 1 FROM flows`)) ?? 1);
      const writer = await FlowChunkWriter.open(store.connection);
      try {
        sink.bind(writer, evidenceId, firstFlowId);
        let failure;
        try {
          failure = await loader.decode({ source, sink, fileName: decodeName, options: opts.decodeOptions ?? {} });
        } catch (err) {
          if (sink.stopped) throw sink.stopped.error(path);
          if (sink.aborted) throw cancelled(path);
          const msg = (err as Error).message;
          throw new ImportError('unreadable', path, `${path}: reading stopped near byte ${source.offset}: ${msg}`, source.offset);
        }
        if (!failure) stopIfBomb(sink.records);
        if (sink.stopped) throw sink.stopped.error(path);
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
          imported_at_us, import_ms, tool_version, records, rejected, first_us, last_us, clock_offset_us, evidence_set, counters, facts, issues,
          skipped, bad_checksums)
         VALUES ($id, $path, $name, $size, $mtime, $sha, $format, $unit, $compression, $at, $ms, $tool, $records, $rejected,
          $first, $last, 0, $set, $counters, $facts, $issues, $skipped, $bad)`,
        {
          id: evidenceId, path, name, size: BigInt(totalBytes), mtime: BigInt(Math.round(info.mtimeMs * 1000)), sha: sha256,
          format: loader.id, unit: loader.positionUnit, compression, at: BigInt(Date.now() * 1000), ms, tool: TOOL_VERSION,
          records: BigInt(sink.records), rejected: BigInt(sink.rejected), first: range?.first ?? null, last: range?.last ?? null,
          set: opts.evidenceSet ?? null, counters: JSON.stringify(sink.counters), facts: JSON.stringify(sink.facts), issues: JSON.stringify(issues),
          skipped: JSON.stringify(sink.skipped),
          bad: sink.counters['bad-checksum-packets'] === undefined ? null : BigInt(sink.counters['bad-checksum-packets']),
        },
      );
      // Custody (#14), in the same transaction as the rows: the digest of the rows just
      // stored, the import_log row, a durable "derived tables stale" mark (cleared when the
      // derived step finished; a kill in between is healed on the next open), and the chained
      // audit entry that seals all of it.
      const digest = (await rowsDigests(store, [evidenceId])).get(evidenceId)!;
      await store.run(`UPDATE evidence SET rows_digest = $d WHERE evidence_id = $id`, { d: digest.digest, id: evidenceId });
      const log = await writeImportLog(store, {
        path, outcome: 'imported', message: null, sha256, format: loader.id, evidenceId, records: sink.records, rejected: sink.rejected, ms,
      });
      await store.run(`INSERT OR REPLACE INTO derived_state VALUES ($id, $at)`, { id: evidenceId, at: BigInt(Date.now() * 1000) });
      const row = await store.one(`${SEALED_EVIDENCE_SQL} WHERE evidence_id = $id`, { id: evidenceId });
      await store.audit('import', sealFromRow(row!, digest.rows, digest.digest, log), 'flowcase');
      progress.update({ bytesRead, records: sink.records, rejected: sink.rejected, phase: 'done' }, true);
      return {
        evidenceId, path, name, format: loader.id, sha256, bytes: totalBytes, records: sink.records, rejected: sink.rejected,
        firstUs: range?.first == null ? null : Number(range.first), lastUs: range?.last == null ? null : Number(range.last), ms,
        counters: sink.counters, skipped: sink.skipped, facts: sink.facts, issues: sink.issues, issueCounts: sink.issueCounts,
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
  readonly skipped: Record<string, number> = {};
  readonly facts: Record<string, unknown> = {};
  readonly issues: DecodeIssue[] = [];
  readonly issueCounts: Record<string, number> = {};
  private lastYield = performance.now();

  /** Set when the import must stop for a reason of the file's own (a decompression bomb). */
  stopped: { message: string; offset: number; error(path: string): ImportError } | null = null;

  constructor(
    capacity: number | undefined, private readonly signal: AbortSignal | undefined, private readonly onTick: () => void,
    private readonly times: { minUs: number; maxUs: number; unit: 'byte' | 'line' },
  ) {
    this.batch = new FlowBatch(capacity);
  }

  get aborted(): boolean {
    return !!this.signal?.aborted || this.stopped !== null;
  }

  stop(message: string, offset: number): void {
    this.stopped ??= { message, offset, error: (path) => new ImportError('decode-failed', path, `${path}: ${message} (at byte ${offset} of the decompressed data)`, offset) };
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
    // Every format's times pass the same plausibility check (#14): a time before 1970, past
    // the import by more than a day, or not a number at all is a bad record, not a flow.
    const { minUs, maxUs } = this.times;
    if (!(record.startUs >= minUs && record.startUs <= maxUs && record.endUs >= minUs && record.endUs <= maxUs)) {
      const bad = record.startUs >= minUs && record.startUs <= maxUs ? record.endUs : record.startUs;
      const where = this.times.unit === 'line' ? `line ${record.pos}` : `byte ${record.pos}`;
      this.reject({ code: 'bad-time', offset: record.pos, message: `${where}: time ${describeUs(bad)} is outside the plausible range ${describeUs(minUs)} to ${describeUs(maxUs)}; record not stored` });
      return;
    }
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

  skip(reason: string, n = 1): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + n;
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

function describeUs(us: number): string {
  if (!Number.isFinite(us)) return String(us);
  const d = new Date(Math.floor(us / 1000));
  return Number.isNaN(d.getTime()) ? `${us} µs` : d.toISOString();
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}
