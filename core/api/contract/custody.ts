import { z } from 'zod';
import type { CaseVerification, VerifyProgress } from '../../custody/verify-case';
import { method } from './method';

/** Custody (#14): verifying the case end to end, and the verification the app runs on open. */

export type { CaseVerification, CustodyCheck, CustodyFinding, FileCheck, VerifyProgress } from '../../custody/verify-case';

/** The latest verification of the open case, and one under way. */
export interface CustodyStatus {
  running: boolean;
  progress: VerifyProgress | null;
  last: CaseVerification | null;
}

export interface CustodyProgressEvent extends VerifyProgress {
  running: boolean;
}

export const custodyMethods = {
  /**
   * Verifies the open case (all checks unless `checks` names some) and waits for the result.
   * With write access the result is stored as a `custody.verify` audit entry.
   */
  'custody.verify': method(z.object({
    checks: z.array(z.enum(['files', 'rows', 'chain', 'schema'])).min(1).max(4).optional(),
  }).strict()).returns<CaseVerification>(),
  /** What the background check started on open found so far. */
  'custody.status': method(z.object({}).strict()).returns<CustodyStatus>(),
  'custody.cancel': method(z.object({}).strict()).returns<{ cancelled: boolean }>(),
};

export interface CustodyEvents {
  'custody.progress': CustodyProgressEvent;
  'custody.done': CaseVerification;
}
