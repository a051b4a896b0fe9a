import { addressContext, EMPTY_CONTEXT } from '../../enrich/address-context';
import { enrichAddresses, listMmdbFiles } from '../../enrich/address-lookups';
import { importAssetList } from '../../enrich/asset-list';
import { ipToBigInt, parseIp } from '../../model/ip';
import { ApiError } from '../api-error';
import type { contextMethods } from '../contract/context';
import { checkAddress } from './arguments';
import type { HandlerContext, Handlers } from './handler-context';

/** context.*: databases attached to the case, the asset list, and what they say about addresses. */
export function contextHandlers(ctx: HandlerContext): Handlers<keyof typeof contextMethods> {
  return {
    'context.enrich': async (a) => {
      const r = await enrichAddresses(ctx.requireCase(), a.mmdb);
      if (!r.ok) throw new ApiError('bad-database', r.message);
      return r.result;
    },
    'context.databases': async () => listMmdbFiles(ctx.requireCase()),
    'context.importAssets': async (a) => {
      const r = await importAssetList(ctx.requireCase(), a.path);
      if (!r.ok) throw new ApiError('bad-asset-list', r.message);
      return r.result;
    },
    'context.addresses': async (a) => {
      const addrs = a.addrs.map((x) => ipToBigInt(parseIp(checkAddress(x))!));
      const m = await addressContext(ctx.requireCase(), addrs);
      return a.addrs.map((x, i) => ({ addr: x.trim(), ...(m.get(addrs[i]) ?? EMPTY_CONTEXT) }));
    },
  };
}
