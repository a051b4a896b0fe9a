/**
 * A benign office network, hours long, with attacks mixed in at chosen times: the detection
 * tests' scenario generator. Flows are written straight into a case (victim-case.ts's
 * writeEvidence), either as bidirectional records with TCP flags (pcap, Argus, Zeek),
 * as unidirectional NetFlow records with flags, or as unidirectional records without flags
 * (VPC logs, exporters without flags). Everything random comes from the seed.
 *
 * Benign: 40 workstations browsing (DNS then HTTPS to a CDN pool), a site resolver with
 * upstream forwarders, NTP, a monitoring server polling every host each minute (ICMP, SNMP,
 * HTTPS), nightly backups to a NAS, OS updates and video (large inbound), a mail server
 * (SMTP in and out, IMAP from workstations every 5 minutes), a peer-to-peer client (hundreds
 * of peers, high ports, both ways, many failing).
 */
import type { DetectionKind } from '../../core/analysis/detect/detection-types';
import type { CaseStore } from '../../core/store/case-store';
import { BASE_S, writeEvidence, type VFlow } from './victim-case';
import { mulberry32 } from './seeded-random';

const FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16, URG = 32;

export type RecordStyle = 'bidirectional' | 'netflow' | 'netflow-noflags';

export interface PlannedAttack {
  kind: DetectionKind;
  /** Seconds after the scenario start of the attack's first flow. */
  at: number;
  src: string | null;
  dst: string | null;
}

export interface Scenario {
  flows: VFlow[];
  attacks: PlannedAttack[];
  hours: number;
}

const rng = mulberry32;

export const NET = {
  resolver: '10.1.0.53', ntp: '10.1.0.123', mail: '10.1.0.25', nas: '10.1.0.100', monitor: '10.1.0.200', files: '10.1.0.30',
  web: '10.1.0.80', p2p: '10.1.1.77',
};
const WORKSTATIONS = Array.from({ length: 60 }, (_, i) => `10.1.1.${10 + i}`);
const SERVERS = [NET.resolver, NET.ntp, NET.mail, NET.nas, NET.files, NET.web, '10.1.0.22', '10.1.0.31', '10.1.0.81', '10.1.0.82'];

/** Everything the generator writes, keyed by what the tests inject. */
export const ACTORS = {
  portScanner: '203.0.113.50', portScanTarget: NET.files,
  sweeper: '10.1.1.20',
  slowScanner: '198.51.100.23',
  bruter: '203.0.113.77', bruteTarget: '10.1.0.22',
  synFloodTarget: NET.web, udpFloodTarget: '10.1.0.81', udpFlooder: '198.18.5.5', icmpFloodTarget: '10.1.0.82', icmpFlooder: '198.18.6.6',
  backscatterSource: '192.0.2.99',
  beaconHost: '10.1.1.33', c2: '185.100.87.1',
  exfilHost: '10.1.1.44', dropZone: '45.77.1.9',
  tunnelHost: '10.1.1.55', tunnelResolver: '91.200.1.1',
  newHost: '10.1.2.99',
  serviceHost: '10.1.1.30',
  lateralHost: '10.1.1.21',
  stealthScanner: '203.0.113.60', stealthTarget: '10.1.0.31',
  longHost: '10.1.1.66', longPeer: '104.16.0.5',
};

