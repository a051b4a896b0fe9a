import { messageLength } from './export-decoder';

/**
 * True when a UDP payload is a NetFlow v5/v9/IPFIX message: a plausible header whose
 * message fills the payload, or is followed by another message or by zero fill.
 */
export function isExportPayload(p: Uint8Array): boolean {
  if (p.length < 20) return false;
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const len = messageLength(dv, 0, p.length, true);
  if (len <= 0 || len > p.length) return false;
  if (len === p.length) return true;
  if (messageLength(dv, len, p.length, true) > 0) return true;
  for (let i = len; i < p.length; i++) if (p[i] !== 0) return false;
  return true;
}
