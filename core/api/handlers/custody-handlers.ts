import { ALL_CHECKS } from '../../custody/verify-case';
import { ApiError } from '../api-error';
import type { custodyMethods } from '../contract/custody';
import type { HandlerContext, Handlers } from './handler-context';

/** custody.*: verifying the open case (#14). */
export function custodyHandlers(ctx: HandlerContext): Handlers<keyof typeof custodyMethods> {
  return {
    'custody.verify': async (a) => {
      const result = await ctx.custody.run(ctx.requireCase(), [...(a.checks ?? ALL_CHECKS)]);
      if (!result) throw new ApiError('cancelled', 'the verification was cancelled', 409);
      return result;
    },
    'custody.status': async () => {
      ctx.requireCase();
      return ctx.custody.status();
    },
    'custody.cancel': async () => ({ cancelled: ctx.custody.cancel() }),
  };
}
