import type { PdfResult } from '../../report/pdf';
import type { FlowPager } from '../../query/flow-pager';
import type { CaseStore } from '../../store/case-store';
import type { RecentCases } from '../../store/recent-cases';
import type { ApiEvent, ApiMethod, ArgsOf, CaseInfo, EventMap, ResultOf } from '../contract';
import type { CustodyMonitor } from '../custody-monitor';
import type { ImportJobs } from '../import-jobs';

/** Native dialogs, provided only by the Electron transport. */
export interface NativeDialogs {
  openCase(create: boolean): Promise<string | null>;
  pickEvidence(): Promise<string[] | null>;
}

/** What a service runs in: which transport, and what that transport provides. */
export interface ServiceOptions {
  transport: 'electron' | 'web' | 'cli';
  /** How this transport prints a report to PDF (Electron: printToPDF); default headless Chromium. */
  printPdf?: (htmlPath: string, pdfPath: string) => Promise<PdfResult>;
  dialogs?: NativeDialogs;
  /** The user's recent cases; null keeps none (the CLI). */
  recent?: RecentCases | null;
  /** DuckDB memory limit for opened cases. */
  memoryLimit?: string;
}

/**
 * What handlers get from the service: the open case and its caches, events, and the
 * case's lifecycle. Handlers hold no state of their own across cases.
 */
export interface HandlerContext {
  readonly options: ServiceOptions;
  readonly recent: RecentCases | null;
  readonly imports: ImportJobs;
  /** Files being imported: picked in a dialog, uploaded, or sniffed as CSV; only these may be previewed. */
  allowImportPath(path: string): void;
  isImportPath(path: string): boolean;
  /** Verifications of the open case (the file check on open, checks on demand). */
  readonly custody: CustodyMonitor;
  /** The open case, or an ApiError a person understands. */
  requireCase(): CaseStore;
  /** The open case's flows pager (its cached orderings). */
  flowPager(): FlowPager;
  openCase(path: string, create?: boolean, readOnly?: boolean): Promise<CaseInfo>;
  closeCase(): Promise<boolean>;
  caseInfo(): Promise<CaseInfo | null>;
  /** After the flows changed (an import): drops the cached orderings and counts. */
  flowsChanged(): Promise<void>;
  emit<E extends ApiEvent>(event: E, payload: EventMap[E]): void;
}

/** The handlers of a set of methods: validated arguments in, the method's result out. */
export type Handlers<M extends ApiMethod> = { [K in M]: (args: ArgsOf<K>) => Promise<ResultOf<K>> };
