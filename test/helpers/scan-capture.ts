import { writeFileSync } from 'node:fs';
import { BREACH, breachPackets } from './breach-capture';
import { pcapFile, TcpConversation, type CapturedPacket } from './pcap-writer';

export const FIN_SCAN = {
  scanner: '203.0.113.66',
  /** 2024-03-12T09:30:00Z: 05:30 in New York (EDT). */
  t0Us: BREACH.t0Us + 30 * 60_000_000,
  ports: 40,
  /** Ports 1..closed answer RST; the rest (open, or filtered) say nothing. */
  closed: 25,
} as const;

/**
 * The breach capture (30 refused SYNs at 09:00, the SSH login at 09:05, the transfer out at
 * 09:20, all UTC) plus a FIN scan at 09:30 from another outside host: 40 ports of the
 * victim probed with a bare FIN, 25 closed ones answer RST+ACK, 15 stay silent.
 */
export function writeScanCapture(path: string): void {
  const packets: CapturedPacket[] = [...breachPackets()];
  for (let i = 0; i < FIN_SCAN.ports; i++) {
    const c = new TcpConversation(FIN_SCAN.scanner, BREACH.victim, 45000 + i, 100 + i, FIN_SCAN.t0Us + i * 100_000);
    c.send('c', 'F');
    if (i < FIN_SCAN.closed) c.send('s', 'RA');
    packets.push(...c.packets);
  }
  packets.sort((a, b) => a.tsUs - b.tsUs);
  writeFileSync(path, pcapFile(packets, { linkType: 1 }));
}
