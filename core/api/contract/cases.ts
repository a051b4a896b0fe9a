import { z } from 'zod';
import type { RecentCase } from '../../store/recent-cases';
import { method } from './method';
import { noArgs, pathArg } from './common';

/** Cases: open, close, what is open, recent cases, and the case's settings. */

export type { RecentCase } from '../../store/recent-cases';

export interface CaseInfo {
  path: string;
  name: string;
  readOnly: boolean;
  schemaVersion: number;
  evidenceCount: number;
  flows: number;
  firstUs: number | null;
  lastUs: number | null;
  timeZone: string;
  /** Evidence whose derived tables (sessions, host index, bins) are not rebuilt yet (#14); 0 when current. */
  derivedStale: number;
}

export interface InternalNetworksView {
  /** The case's internal networks (the defaults until someone sets them). */
  networks: string[];
  defaults: string[];
}

export const caseMethods = {
  'case.open': method(z.object({ path: pathArg, create: z.boolean().optional(), readOnly: z.boolean().optional() }).strict()).returns<CaseInfo>(),
  'case.close': method(noArgs).returns<{ closed: boolean }>(),
  'case.info': method(noArgs).returns<CaseInfo | null>(),
  'case.recent': method(noArgs).returns<RecentCase[]>(),
  'case.setTimeZone': method(z.object({ timeZone: z.string().min(1).max(64) }).strict()).returns<CaseInfo>(),
  /** Without `networks`: read. With it: replace the list (audit-logged). */
  'settings.internalNetworks': method(
    z.object({ networks: z.array(z.string().min(1).max(64)).max(1000).optional() }).strict(),
  ).returns<InternalNetworksView>(),
};

export interface CaseEvents {
  'case.changed': CaseInfo | null;
}
