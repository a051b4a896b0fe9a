import { z } from 'zod';
import type { AddressContext } from '../../enrich/address-context';
import type { AssetImportResult } from '../../enrich/asset-list';
import type { EnrichResult, MmdbFileInfo } from '../../enrich/address-lookups';
import { method } from './method';
import { addrArg, pathArg } from './common';

/** Context for addresses: MaxMind-format databases, names clients used, the asset list. */

export type { AddressContext, AssetInfo } from '../../enrich/address-context';
export type { AssetImportResult } from '../../enrich/asset-list';
export type { EnrichResult, MmdbFileInfo } from '../../enrich/address-lookups';

/** One address with its context. */
export interface AddressContextView extends AddressContext {
  addr: string;
}

export const contextMethods = {
  /** Attaches the databases (none: refresh with those attached) and looks up every address of the case. */
  'context.enrich': method(z.object({ mmdb: z.array(pathArg).max(32) }).strict()).returns<EnrichResult>(),
  'context.databases': method(z.object({}).strict()).returns<MmdbFileInfo[]>(),
  /** Replaces the case's asset list with a CSV file's entries. */
  'context.importAssets': method(z.object({ path: pathArg }).strict()).returns<AssetImportResult>(),
  'context.addresses': method(z.object({ addrs: z.array(addrArg).max(5000) }).strict()).returns<AddressContextView[]>(),
};
