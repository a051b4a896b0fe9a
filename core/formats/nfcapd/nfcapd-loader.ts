import type { FormatLoader } from '../decoder';
import { decodeNfcapd } from './decode-nfcapd';

/**
 * nfdump's binary flow files (nfcapd.YYYYMMDDhhmm): magic 0xA50C little-endian, then the
 * layout version (1 = nfdump 1.6, 2 = nfdump 1.7) — nffile.h / nffileV2.h.
 */
export const nfcapdLoader: FormatLoader = {
  id: 'nfcapd',
  label: 'nfdump / nfcapd file',
  extensions: ['.nfcapd', '.nfdump'],
  patterns: ['nfcapd.YYYYMMDDhhmm', '*.nfcapd'],
  positionUnit: 'byte',
  options: [],
  sniff(head: Uint8Array, fileName: string): number {
    if (head.length >= 4 && head[0] === 0x0c && head[1] === 0xa5 && head[3] === 0 && (head[2] === 1 || head[2] === 2)) return 1;
    return /^nfcapd\.\d{12}/.test(fileName) || fileName.endsWith('.nfcapd') ? 0.1 : 0;
  },
  decode: decodeNfcapd,
};