class Gen {
  readonly flows: VFlow[] = [];
  private port = 20000;
  constructor(readonly r: () => number) {}
  int(lo: number, hi: number): number { return lo + Math.floor(this.r() * (hi - lo + 1)); }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.r() * xs.length)]; }
  eph(): number { this.port = this.port >= 65000 ? 20000 : this.port + 1; return this.port; }
  /** A random public address (never private, loopback, CGNAT or multicast space). */
  publicIp(): string {
    for (;;) {
      const a = this.int(1, 223);
      if ([10, 100, 127, 169, 172, 192].includes(a)) continue;
      return `${a}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
    }
  }
  /** A TCP conversation that works: handshake, data both ways, FIN. */
  tcp(c: string, s: string, dp: number, t0: number, dur: number, outB: number, inB: number): void {
    const pk = (b: number) => Math.max(3, Math.ceil(b / 1400));
    this.flows.push({ src: c, dst: s, sp: this.eph(), dp, t0, t1: t0 + dur, pkts: pk(outB), bytes: outB, flags: SYN | ACK | PSH | FIN,
      revPkts: pk(inB), revBytes: inB, revFlags: SYN | ACK | PSH | FIN });
  }
  /** A SYN answered by RST (closed port), or by nothing. */
  refused(c: string, s: string, dp: number, t0: number, answered: boolean, sp = this.eph()): void {
    this.flows.push({ src: c, dst: s, sp, dp, t0, t1: t0 + 0.001, pkts: 1, bytes: 44, flags: SYN,
      ...(answered ? { revPkts: 1, revBytes: 40, revFlags: RST | ACK } : {}) });
  }
  /** A SYN answered by SYN-ACK then reset by the prober (open port, half-open scan). */
  open(c: string, s: string, dp: number, t0: number, sp = this.eph()): void {
    this.flows.push({ src: c, dst: s, sp, dp, t0, t1: t0 + 0.002, pkts: 2, bytes: 84, flags: SYN | RST, revPkts: 1, revBytes: 44, revFlags: SYN | ACK });
  }
  udp(c: string, s: string, dp: number, t0: number, outB: number, inB: number | null, pkts = 1): void {
    this.flows.push({ src: c, dst: s, sp: this.eph(), dp, proto: 17, t0, t1: t0 + 0.01 * pkts, pkts, bytes: outB,
      ...(inB !== null ? { revPkts: pkts, revBytes: inB } : {}) });
  }
  ping(c: string, s: string, t0: number, answered: boolean, pkts = 1): void {
    this.flows.push({ src: c, dst: s, sp: 0, dp: 0, proto: 1, icmpType: 8, icmpCode: 0, t0, t1: t0 + 0.001 * pkts, pkts, bytes: 84 * pkts,
      ...(answered ? { revPkts: pkts, revBytes: 84 * pkts } : {}) });
  }
}

const ext = (g: Gen, pool: string[]) => g.pick(pool);

/** The benign traffic's parts (a test may ask for some only). */
export const BENIGN_PARTS = ['workstations', 'resolver', 'ntp', 'monitoring', 'mail', 'files', 'p2p'] as const;
export type BenignPart = (typeof BENIGN_PARTS)[number];

function benign(g: Gen, hours: number, parts: ReadonlySet<BenignPart>): void {
  const end = hours * 3600;
  const cdn = Array.from({ length: 200 }, (_, i) => `151.101.${Math.floor(i / 50)}.${(i % 50) + 1}`);
  const upstream = ['8.8.8.8', '1.1.1.1', '9.9.9.9'];
  const updates = ['13.107.4.50', '23.55.1.10', '91.189.91.38'];
  const mta = Array.from({ length: 60 }, (_, i) => `209.85.${i % 5}.${i + 10}`);
  for (const w of parts.has('workstations') ? WORKSTATIONS : []) {
    // Browsing: a DNS lookup then HTTPS, every 20–180 s while at work.

    for (let t = g.int(0, 120); t < end; t += g.int(20, 180)) {
      g.udp(w, NET.resolver, 53, t, g.int(60, 90), g.int(100, 300));
      g.tcp(w, ext(g, cdn), 443, t + 0.05, g.int(1, 30), g.int(600, 4000), g.int(5_000, 800_000));
    }
    // NTP to the site server every 1024 s, IMAP to the mail server every 5 minutes.
    for (let t = g.int(0, 1024); t < end; t += 1024) g.udp(w, NET.ntp, 123, t, 76, 76);
    for (let t = g.int(0, 300); t < end; t += 300) g.tcp(w, NET.mail, 993, t, g.int(1, 3), g.int(800, 2000), g.int(1000, 60_000));
    // Nightly backup to the NAS (large, internal) and an update or video download (large, inbound).
    g.tcp(w, NET.nas, 445, g.int(0, hours * 3600 - 1800), g.int(300, 900), g.int(50e6, 300e6), g.int(100_000, 500_000));
    if (g.r() < 0.5) g.tcp(w, ext(g, updates), 443, g.int(0, end - 900), g.int(60, 600), g.int(20_000, 200_000), g.int(50e6, 400e6));
    if (g.r() < 0.2) for (let k = 0, t = g.int(0, end - 3600); k < 6; k++, t += 600) g.tcp(w, ext(g, cdn), 443, t, 600, 200_000, 150e6);
  }
  // The resolver forwards some lookups upstream.
  if (parts.has('resolver')) for (let t = 0; t < end; t += g.int(1, 6)) g.udp(NET.resolver, ext(g, upstream), 53, t, g.int(70, 100), g.int(120, 400));
  // The NTP server follows the pool every 64 s.
  if (parts.has('ntp')) for (let t = g.int(0, 64); t < end; t += 64) g.udp(NET.ntp, '162.159.200.1', 123, t, 76, 76);
  // Monitoring: every host every minute (ICMP echo, SNMP), servers' HTTPS too.
  if (parts.has('monitoring')) for (let t = g.int(0, 59); t < end; t += 60) {
    for (const h of [...WORKSTATIONS, ...SERVERS]) {
      g.ping(NET.monitor, h, t + g.r() * 5, true);
      g.udp(NET.monitor, h, 161, t + 5 + g.r() * 5, 90, 180);
    }
    for (const h of SERVERS) g.tcp(NET.monitor, h, 443, t + 10 + g.r() * 5, 0.2, 700, 3000);
  }
  // Mail: SMTP in from many MTAs, out to some.
  if (parts.has('mail')) for (let t = g.int(0, 30); t < end; t += g.int(10, 60)) g.tcp(ext(g, mta), NET.mail, 25, t, g.int(1, 5), g.int(3_000, 200_000), g.int(500, 1500));
  if (parts.has('mail')) for (let t = g.int(0, 60); t < end; t += g.int(30, 120)) g.tcp(NET.mail, ext(g, mta), 25, t, g.int(1, 5), g.int(3_000, 200_000), g.int(500, 1500));
  // The file server: SMB from workstations.
  if (parts.has('files')) for (let t = g.int(0, 60); t < end; t += g.int(5, 40)) g.tcp(g.pick(WORKSTATIONS), NET.files, 445, t, g.int(1, 60), g.int(2_000, 200_000), g.int(2_000, 5e6));
  // Peer-to-peer: hundreds of peers on their own high ports, TCP and UDP, half failing; peers connecting in.
  const peers = Array.from({ length: 400 }, () => ({ ip: g.publicIp(), port: g.int(1025, 65000) }));
  if (parts.has('p2p')) for (let t = g.int(0, 10); t < end; t += g.int(2, 20)) {
    const p = g.pick(peers);
    const roll = g.r();
    if (roll < 0.5) g.udp(NET.p2p, p.ip, p.port, t, g.int(100, 400), g.r() < 0.5 ? g.int(100, 800) : null);
    else if (roll < 0.75) g.refused(NET.p2p, p.ip, p.port, t, g.r() < 0.3);
    else g.tcp(NET.p2p, p.ip, p.port, t, g.int(5, 300), g.int(10_000, 2e6), g.int(10_000, 5e6));
    if (g.r() < 0.3) g.tcp(p.ip, NET.p2p, 51413, t + 1, g.int(5, 300), g.int(10_000, 2e6), g.int(10_000, 5e6));
  }
}

/** Each attack pattern, injected at a chosen time; returns who should be named. */
const ATTACKS: Record<string, (g: Gen, at: number, hours: number) => PlannedAttack> = {
  port_scan(g, at) {
    const { portScanner: a, portScanTarget: v } = ACTORS;
    const ports = Array.from({ length: 1024 }, (_, i) => i + 1);
    ports.forEach((p, i) => ([22, 80, 443].includes(p) ? g.open(a, v, p, at + i * 0.04, 61000) : g.refused(a, v, p, at + i * 0.04, true, 61000)));
    return { kind: 'port_scan', at, src: a, dst: v };
  },
  host_scan(g, at) {
    const a = ACTORS.sweeper;
    for (let i = 1; i < 255; i++) {
      const h = `10.1.3.${i}`;
      if (i % 17 === 0) g.open(a, h, 445, at + i * 0.2);
      else g.refused(a, h, 445, at + i * 0.2, false);
    }
    return { kind: 'host_scan', at, src: a, dst: null };
  },
  slow_scan(g, at, hours) {
    const a = ACTORS.slowScanner;
    const targets = [...WORKSTATIONS, ...SERVERS];
    let n = 0;
    for (let t = at; t < hours * 3600 - 60 && n < 80; t += g.int(60, 120), n++) {
      const h = targets[n % targets.length];
      if (n % 12 === 5) g.open(a, h, 22, t);
      else g.refused(a, h, g.pick([22, 23, 3389]), t, g.r() < 0.3);
    }
    return { kind: 'slow_scan', at, src: a, dst: null };
  },
  brute_force(g, at) {
    const { bruter: a, bruteTarget: v } = ACTORS;
    let t = at;
    for (let i = 0; i < 200; i++, t += g.int(1, 2)) g.tcp(a, v, 22, t, 1 + g.r(), g.int(2_100, 2_400), g.int(2_600, 2_900));
    g.tcp(a, v, 22, t + 2, 900, 60_000, 250_000);
    return { kind: 'brute_force', at, src: a, dst: v };
  },
  syn_flood(g, at) {
    const v = ACTORS.synFloodTarget;
    for (let s = 0; s < 20; s++) {
      for (let k = 0; k < 500; k++) {
        g.flows.push({ src: g.publicIp(), dst: v, sp: g.int(1024, 65000), dp: 80,
          t0: at + s + k / 500, pkts: 1, bytes: 44, flags: SYN });
      }
    }
    return { kind: 'syn_flood', at, src: null, dst: v };
  },
  udp_flood(g, at) {
    const { udpFlooder: a, udpFloodTarget: v } = ACTORS;
    for (let s = 0; s < 30; s++) g.flows.push({ src: a, dst: v, sp: 53535, dp: 9999, proto: 17, t0: at + s, t1: at + s + 0.99, pkts: 8000, bytes: 8000 * 540 });
    return { kind: 'udp_flood', at, src: a, dst: v };
  },
  icmp_flood(g, at) {
    const { icmpFlooder: a, icmpFloodTarget: v } = ACTORS;
    for (let s = 0; s < 30; s++) g.ping(a, v, at + s, false, 1500);
    return { kind: 'icmp_flood', at, src: a, dst: v };
  },
  backscatter(g, at) {
    const a = ACTORS.backscatterSource;
    for (let i = 0; i < 300; i++) {
      g.flows.push({ src: a, dst: `10.1.${g.int(4, 250)}.${g.int(1, 254)}`, sp: 80, dp: g.int(1024, 65000), t0: at + i * 0.5, pkts: 1, bytes: 44, flags: SYN | ACK });
    }
    return { kind: 'backscatter', at, src: a, dst: null };
  },
  beacon(g, at, hours) {
    const { beaconHost: a, c2 } = ACTORS;
    for (let t = at; t < hours * 3600; t += 300 * (0.7 + 0.6 * g.r())) g.tcp(a, c2, 443, t, 0.5, g.int(1_800, 2_200), g.int(3_000, 3_600));
    return { kind: 'beacon', at, src: a, dst: c2 };
  },
  exfiltration(g, at) {
    const { exfilHost: a, dropZone: d } = ACTORS;
    for (let i = 0; i < 200; i++) g.tcp(a, d, 443, at + i * 36 + g.r() * 10, 5, 150_000, 6_000);
    return { kind: 'exfiltration', at, src: a, dst: d };
  },
  dns_tunnel(g, at) {
    const { tunnelHost: a, tunnelResolver: d } = ACTORS;
    for (let i = 0; i < 2000; i++) g.udp(a, d, 53, at + i * 0.9, g.int(180, 240), g.int(200, 300));
    return { kind: 'dns_tunnel', at, src: a, dst: d };
  },
  new_host(g, at, hours) {
    const a = ACTORS.newHost;
    for (let t = at; t < hours * 3600; t += g.int(60, 300)) {
      g.udp(a, NET.resolver, 53, t, 70, 200);
      g.tcp(a, `151.101.${g.int(0, 3)}.${g.int(1, 50)}`, 443, t + 0.1, g.int(1, 30), g.int(600, 4000), g.int(5_000, 800_000));
    }
    return { kind: 'new_host', at, src: a, dst: null };
  },
  new_service(g, at) {
    const { serviceHost: h, bruter: a } = ACTORS;
    for (let i = 0; i < 5; i++) g.tcp(a, h, 4444, at + i * 120, 60, 5_000, 80_000);
    return { kind: 'new_service', at, src: a, dst: h };
  },
  lateral_movement(g, at) {
    const h = ACTORS.lateralHost;
    g.tcp(ACTORS.bruter, h, 3389, at, 600, 400_000, 2e6);
    const targets = WORKSTATIONS.filter((w) => w !== h).slice(0, 12);
    targets.forEach((w, i) => g.tcp(h, w, g.pick([445, 5985, 3389]), at + 660 + i * 20, 5, 20_000, 8_000));
    return { kind: 'lateral_movement', at: at + 660, src: h, dst: null };
  },
  stealth_scan(g, at) {
    const { stealthScanner: a, stealthTarget: v } = ACTORS;
    for (let p = 1; p <= 100; p++) {
      g.flows.push({ src: a, dst: v, sp: 62000, dp: p, t0: at + p * 0.1, pkts: 1, bytes: 40, flags: p % 2 ? FIN : FIN | PSH | URG, revPkts: 1, revBytes: 40, revFlags: RST | ACK });
    }
    return { kind: 'stealth_scan', at, src: a, dst: v };
  },
  long_connection(g, at) {
    const { longHost: a, longPeer: d } = ACTORS;
    g.tcp(a, d, 8443, at, 3 * 3600 - 60, 3e6, 2e6);
    return { kind: 'long_connection', at, src: a, dst: d };
  },
};

/** When each attack starts in the mixed scenario (seconds after the start; hours = 5; baseline = first hour). */
export const ATTACK_TIMES: Partial<Record<DetectionKind, number>> = {
  port_scan: 3700, host_scan: 5400, slow_scan: 4000, brute_force: 7200, syn_flood: 9000, udp_flood: 9500, icmp_flood: 10000,
  backscatter: 11000, beacon: 3900, exfiltration: 8000, dns_tunnel: 12000, new_host: 6000, new_service: 8100, lateral_movement: 6500,
  stealth_scan: 13000, long_connection: 4200,
};

export const SCENARIO_HOURS = 5;
export const BASELINE_S = 3600;

/** The scenario: benign traffic, plus the named attacks at their times. */
export function buildScenario(seed: number, attacks: readonly DetectionKind[], hours = SCENARIO_HOURS,
  parts: readonly BenignPart[] = BENIGN_PARTS): Scenario {
  const g = new Gen(rng(seed));
  benign(g, hours, new Set(parts));
  const planned = attacks.map((k) => ATTACKS[k](g, ATTACK_TIMES[k] ?? 3600, hours));
  return { flows: g.flows, attacks: planned, hours };
}

/** Records in the chosen style: unidirectional records split each conversation; 'noflags' drops TCP flags. */
export function asRecords(flows: readonly VFlow[], style: RecordStyle): VFlow[] {
  if (style === 'bidirectional') return [...flows];
  const out: VFlow[] = [];
  for (const f of flows) {
    const keep = style === 'netflow';
    out.push({ src: f.src, dst: f.dst, sp: f.sp, dp: f.dp, proto: f.proto, t0: f.t0, t1: f.t1, pkts: f.pkts, bytes: f.bytes, flags: keep ? f.flags : undefined,
      icmpType: f.icmpType, icmpCode: f.icmpCode });
    if (f.revPkts) {
      out.push({ src: f.dst, dst: f.src, sp: f.dp, dp: f.sp, proto: f.proto, t0: f.t0 + 0.0005, t1: f.t1, pkts: f.revPkts, bytes: f.revBytes,
        flags: keep ? f.revFlags : undefined, ...(f.proto === 1 ? { icmpType: 0, icmpCode: 0 } : {}) });
    }
  }
  return out;
}

/** Writes the scenario into the case as evidence files of at most 20,000 records each. */
export async function writeScenario(store: CaseStore, s: Scenario, style: RecordStyle): Promise<void> {
  const records = asRecords(s.flows, style).sort((a, b) => a.t0 - b.t0);
  const format = style === 'bidirectional' ? 'argus' : style === 'netflow' ? 'nfcapd' : 'aws-vpc';
  const files = [];
  for (let i = 0; i < records.length; i += 20_000) files.push({ name: `sensor-${files.length + 1}.${format}`, format, flows: records.slice(i, i + 20_000) });
  await writeEvidence(store, files);
}

/** The scenario's base time in µs (for --baseline-until). */
export const scenarioUs = (s: number): number => Math.round((BASE_S + s) * 1e6);
