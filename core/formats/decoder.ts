import type { FlowInput } from '../model/flow-batch';
import type { NameRecord } from '../model/name-record';
import type { ByteSource } from './common/byte-source';
import type { FormatOption } from './format-options';
import type { IssueCode } from './issue-codes';

/** A problem found in the evidence, tied to where it was found. Never thrown. */
export interface DecodeIssue {
  /** kebab-case name, stable for scripts; one of the catalogue in issue-codes.ts. */
  readonly code: IssueCode;
  /** Byte offset (binary formats) or line number (text formats) of the problem. */
  readonly offset: number;
  readonly length?: number;
  readonly message: string;
}

/** Why one record or line cannot become a flow (the caller adds the position). */
export interface RecordProblem {
  readonly code: IssueCode;
  readonly message: string;
}

/** Where a decoder reports what it finds. */
export interface FlowSink {
  /** Stores one flow record. The ingest layer batches them. */
  flow(record: FlowInput): void;
  /** A record that could not be read: counted as rejected, with its reason. */
  reject(issue: DecodeIssue): void;
  /** An anomaly that did not cost a record (a padding error, an unknown option). */
  note(issue: DecodeIssue): void;
  /** Counts something that is neither a flow nor a rejection (`non-ip-frames`, `datagrams`, `nodata-rows`). */
  count(what: string, n?: number): void;
  /**
   * A name a client used for an address (DNS answer, TLS SNI, HTTP Host), stored in the
   * case's names table with this evidence as provenance. Optional: sinks that keep only
   * flows leave it out.
   */
  name?(record: NameRecord): void;
  /**
   * A record read but not stored as a flow, by reason (`man`, `llc`, `arp`): never silently
   * dropped, the evidence row keeps the counts (`skipped`) and `import --json` prints them.
   */
  skip(reason: string, n?: number): void;
  /** Facts about the file for the evidence row (link type, exporters, templates, time zone...). */
  fact(key: string, value: unknown): void;
  /**
   * Lets the ingest layer flush a full batch and honour cancellation. Decoders call it
   * between records; it resolves at once unless work is pending.
   */
  yield(): Promise<void> | void;
  /** Set when the user cancelled; a decoder should return promptly. */
  readonly aborted: boolean;
}

export interface DecodeOptions {
  /** Options a user may set per import, keyed as the loader declares them (FormatLoader.options). */
  readonly [key: string]: unknown;
}

export interface DecodeContext {
  readonly source: ByteSource;
  readonly sink: FlowSink;
  /** File name (not path) of the evidence, for formats that read dates from names. */
  readonly fileName: string;
  readonly options: DecodeOptions;
}

/** The one interface every evidence format implements. */
export interface FormatLoader {
  readonly id: string;
  readonly label: string;
  /** File name endings this format usually has (lower case, with the dot). */
  readonly extensions: readonly string[];
  /** Human-readable file name patterns for `flowcase formats`. */
  readonly patterns?: readonly string[];
  /** Whether positions in issues and flows are byte offsets or line numbers. */
  readonly positionUnit: 'byte' | 'line';
  /**
   * The options a user may set per import, declared once: the CLI flags, the import panel's
   * fields and the README table are generated from them; the decoder reads them by `key`.
   */
  readonly options: readonly FormatOption[];
  /**
   * How sure this loader is that `head` (the first bytes, already decompressed) is its
   * format: 0 = not mine, 1 = certain (magic number). Name-only matches score low.
   */
  sniff(head: Uint8Array, fileName: string): number;
  /** Streams the file into the sink. Resolves when done; returns an error value for an unreadable file. */
  decode(ctx: DecodeContext): Promise<DecodeFailure | void>;
}

/** A file that cannot be read at all (bad magic, unsupported version). */
export interface DecodeFailure {
  readonly code: IssueCode;
  readonly offset: number;
  readonly message: string;
}
