import { backscatter } from './backscatter';
import { beacon } from './beacon';
import { bruteForce } from './brute-force';
import type { Detector } from './detector';
import { dnsTunnel } from './dns-tunnel';
import { exfiltration } from './exfiltration';
import { icmpFlood, synFlood, udpFlood } from './flood';
import { hostScan } from './host-scan';
import { newHost, newService } from './host-profile';
import { lateralMovement } from './lateral-movement';
import { longConnection } from './long-connection';
import { portScan } from './port-scan';
import { slowScan } from './slow-scan';
import { stealthScan } from './stealth-scan';

/** Every detector, in the order runs execute them; each with its version and default thresholds (one per kind). */
export const DETECTORS: readonly Detector[] = [
  portScan, hostScan, stealthScan, slowScan, bruteForce, synFlood, udpFlood, icmpFlood, backscatter, beacon, longConnection,
  exfiltration, dnsTunnel, newHost, newService, lateralMovement,
];
