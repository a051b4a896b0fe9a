import { zeekNamesLoader } from './zeek-name-logs';

/** Zeek's ssl.log, imported beside conn.log for the names clients used. */
export const zeekSslLoader = zeekNamesLoader('ssl');
