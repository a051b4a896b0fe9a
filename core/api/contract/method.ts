import type { z } from 'zod';

/**
 * One method of the contract: the zod schema its arguments are validated against (on every
 * call, whatever the transport) and, as a type only, what it answers.
 */
export interface MethodSpec<A extends z.ZodType = z.ZodType, R = unknown> {
  readonly args: A;
  /** Never set: carries the result type. */
  readonly result?: R;
}

/** Declares a method: `'flows.page': method(z.object({...}).strict()).returns<FlowPage>()`. */
export function method<A extends z.ZodType>(args: A): { returns<R>(): MethodSpec<A, R> } {
  return { returns: () => ({ args }) };
}
