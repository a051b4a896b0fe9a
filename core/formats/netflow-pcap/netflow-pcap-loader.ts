import type { FormatLoader } from '../decoder';
import { isCaptureMagic } from '../packets/packet-reader';
import { decodeNetflowPcap } from './decode-netflow-pcap';
import { countExportPackets } from './sniff-export-capture';

/** NetFlow/IPFIX export traffic inside a pcap/pcapng capture. */
export const netflowPcapLoader: FormatLoader = {
  id: 'netflow-pcap',
  label: 'NetFlow/IPFIX export packets in a pcap/pcapng capture',
  extensions: ['.pcap', '.pcapng', '.cap'],
  patterns: ['*.pcap / *.pcapng holding NetFlow v5/v9 or IPFIX export datagrams'],
  positionUnit: 'byte',
  options: [],
  sniff(head: Uint8Array): number {
    if (!isCaptureMagic(head)) return 0;
    const { ip, exports } = countExportPackets(head);
    // Above the plain 'pcap' metering loader (~0.5) only when the capture's head is
    // mostly export traffic; a capture with the odd export packet is metered instead.
    if (exports === 0) return 0;
    return exports * 2 >= ip ? 0.9 : 0.3;
  },
  decode: decodeNetflowPcap,
};
