import { z } from 'zod';
import type { FormatDescription } from '../../formats/registry';
import type { ImportProgress } from '../../ingest/ingest-file';
import type { ImportFileResult } from '../../ingest/import-runner';
import type { EvidenceCheck } from '../../ingest/verify-evidence';
import type { EvidenceView } from '../../store/evidence-rows';
import { method } from './method';
import { noArgs, pathArg } from './common';

/** Evidence: the case's files, the formats Flowcase reads, and imports (sniff, preview, run, cancel). */

export type { EvidenceOverlapView, EvidenceView, IssueView } from '../../store/evidence-rows';
export type { ImportFileResult } from '../../ingest/import-runner';
export type { EvidenceCheck } from '../../ingest/verify-evidence';

/** A format and the options it declares (core/formats/registry.ts). */
export type FormatInfo = FormatDescription;

export interface ImportJob {
  jobId: string;
}

export interface ImportProgressEvent extends ImportProgress {
  jobId: string;
}

export interface ImportDoneEvent {
  jobId: string;
  results: ImportFileResult[];
  cancelled: boolean;
}

export interface SniffCandidate {
  id: string;
  label: string;
  score: number;
}

export interface SniffView {
  path: string;
  name: string;
  size: number;
  compression: string | null;
  /** Formats that recognise the file, best first (the importer takes the first unless told). */
  candidates: SniffCandidate[];
  error?: string;
}

export interface CsvPreviewView {
  separator: string;
  columns: string[];
  preset: string | null;
  mapping: Record<string, unknown> | null;
  guessed: boolean;
  mappingError?: string;
  rows: { line: number; fields: string[]; flow?: { start: string; end: string; proto: number; src: string; srcPort: number; dst: string; dstPort: number; packets: number; bytes: number }; error?: string }[];
}

/** A CSV column mapping: which column holds each flow field. */
const CsvMappingSchema = z.object({
  startTime: z.string().max(200).optional(), endTime: z.string().max(200).optional(), duration: z.string().max(200).optional(),
  durationUnit: z.enum(['s', 'ms', 'us']).optional(), srcAddr: z.string().max(200).optional(), dstAddr: z.string().max(200).optional(),
  srcPort: z.string().max(200).optional(), dstPort: z.string().max(200).optional(), proto: z.string().max(200).optional(),
  packets: z.string().max(200).optional(), bytes: z.string().max(200).optional(), revPackets: z.string().max(200).optional(),
  revBytes: z.string().max(200).optional(), tcpFlags: z.string().max(200).optional(), tos: z.string().max(200).optional(),
  inIf: z.string().max(200).optional(), outIf: z.string().max(200).optional(), srcAs: z.string().max(200).optional(),
  dstAs: z.string().max(200).optional(), exporter: z.string().max(200).optional(), label: z.string().max(200).optional(),
  timeFormat: z.enum(['auto', 'iso', 'epoch-s', 'epoch-ms', 'epoch-us', 'dmy', 'mdy']).optional(),
  timeZone: z.string().max(64).optional(), keepColumns: z.union([z.literal('all'), z.array(z.string().max(200)).max(500)]).optional(),
}).strict();

/**
 * Per-import options the decoders understand (anything else is refused): the keys the
 * loaders declare (FormatLoader.options; a test keeps the two in step).
 */
export const DecodeOptionsSchema = z.object({
  /** IPAudit / Argus time-of-day files: the day the times belong to (YYYY-MM-DD). */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  /** Zone of local times in the file (IANA name or +hh:mm). */
  timeZone: z.string().max(64).optional(),
  /** Flow meter (pcap): idle and active timeouts in seconds. */
  idleTimeoutS: z.number().positive().max(86_400 * 30).optional(),
  activeTimeoutS: z.number().positive().max(86_400 * 30).optional(),
  verifyChecksums: z.boolean().optional(),
  keepArp: z.boolean().optional(),
  mapping: CsvMappingSchema.optional(),
  preset: z.string().max(64).optional(),
  separator: z.enum([',', ';', '\t', 'tab']).optional(),
  hasHeader: z.boolean().optional(),
  timeFormat: z.enum(['auto', 'iso', 'epoch-s', 'epoch-ms', 'epoch-us', 'dmy', 'mdy']).optional(),
}).strict();

export const evidenceMethods = {
  'evidence.list': method(noArgs).returns<EvidenceView[]>(),
  /** Re-hashes every evidence file: match, changed or missing. */
  'evidence.verify': method(noArgs).returns<EvidenceCheck[]>(),
  'formats.list': method(noArgs).returns<FormatInfo[]>(),
  /** Starts a cancellable import job; progress and the results arrive as events. */
  'import.start': method(z.object({
    paths: z.array(pathArg).min(1).max(10_000), format: z.string().max(64).optional(), options: DecodeOptionsSchema.optional(),
  }).strict()).returns<ImportJob>(),
  'import.sniff': method(z.object({ paths: z.array(pathArg).min(1).max(1000) }).strict()).returns<SniffView[]>(),
  'import.preview': method(z.object({ path: pathArg, mapping: CsvMappingSchema.optional() }).strict()).returns<CsvPreviewView>(),
  'import.cancel': method(z.object({ jobId: z.string().max(64) }).strict()).returns<{ cancelled: boolean }>(),
};

export interface EvidenceEvents {
  'import.progress': ImportProgressEvent;
  'import.done': ImportDoneEvent;
}
