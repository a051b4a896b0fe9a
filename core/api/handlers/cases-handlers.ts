import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_INTERNAL_NETWORKS, getInternalNetworks, setInternalNetworks } from '../../query/internal-networks';
import { ApiError } from '../api-error';
import type { caseMethods } from '../contract/cases';
import type { HandlerContext, Handlers } from './handler-context';

/** case.* and the case's settings. */
export function casesHandlers(ctx: HandlerContext): Handlers<keyof typeof caseMethods> {
  return {
    'case.open': async (a) => {
      const full = resolve(a.path);
      if (!full.toLowerCase().endsWith('.duckdb') && !existsSync(full)) {
        throw new ApiError('bad-case-name', `a new case file must end in .duckdb (${full})`);
      }
      return ctx.openCase(full, a.create ?? true, a.readOnly ?? false);
    },
    'case.close': async () => ({ closed: await ctx.closeCase() }),
    'case.info': async () => ctx.caseInfo(),
    'case.recent': async () => (ctx.recent ? ctx.recent.list() : []),
    'case.setTimeZone': async (a) => {
      const s = ctx.requireCase();
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: a.timeZone });
      } catch {
        throw new ApiError('bad-time-zone', `unknown time zone '${a.timeZone}' (use an IANA name such as Europe/Berlin)`);
      }
      await s.setSetting('time_zone', a.timeZone);
      await s.audit('set-time-zone', { timeZone: a.timeZone });
      const info = (await ctx.caseInfo())!;
      ctx.emit('case.changed', info);
      return info;
    },
    'settings.internalNetworks': async (a) => {
      const s = ctx.requireCase();
      if (a.networks !== undefined) {
        if (s.readOnly) throw new ApiError('read-only', 'this case is open read-only; reopen it with write access to change its settings');
        const r = await setInternalNetworks(s, a.networks.map((x) => x.trim()).filter((x) => x !== ''));
        if (!r.ok) throw new ApiError('bad-network', r.message);
      }
      return { networks: await getInternalNetworks(s), defaults: [...DEFAULT_INTERNAL_NETWORKS] };
    },
  };
}
