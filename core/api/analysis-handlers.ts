import type { CaseStore } from '../store/case-store';
import type { ApiMethod, ArgsOf, ResultOf } from './contract';

/** The analysis methods (pivot, overview, sessions, SQL console) of the contract. */
export type AnalysisMethod = never;

type Handler<M extends ApiMethod> = (args: ArgsOf<M>) => Promise<ResultOf<M>>;

/**
 * Handlers for the analysis views. Each takes validated arguments (the contract's zod
 * schemas) and the open case; failures are ApiErrors with messages a person can read.
 */
export function analysisHandlers(requireCase: () => CaseStore): { [M in AnalysisMethod]: Handler<M> } {
  void requireCase;
  return {};
}
