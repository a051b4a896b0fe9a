import { z } from 'zod';

/** Argument pieces several domains share. */
export const pathArg = z.string().min(1).max(4096);
export const filterArg = z.string().max(10_000).optional();
export const addrArg = z.string().min(1).max(64);
export const noArgs = z.object({}).strict();
/** A time window: flows starting at or after fromUs and before toUs (UTC microseconds). */
export const windowArgs = { fromUs: z.number().finite().optional(), toUs: z.number().finite().optional() };
/**
 * Which evidence a figure counts: 'counted' (default: each conversation once, overlapping
 * evidence de-duplicated), 'all' (every record as imported), or these evidence files' records.
 */
export const evidenceArg = z.union([z.enum(['counted', 'all']), z.array(z.number().int().min(0).max(4_294_967_295)).min(1).max(10_000)]).optional();
/** A page of a table: rows [offset, offset + limit). */
export const pageArgs = { offset: z.number().int().min(0), limit: z.number().int().min(1).max(5000) };
