import type { FormatLoader } from '../decoder';
import { makeRawExportLoader } from '../netflow-export/make-raw-loader';

/** Raw NetFlow v5 export datagrams (one UDP payload per file, or several back to back). */
export const netflowV5Loader: FormatLoader = makeRawExportLoader(
  'netflow-v5', 'NetFlow v5 datagrams', 5, ['.dat', '.nf5'], ['*.dat (raw NetFlow v5 UDP payloads)'],
);
