import { z } from 'zod';
import type { SessionDetail } from '../analysis/sessions/session-detail';
import type { SessionView } from '../analysis/sessions/session-view';
import type { HostCounts, IncomingPortRow, TalkerRow, TimeSeries } from '../query/overview-queries';
import type { HistogramBin, HostSummary } from '../query/pivot-queries';
import type { FormatDescription } from '../formats/registry';

/**
 * The one contract between the UI (or any client) and the core: method name ->
 * validated arguments -> result, plus progress events. Electron IPC, the web mode and
 * the CLI are thin transports over it. Everything here is JSON-safe: addresses are
 * text, times are UTC microseconds as numbers, counters are numbers.
 */

// ---- shared shapes -------------------------------------------------------------------

export interface CaseInfo {
  path: string;
  name: string;
  readOnly: boolean;
  schemaVersion: number;
  evidenceCount: number;
  flows: number;
  firstUs: number | null;
  lastUs: number | null;
  timeZone: string;
}

export interface RecentCase {
  path: string;
  name: string;
  openedAtUs: number;
  exists: boolean;
}

export interface IssueView {
  code: string;
  offset: number;
  length?: number;
  message: string;
}

export interface EvidenceView {
  evidenceId: number;
  path: string;
  name: string;
  size: number;
  sha256: string;
  format: string;
  positionUnit: 'byte' | 'line';
  compression: string | null;
  importedAtUs: number;
  importMs: number | null;
  toolVersion: string;
  records: number;
  rejected: number;
  firstUs: number | null;
  lastUs: number | null;
  clockOffsetUs: number;
  evidenceSet: string | null;
  counters: Record<string, number>;
  facts: Record<string, unknown>;
  issues: IssueView[];
  issueCounts: Record<string, number>;
}

/** One flow row as the UI shows it. */
export interface FlowView {
  flowId: number;
  evidenceId: number;
  srcPos: number;
  startUs: number;
  endUs: number;
  proto: number;
  ipVersion: number;
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  packets: number;
  bytes: number;
  revPackets: number | null;
  revBytes: number | null;
  tcpFlags: number | null;
  revTcpFlags: number | null;
  icmpType: number | null;
  icmpCode: number | null;
  tos: number | null;
  inIf: number | null;
  outIf: number | null;
  srcAs: number | null;
  dstAs: number | null;
  exporter: string | null;
  sampling: number | null;
  state: string | null;
  history: string | null;
  service: string | null;
  uid: string | null;
  label: string | null;
}

/** Columns a client may sort the flows table by (an allow-list: these map to SQL columns). */
export const FLOW_SORT_COLUMNS = [
  'flow_id', 'start_us', 'end_us', 'duration', 'proto', 'src_ip', 'dst_ip', 'src_port', 'dst_port',
  'packets', 'bytes', 'rev_packets', 'rev_bytes', 'total_bytes', 'total_packets', 'tcp_flags', 'evidence_id', 'state', 'label',
] as const;
export type FlowSortColumn = (typeof FLOW_SORT_COLUMNS)[number];

export interface FlowPage {
  rows: FlowView[];
  /** Total rows matching the filter (not just this page). */
  total: number;
  offset: number;
}

export interface CaseStats {
  flows: number;
  packets: number;
  bytes: number;
  first: string | null;
  last: string | null;
  firstUs: number | null;
  lastUs: number | null;
}

/** A format and the options it declares (core/formats/registry.ts). */
export type FormatInfo = FormatDescription;

export interface ImportFileResult {
  path: string;
  ok: boolean;
  evidenceId?: number;
  format?: string;
  sha256?: string;
  bytes?: number;
  records?: number;
  rejected?: number;
  ms?: number;
  issues?: IssueView[];
  error?: { code: string; message: string; offset?: number };
}

export interface ImportJob {
  jobId: string;
}

export interface ImportProgressEvent {
  jobId: string;
  path: string;
  fileIndex: number;
  fileCount: number;
  bytesRead: number;
  totalBytes: number;
  records: number;
  rejected: number;
  elapsedMs: number;
  recordsPerSecond: number;
  phase: 'hashing' | 'decoding' | 'committing' | 'done';
}

