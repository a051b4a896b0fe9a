import type { FormatLoader } from '../decoder';
import { makeRawExportLoader } from '../netflow-export/make-raw-loader';

/** Raw NetFlow v9 (RFC 3954) export datagrams, one per file or back to back. */
export const netflowV9Loader: FormatLoader = makeRawExportLoader(
  'netflow-v9', 'NetFlow v9 datagrams', 9, ['.dat', '.nf9'], ['*.dat (raw NetFlow v9 UDP payloads)'],
);
