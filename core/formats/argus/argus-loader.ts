import type { FormatLoader } from '../decoder';
import { KEEP_ARP_OPTION } from '../format-options';
import { decodeArgus } from './decode-argus';
import * as W from './argus-layout';

/**
 * How sure the head of a file is an Argus 3 binary file: the initial management record
 * (type MAR, version 3, 32 words) carrying ARGUS_V3_COOKIE in ArgusMarStruct.argusid.
 */
export function sniffArgus(head: Uint8Array, fileName: string): number {
  const byName = /\.(argus|ra)$/i.test(fileName);
  if (head.length < 12) return 0;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const mar = (head[0] & 0xf0) === W.REC_MAR && dv.getUint16(2) * 4 === W.MAR_BYTES;
  if (!mar) return 0;
  const cookie = dv.getUint32(8);
  if ((head[0] & 0x0f) === W.ARGUS_VERSION_3 && cookie === W.ARGUS_V3_COOKIE) return 1;
  // A stream that starts with a later MAR, or an Argus 2 file (decode() explains why not).
  if (cookie === W.ARGUS_V2_COOKIE || (head[0] & 0x0f) === W.ARGUS_VERSION_3) return byName ? 0.8 : 0.5;
  return byName ? 0.3 : 0;
}

/** Argus 3.x binary flow files as written by `argus -w` (and `ra -w`). */
export const argusLoader: FormatLoader = {
  id: 'argus',
  label: 'Argus 3 binary flow file',
  extensions: ['.argus', '.ra'],
  patterns: ['*.argus', 'argus.out', '*.ra'],
  positionUnit: 'byte',
  options: [KEEP_ARP_OPTION],
  sniff: sniffArgus,
  decode: decodeArgus,
};