export interface ImportDoneEvent {
  jobId: string;
  results: ImportFileResult[];
  cancelled: boolean;
}

export interface DirEntry {
  name: string;
  path: string;
  kind: 'dir' | 'file';
  size: number;
}

export interface DirListing {
  path: string;
  parent: string | null;
  entries: DirEntry[];
}

export interface AppInfo {
  version: string;
  transport: 'electron' | 'web';
  /** Where the server can list files (web mode) or null when native dialogs exist (Electron). */
  homeDir: string | null;
  platform: string;
}

// ---- analysis views (pivot, overview, sessions, SQL console) --------------------------
// The query layer's result types are JSON-safe already; the contract re-exports them so
// clients import every shape from one place.

export type { HostSummary, PivotPeer, PivotPort, HistogramBin } from '../query/pivot-queries';
export type { TimeSeries, SeriesBin, SeriesSplit, TalkerRow, IncomingPortRow, HostCounts } from '../query/overview-queries';
export type { SessionView } from '../analysis/sessions/session-view';
export type { SessionDetail, SessionFlowRow } from '../analysis/sessions/session-detail';

/** The related-flows page of a pivot (newest first). */
export interface PivotFlowPage {
  rows: FlowView[];
  offset: number;
}

export interface HostHistogramView {
  /** Bin width in microseconds (0 when the host has no flows in the window). */
  binUs: number;
  bins: HistogramBin[];
}

export interface InternalNetworksView {
  /** The case's internal networks (the defaults until someone sets them). */
  networks: string[];
  defaults: string[];
}

/** The SQL console's answer: rows, or why the statement was refused or failed. */
export type SqlRunResult =
  | { ok: true; columns: { name: string; type: string }[]; rows: unknown[][]; truncated: boolean; ms: number }
  | { ok: false; kind: 'refused' | 'error'; message: string };

/** Columns a client may sort the sessions table by (an allow-list, mapped to SQL by the core). */
export const SESSION_SORT_COLUMNS = [
  'ts', 'duration', 'orig_h', 'orig_p', 'resp_h', 'resp_p', 'proto', 'service', 'conn_state', 'orig_pkts', 'resp_pkts',
  'orig_ip_bytes', 'resp_ip_bytes', 'total_bytes', 'total_pkts', 'sightings', 'state_confidence',
] as const;
export type SessionSortColumn = (typeof SESSION_SORT_COLUMNS)[number];

export interface SessionPage {
  rows: SessionView[];
  /** Sessions matching the filter and states (not just this page). */
  total: number;
  offset: number;
}

// ---- argument schemas (validated on every call, whatever the transport) ----------------

const path = z.string().min(1).max(4096);
const filterExpr = z.string().max(10_000).optional();
const addr = z.string().min(1).max(64);
/** A time window: flows starting at or after fromUs and before toUs (UTC microseconds). */
const window = { fromUs: z.number().finite().optional(), toUs: z.number().finite().optional() };

