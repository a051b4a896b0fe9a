import type { FormatLoader } from '../decoder';
import { METER_OPTIONS, meterCapture } from '../flow-meter/meter-capture';
import { parsePcapHeader } from './pcap-layout';

/**
 * Classic libpcap captures (both byte orders, µs and ns timestamps), metered into
 * Zeek-style bidirectional flows. Positions are byte offsets of each flow's first packet record.
 */
export const pcapLoader: FormatLoader = {
  id: 'pcap',
  label: 'pcap capture (libpcap/tcpdump)',
  extensions: ['.pcap', '.cap', '.dmp'],
  patterns: ['*.pcap', '*.cap'],
  positionUnit: 'byte',
  options: METER_OPTIONS,
  sniff(head: Uint8Array, fileName: string): number {
    // 0.5, not 1: a capture that is mostly NetFlow/IPFIX export traffic is better read by netflow-pcap.
    if (parsePcapHeader(head) !== null) return 0.5;
    return /\.(pcap|cap)$/i.test(fileName) ? 0.1 : 0;
  },
  decode: meterCapture,
};
