import { messageLength } from './export-decoder';

/**
 * The version (5, 9, 10) of the export message at the start of `head`, or 0. The message
 * must be plausible and end where the head ends or where another plausible message
 * starts (or run past a head that is only the start of a longer file).
 */
export function sniffExportVersion(head: Uint8Array, headIsWholeFile: boolean): number {
  if (head.length < 16) return 0;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const len = messageLength(dv, 0, head.length, headIsWholeFile);
  if (len <= 0) return 0;
  if (len > head.length) return headIsWholeFile ? 0 : dv.getUint16(0);
  if (len === head.length) return dv.getUint16(0);
  const next = messageLength(dv, len, head.length, headIsWholeFile);
  if (next < 0) {
    // A single payload followed by padding (some exporters zero-fill) still counts.
    let zeros = true;
    for (let i = len; i < head.length && zeros; i++) zeros = head[i] === 0;
    return zeros ? dv.getUint16(0) : 0;
  }
  return dv.getUint16(0);
}

/** How the ingest layer hands heads over: at most this many bytes. */
export const SNIFF_HEAD_BYTES = 64 * 1024;
