import { zeekNamesLoader } from './zeek-name-logs';

/** Zeek's dns.log, imported beside conn.log for the names clients used. */
export const zeekDnsLoader = zeekNamesLoader('dns');
