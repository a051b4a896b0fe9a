import { writeFileSync } from 'node:fs';
import { pcapFile, TcpConversation, type CapturedPacket } from './pcap-writer';

/** 2024-03-12T09:00:00Z in µs. */
const T0 = 1_710_234_000_000_000;
const MIN = 60_000_000;

export const BREACH = { victim: '10.0.0.5', attacker: '203.0.113.9', exfil: '198.51.100.7', t0Us: T0 } as const;

/**
 * A capture of a small breach, built packet by packet (Ethernet/IPv4, valid checksums):
 * 09:00 the attacker's SYNs to 30 ports of the victim are refused (RST), 09:05 its SSH
 * session to the victim works (handshake, 40 kB each way, FIN), 09:20 the victim sends
 * 400 kB to an outside host on 443.
 */
export function writeBreachCapture(path: string): void {
  writeFileSync(path, pcapFile(breachPackets(), { linkType: 1 }));
}

/** The packets of writeBreachCapture(), in time order. */
export function breachPackets(): CapturedPacket[] {
  const packets: CapturedPacket[] = [];
  const { victim, attacker, exfil } = BREACH;
  for (let i = 0; i < 30; i++) {
    const c = new TcpConversation(attacker, victim, 40000 + i, 20 + i * 3, T0 + i * 200_000);
    c.send('c', 'S').send('s', 'RA');
    packets.push(...c.packets);
  }
  const ssh = new TcpConversation(attacker, victim, 41000, 22, T0 + 5 * MIN);
  ssh.send('c', 'S').send('s', 'SA').send('c', 'A');
  for (let i = 0; i < 30; i++) ssh.send('c', 'PA', 1400, { dtUs: 2_000_000 }).send('s', 'PA', 1400).send('c', 'A');
  ssh.send('c', 'FA').send('s', 'FA').send('c', 'A');
  packets.push(...ssh.packets);
  const out = new TcpConversation(victim, exfil, 52000, 443, T0 + 20 * MIN);
  out.send('c', 'S').send('s', 'SA').send('c', 'A');
  for (let i = 0; i < 290; i++) { out.send('c', 'PA', 1400, { dtUs: 20_000 }); if (i % 2) out.send('s', 'A'); }
  out.send('c', 'FA').send('s', 'FA').send('c', 'A');
  packets.push(...out.packets);
  packets.sort((a, b) => a.tsUs - b.tsUs);
  return packets;
}
