import type { z } from 'zod';
import { appMethods } from './contract/app';
import { caseMethods, type CaseEvents } from './contract/cases';
import { contextMethods } from './contract/context';
import { custodyMethods, type CustodyEvents } from './contract/custody';
import { detectionMethods } from './contract/detections';
import { evidenceMethods, type EvidenceEvents } from './contract/evidence';
import { flowMethods } from './contract/flows';
import type { MethodSpec } from './contract/method';
import { pivotMethods } from './contract/pivot';
import { sessionMethods } from './contract/sessions';
import { timelineMethods } from './contract/timeline';

/**
 * The one contract between the UI (or any client) and the core: method name ->
 * validated arguments -> result, plus events. Electron IPC, the web mode and the CLI are
 * thin transports over it. Everything here is JSON-safe: addresses are text, times are
 * UTC microseconds as numbers, counters are numbers, field names are camelCase.
 *
 * Each domain declares its methods in contract/<domain>.ts; this file is the registry.
 * A new domain adds one `export *` line and one line in API_METHODS (and EventMap if it
 * has events), then its handlers in handlers/index.ts. Result types live where they are
 * made (query, analysis, store, ingest) and the domain file re-exports them, so clients
 * import every shape from here.
 */

export * from './contract/app';
export * from './contract/cases';
export * from './contract/context';
export * from './contract/custody';
export * from './contract/detections';
export * from './contract/evidence';
export * from './contract/flows';
export * from './contract/pivot';
export * from './contract/sessions';
export * from './contract/timeline';

/** Every method of the contract, by name. */
export const API_METHODS = {
  ...appMethods,
  ...caseMethods,
  ...contextMethods,
  ...custodyMethods,
  ...detectionMethods,
  ...evidenceMethods,
  ...flowMethods,
  ...pivotMethods,
  ...sessionMethods,
  ...timelineMethods,
};

export type ApiMethod = keyof typeof API_METHODS;
export type ArgsOf<M extends ApiMethod> = z.infer<(typeof API_METHODS)[M]['args']>;
export type ResultOf<M extends ApiMethod> = (typeof API_METHODS)[M] extends MethodSpec<z.ZodType, infer R> ? R : never;

/** Events the core emits to every client, by name. */
export interface EventMap extends CaseEvents, CustodyEvents, EvidenceEvents {}
export type ApiEvent = keyof EventMap;

/** An error as every transport reports it. */
export interface ApiErrorBody {
  code: string;
  message: string;
}

/** What a client needs: the same shape over IPC, HTTP and in-process (the CLI). */
export interface ApiClient {
  invoke<M extends ApiMethod>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  on<E extends ApiEvent>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}
