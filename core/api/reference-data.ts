/**
 * Pure tables and helpers the renderer shares with the core: no I/O, no Node, safe to bundle.
 * The renderer imports these (and the contract's types) instead of reaching into the layers,
 * so that a rule is written once.
 */
/** The IPAudit date rule: the day (and interval start) a file's time-of-day columns belong to. */
export { ipauditDay, type IpauditDay } from '../formats/ipaudit/ipaudit-date';
