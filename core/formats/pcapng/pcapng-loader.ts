import type { FormatLoader } from '../decoder';
import { METER_OPTIONS, meterCapture } from '../flow-meter/meter-capture';

/**
 * pcapng captures (several sections, interfaces with their own link types and timestamp
 * resolutions), metered into Zeek-style bidirectional flows.
 */
export const pcapngLoader: FormatLoader = {
  id: 'pcapng',
  label: 'pcapng capture (Wireshark/dumpcap)',
  extensions: ['.pcapng', '.ntar'],
  patterns: ['*.pcapng'],
  positionUnit: 'byte',
  options: METER_OPTIONS,
  sniff(head: Uint8Array, fileName: string): number {
    // §4.1: block type 0x0A0D0D0A then the byte-order magic 0x1A2B3C4D in either order.
    if (head.length >= 12 && head[0] === 0x0a && head[1] === 0x0d && head[2] === 0x0d && head[3] === 0x0a) {
      const bom = (head[8] << 24) | (head[9] << 16) | (head[10] << 8) | head[11];
      if (bom === 0x1a2b3c4d || bom === 0x4d3c2b1a) return 0.5; // netflow-pcap outranks it for export captures
    }
    return /\.pcapng$/i.test(fileName) ? 0.1 : 0;
  },
  decode: meterCapture,
};
