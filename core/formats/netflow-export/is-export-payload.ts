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

/** UDP ports collectors listen on (NetFlow 2055/2056, 9555, 9991/9992, 9995/9996; IPFIX 4739). */
const EXPORT_PORTS = new Set([2055, 2056, 4739, 9555, 9991, 9992, 9995, 9996]);

/**
 * A UDP payload that starts like a NetFlow v5/v9/IPFIX header (version 5, 9 or 10) on a
 * collector port, but whose header is impossible (a record count beyond the datagram): a
 * broken export datagram. It is rejected as such, as the same bytes are when read from a
 * .dat file, rather than passed over as other UDP traffic (one rule for both paths).
 */
export function isBrokenExportPayload(p: Uint8Array, sport: number, dport: number): boolean {
  if (p.length < 4 || p[0] !== 0 || (p[1] !== 5 && p[1] !== 9 && p[1] !== 10)) return false;
  return (EXPORT_PORTS.has(dport) || EXPORT_PORTS.has(sport)) && !isExportPayload(p);
}
