import type { ApiMethod } from '../contract';
import { appHandlers } from './app-handlers';
import { casesHandlers } from './cases-handlers';
import { contextHandlers } from './context-handlers';
import { custodyHandlers } from './custody-handlers';
import { detectionsHandlers } from './detections-handlers';
import { evidenceHandlers } from './evidence-handlers';
import { flowsHandlers } from './flows-handlers';
import type { HandlerContext, Handlers } from './handler-context';
import { pivotHandlers } from './pivot-handlers';
import { sessionsHandlers } from './sessions-handlers';
import { timelineHandlers } from './timeline-handlers';

/**
 * Every method's handler, one domain per file. The type makes a method of the contract
 * without a handler a compile error: a new domain adds its <domain>-handlers.ts and one
 * line here.
 */
export function allHandlers(ctx: HandlerContext): Handlers<ApiMethod> {
  return {
    ...appHandlers(ctx),
    ...casesHandlers(ctx),
    ...contextHandlers(ctx),
    ...custodyHandlers(ctx),
    ...detectionsHandlers(ctx),
    ...evidenceHandlers(ctx),
    ...flowsHandlers(ctx),
    ...pivotHandlers(ctx),
    ...sessionsHandlers(ctx),
    ...timelineHandlers(ctx),
  };
}
