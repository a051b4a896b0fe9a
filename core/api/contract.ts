import { z } from 'zod';

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

export interface FormatInfo {
  id: string;
  label: string;
  extensions: string[];
  patterns: string[];
  positionUnit: 'byte' | 'line';
}

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

// ---- argument schemas (validated on every call, whatever the transport) ----------------

const path = z.string().min(1).max(4096);
const filterExpr = z.string().max(10_000).optional();

export const ArgSchemas = {
  'app.info': z.object({}).strict(),
  'case.open': z.object({ path, create: z.boolean().optional(), readOnly: z.boolean().optional() }).strict(),
  'case.close': z.object({}).strict(),
  'case.info': z.object({}).strict(),
  'case.recent': z.object({}).strict(),
  'case.setTimeZone': z.object({ timeZone: z.string().min(1).max(64) }).strict(),
  'evidence.list': z.object({}).strict(),
  'formats.list': z.object({}).strict(),
  'import.start': z.object({ paths: z.array(path).min(1).max(10_000), format: z.string().max(64).optional() }).strict(),
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
} as const;

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
  'import.cancel': { cancelled: boolean };
  'flows.page': FlowPage;
  'flows.stats': CaseStats;
  'fs.list': DirListing;
  /** Electron: native dialogs. Returns null when the user cancels. */
  'dialog.openCase': { path: string } | null;
  'dialog.pickEvidence': { paths: string[] } | null;
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
