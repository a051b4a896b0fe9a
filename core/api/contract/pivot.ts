import { z } from 'zod';
import type { HostCounts, IncomingPortRow, ProberRow, TalkerRow, TimeSeries } from '../../query/overview-queries';
import type { HostFlowPage, HostHistogram, HostSummary } from '../../query/pivot-queries';
import { method } from './method';
import { addrArg, evidenceArg, filterArg, windowArgs } from './common';

/** Pivot (everything about one host) and the overview (the case at a glance). */

export type { HostSummary, PivotPeer, PivotPort, HistogramBin } from '../../query/pivot-queries';
export type { TimeSeries, SeriesBin, SeriesSplit, TalkerRow, IncomingPortRow, ProberRow, HostCounts } from '../../query/overview-queries';
/** The related-flows page of a pivot (newest first). */
export type PivotFlowPage = HostFlowPage;
export type HostHistogramView = HostHistogram;

const limit = (max: number) => z.number().int().min(1).max(max);

export const pivotMethods = {
  'pivot.host': method(z.object({
    addr: addrArg, ...windowArgs, filter: filterArg, evidence: evidenceArg, peerLimit: limit(10_000).optional(), portLimit: limit(10_000).optional(),
  }).strict()).returns<HostSummary>(),
  'pivot.flows': method(z.object({
    addr: addrArg, peer: addrArg.optional(), offset: z.number().int().min(0), limit: limit(5000), ...windowArgs, filter: filterArg, evidence: evidenceArg,
  }).strict()).returns<PivotFlowPage>(),
  'pivot.histogram': method(z.object({ addr: addrArg, bins: limit(2000).optional(), ...windowArgs, filter: filterArg, evidence: evidenceArg }).strict()).returns<HostHistogramView>(),
  'overview.series': method(z.object({
    split: z.enum(['total', 'proto', 'service', 'direction']), ...windowArgs, filter: filterArg, evidence: evidenceArg,
    binUs: z.number().int().min(1_000_000).optional(),
  }).strict()).returns<TimeSeries>(),
  'overview.talkers': method(z.object({ by: z.enum(['bytes', 'flows']), limit: limit(1000), ...windowArgs, filter: filterArg, evidence: evidenceArg }).strict()).returns<TalkerRow[]>(),
  'overview.incoming': method(z.object({ limit: limit(1000).optional(), ...windowArgs, filter: filterArg, evidence: evidenceArg }).strict()).returns<IncomingPortRow[]>(),
  'overview.probers': method(z.object({ limit: limit(1000).optional(), ...windowArgs, filter: filterArg, evidence: evidenceArg }).strict()).returns<ProberRow[]>(),
  'overview.counts': method(z.object({ ...windowArgs, filter: filterArg, evidence: evidenceArg }).strict()).returns<HostCounts>(),
};
