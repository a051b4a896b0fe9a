import type { FormatLoader } from '../decoder';
import { decodeExportStream } from './decode-export-stream';
import { SNIFF_HEAD_BYTES, sniffExportVersion } from './sniff-export';

/** A loader for raw export datagram files whose first message has the given version. */
export function makeRawExportLoader(id: string, label: string, version: 5 | 9 | 10, extensions: string[], patterns: string[]): FormatLoader {
  return {
    id,
    label,
    extensions,
    patterns,
    positionUnit: 'byte',
    options: [],
    sniff(head: Uint8Array, fileName: string): number {
      const lower = fileName.toLowerCase();
      const named = extensions.some((e) => lower.endsWith(e));
      if (sniffExportVersion(head, head.length < SNIFF_HEAD_BYTES) !== version) {
        // A broken datagram still starts with its version: claim it weakly by name, so
        // that its import reports the bad header instead of an unknown format.
        return named && head.length >= 4 && ((head[0] << 8) | head[1]) === version ? 0.2 : 0;
      }
      return named ? 0.9 : 0.8;
    },
    decode: decodeExportStream,
  };
}