export const ArgSchemas = {
  'app.info': z.object({}).strict(),
  'case.open': z.object({ path, create: z.boolean().optional(), readOnly: z.boolean().optional() }).strict(),
  'case.close': z.object({}).strict(),
  'case.info': z.object({}).strict(),
  'case.recent': z.object({}).strict(),
  'case.setTimeZone': z.object({ timeZone: z.string().min(1).max(64) }).strict(),
  'evidence.list': z.object({}).strict(),
  'formats.list': z.object({}).strict(),
  'import.start': z.object({
    paths: z.array(path).min(1).max(10_000), format: z.string().max(64).optional(), options: z.lazy(() => DecodeOptionsSchema).optional(),
  }).strict(),
  'import.sniff': z.object({ paths: z.array(path).min(1).max(1000) }).strict(),
  'import.preview': z.object({ path, mapping: z.lazy(() => CsvMappingSchema).optional() }).strict(),
  'import.cancel': z.object({ jobId: z.string().max(64) }).strict(),
  'flows.page': z.object({
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(5000),
    sort: z.object({ column: z.enum(FLOW_SORT_COLUMNS), desc: z.boolean() }).optional(),
    filter: filterExpr,
  }).strict(),
  'flows.stats': z.object({ filter: filterExpr }).strict(),
  'fs.list': z.object({ path: path.optional() }).strict(),
  'dialog.openCase': z.object({ create: z.boolean() }).strict(),
  'dialog.pickEvidence': z.object({}).strict(),
  'pivot.host': z.object({ addr, ...window, filter: filterExpr, peerLimit: z.number().int().min(1).max(10_000).optional() }).strict(),
  'pivot.flows': z.object({
    addr, peer: addr.optional(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(5000), ...window, filter: filterExpr,
  }).strict(),
  'pivot.histogram': z.object({ addr, bins: z.number().int().min(1).max(2000).optional(), ...window, filter: filterExpr }).strict(),
  'overview.series': z.object({
    split: z.enum(['total', 'proto', 'service', 'direction']), ...window, filter: filterExpr,
    binUs: z.number().int().min(1_000_000).optional(),
  }).strict(),
  'overview.talkers': z.object({ by: z.enum(['bytes', 'flows']), limit: z.number().int().min(1).max(1000), ...window, filter: filterExpr }).strict(),
  'overview.incoming': z.object({ limit: z.number().int().min(1).max(1000).optional(), ...window, filter: filterExpr }).strict(),
  'overview.counts': z.object({ ...window, filter: filterExpr }).strict(),
  /** Without `networks`: read. With it: replace the list (audit-logged). */
  'settings.internalNetworks': z.object({ networks: z.array(z.string().min(1).max(64)).max(1000).optional() }).strict(),
  'sql.run': z.object({ sql: z.string().min(1).max(100_000), limit: z.number().int().min(1).max(100_000) }).strict(),
  'sessions.page': z.object({
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(5000),
    sort: z.object({ column: z.enum(SESSION_SORT_COLUMNS), desc: z.boolean() }).optional(),
    filter: filterExpr,
    states: z.array(z.string().max(16)).max(32).optional(),
  }).strict(),
  'sessions.detail': z.object({ uid: z.string().min(1).max(64) }).strict(),
} as const;

/**
 * Per-import options the decoders understand (anything else is refused): the keys the
 * loaders declare (FormatLoader.options; a test keeps the two in step).
 */
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

export type ApiMethod = keyof typeof ArgSchemas;
export type ArgsOf<M extends ApiMethod> = z.infer<(typeof ArgSchemas)[M]>;

export interface ResultMap {
  'app.info': AppInfo;
  'case.open': CaseInfo;
  'case.close': { closed: boolean };
  'case.info': CaseInfo | null;
  'case.recent': RecentCase[];
  'case.setTimeZone': CaseInfo;
  'evidence.list': EvidenceView[];
  'formats.list': FormatInfo[];
  'import.start': ImportJob;
  'import.sniff': SniffView[];
  'import.preview': CsvPreviewView;
  'import.cancel': { cancelled: boolean };
  'flows.page': FlowPage;
  'flows.stats': CaseStats;
  'fs.list': DirListing;
  /** Electron: native dialogs. Returns null when the user cancels. */
  'dialog.openCase': { path: string } | null;
  'dialog.pickEvidence': { paths: string[] } | null;
  'pivot.host': HostSummary;
  'pivot.flows': PivotFlowPage;
  'pivot.histogram': HostHistogramView;
  'overview.series': TimeSeries;
  'overview.talkers': TalkerRow[];
  'overview.incoming': IncomingPortRow[];
  'overview.counts': HostCounts;
  'settings.internalNetworks': InternalNetworksView;
  'sql.run': SqlRunResult;
  'sessions.page': SessionPage;
  /** null when the case has no session with that uid. */
  'sessions.detail': SessionDetail | null;
}

export type ResultOf<M extends ApiMethod> = ResultMap[M];

export interface EventMap {
  'import.progress': ImportProgressEvent;
  'import.done': ImportDoneEvent;
  'case.changed': CaseInfo | null;
}
export type ApiEvent = keyof EventMap;

/** An error as every transport reports it. */
export interface ApiErrorBody {
  code: string;
  message: string;
}

/** What a client needs: the same shape over IPC and HTTP. */
export interface ApiClient {
  invoke<M extends ApiMethod>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  on<E extends ApiEvent>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}
