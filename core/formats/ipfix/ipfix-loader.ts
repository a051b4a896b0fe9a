import type { FormatLoader } from '../decoder';
import { makeRawExportLoader } from '../netflow-export/make-raw-loader';

/** IPFIX (RFC 7011) messages: RFC 5655 IPFIX files and raw UDP payloads. */
export const ipfixLoader: FormatLoader = makeRawExportLoader(
  'ipfix', 'IPFIX messages / IPFIX file', 10, ['.ipfix', '.dat'], ['*.ipfix (RFC 5655 IPFIX file)', '*.dat (raw IPFIX UDP payloads)'],
);
