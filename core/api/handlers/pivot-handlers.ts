import { flowTimeSeries, hostCounts, incomingConnectionAttempts, incomingProbers, isOverviewFailure, topTalkers } from '../../query/overview-queries';
import { flowsBetween, hostFlows, hostHistogram, hostSummary, isPivotFailure } from '../../query/pivot-queries';
import type { pivotMethods } from '../contract/pivot';
import { checkAddress, displayZone, orBadFilter, windowOf } from './arguments';
import { withFlowNames } from './flow-names';
import type { HandlerContext, Handlers } from './handler-context';

/** pivot.* (one host) and overview.* (the case at a glance); a bad filter says where it went wrong. */
export function pivotHandlers(ctx: HandlerContext): Handlers<keyof typeof pivotMethods> {
  return {
    'pivot.host': async (a) => {
      const opts = { ...windowOf(a), filter: a.filter, evidence: a.evidence, timeZone: await displayZone(ctx), peerLimit: a.peerLimit ?? 1000, portLimit: a.portLimit ?? 200 };
      return orBadFilter(await hostSummary(ctx.requireCase(), checkAddress(a.addr), opts), isPivotFailure);
    },
    'pivot.flows': async (a) => {
      const s = ctx.requireCase();
      const opts = { ...windowOf(a), filter: a.filter, evidence: a.evidence, timeZone: await displayZone(ctx), offset: a.offset, limit: a.limit };
      const r = a.peer
        ? await flowsBetween(s, checkAddress(a.addr), checkAddress(a.peer, 'address (peer)'), opts)
        : await hostFlows(s, checkAddress(a.addr), opts);
      return withFlowNames(s, orBadFilter(r, isPivotFailure));
    },
    'pivot.histogram': async (a) => {
      const r = await hostHistogram(ctx.requireCase(), checkAddress(a.addr), { ...windowOf(a), bins: a.bins ?? 120, filter: a.filter, evidence: a.evidence, timeZone: await displayZone(ctx) });
      return orBadFilter(r, isPivotFailure);
    },
    'overview.series': async (a) => {
      const r = await flowTimeSeries(ctx.requireCase(), { ...windowOf(a), filter: a.filter, evidence: a.evidence, timeZone: await displayZone(ctx), split: a.split, binUs: a.binUs });
      return orBadFilter(r, isOverviewFailure);
    },
    'overview.talkers': async (a) => {
      const r = await topTalkers(ctx.requireCase(), { ...windowOf(a), filter: a.filter, evidence: a.evidence, timeZone: await displayZone(ctx), by: a.by, limit: a.limit });
      return orBadFilter(r, isOverviewFailure);
    },
    'overview.incoming': async (a) => {
      const r = await incomingConnectionAttempts(ctx.requireCase(), { ...windowOf(a), filter: a.filter, evidence: a.evidence, timeZone: await displayZone(ctx), limit: a.limit ?? 50 });
      return orBadFilter(r, isOverviewFailure);
    },
    'overview.probers': async (a) => {
      const r = await incomingProbers(ctx.requireCase(), { ...windowOf(a), filter: a.filter, evidence: a.evidence, timeZone: await displayZone(ctx), limit: a.limit ?? 10 });
      return orBadFilter(r, isOverviewFailure);
    },
    'overview.counts': async (a) => {
      const r = await hostCounts(ctx.requireCase(), { ...windowOf(a), filter: a.filter, evidence: a.evidence, timeZone: await displayZone(ctx) });
      return orBadFilter(r, isOverviewFailure);
    },
  };
}
