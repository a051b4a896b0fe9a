/**
 * Pure functions of the core that the renderer runs too, so that a rule is written once:
 * the renderer may import core/ only through this module (and the contract, as types). Add
 * here only what is free of Node, DuckDB and zod: it goes into the browser bundle.
 */

/** The IPAudit date rule: the day (and interval start) a file's time-of-day columns belong to. */
export { ipauditDay, type IpauditDay } from '../formats/ipaudit/ipaudit-date';
