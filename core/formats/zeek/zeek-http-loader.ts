import { zeekNamesLoader } from './zeek-name-logs';

/** Zeek's http.log, imported beside conn.log for the names clients used. */
export const zeekHttpLoader = zeekNamesLoader('http');
