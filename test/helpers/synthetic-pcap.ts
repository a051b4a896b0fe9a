/**
 * Writes a large, realistic Ethernet/IPv4 pcap for benchmarks: many concurrent TCP
 * connections (handshake, request/response data, FIN close) and UDP request/response
 * flows, interleaved, with valid checksums. Streams to disk through one reused buffer.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { mulberry32 } from './seeded-random';

export interface SyntheticPcapOptions {
  /** Packets to write. */
  packets: number;
  /** Concurrent flows (slots); a finished flow is replaced by a new one. */
  flows: number;
  seed?: number;
  /** Capture start, µs since the epoch. */
  startUs?: number;
  /** Mean gap between packets, µs (default 10, i.e. ~100 k packets/s). */
  meanGapUs?: number;
  /**
   * Many short flows instead of a few long ones: port scans (SYN, RST), single DNS
   * exchanges and short web requests (one round, one response segment); 2 to 9 packets each.
   */
  shortFlows?: boolean;
}

export interface SyntheticPcapResult {
  packets: number;
  bytes: number;
  /** Flows started (TCP + UDP). */
  flows: number;
  tcpFlows: number;
  udpFlows: number;
}

/** Deterministic PRNG (mulberry32). */
const rng = mulberry32;

interface Slot {
  tcp: boolean;
  client: number;
  server: number;
  cport: number;
  sport: number;
  cseq: number;
  sseq: number;
  /** Script position. */
  step: number;
  /** Remaining request/response rounds. */
  rounds: number;
  /** Server bytes still to send in this round. */
  pending: number;
  /** A scan probe: SYN answered by RST. */
  scan: boolean;
}

const PAYLOAD_MAX = 1460;

/** Writes the capture to `path` and reports what it contains. */
export async function writeSyntheticPcap(path: string, o: SyntheticPcapOptions): Promise<SyntheticPcapResult> {
  const rand = rng(o.seed ?? 1);
  const meanGap = o.meanGapUs ?? 10;
  // Payload pattern and prefix sums of its 16-bit words, for O(1) checksums.
  const pat = new Uint8Array(PAYLOAD_MAX + 2);
  for (let i = 0; i < pat.length; i++) pat[i] = Math.floor(rand() * 256);
  const prefix = new Float64Array(PAYLOAD_MAX / 2 + 2);
  for (let i = 0; i + 1 < pat.length && i / 2 + 1 < prefix.length; i += 2) prefix[i / 2 + 1] = prefix[i / 2] + ((pat[i] << 8) | pat[i + 1]);
  const paySum = (n: number): number => prefix[n >> 1] + (n & 1 ? pat[n - 1] << 8 : 0);

  const buf = new Uint8Array(8 << 20);
  const dv = new DataView(buf.buffer);
  let used = 0;
  const fd = openSync(path, 'w');
  let bytes = 0;
  const flush = (): void => {
    writeSync(fd, buf, 0, used);
    bytes += used;
    used = 0;
  };
  // Global header: little-endian µs pcap, Ethernet.
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 262144, true);
  dv.setUint32(20, 1, true);
  used = 24;

  let t = o.startUs ?? 1_700_000_000_000_000;
  let ipId = 1;
  let tcpFlows = 0;
  let udpFlows = 0;
  const servers = 256;
  const short = o.shortFlows === true;
  const newSlot = (): Slot => {
    const kind = rand();
    const tcp = short ? kind >= 0.35 : kind < 0.7;
    const scan = short && kind >= 0.6;
    if (tcp) tcpFlows++;
    else udpFlows++;
    const tcpPorts = [80, 443, 443, 22, 8080, 25];
    return {
      tcp,
      client: (10 << 24) | Math.floor(rand() * 0xffffff),
      server: ((192 << 24) | (168 << 16)) + Math.floor(rand() * servers) + 1,
      cport: 1024 + Math.floor(rand() * 64000),
      sport: scan ? 1 + Math.floor(rand() * 1024) : tcp ? tcpPorts[Math.floor(rand() * tcpPorts.length)] : rand() < 0.8 ? 53 : 123,
      cseq: Math.floor(rand() * 0xffffffff),
      sseq: Math.floor(rand() * 0xffffffff),
      step: 0,
      rounds: short ? 1 : 1 + Math.floor(rand() * 4),
      pending: 0,
      scan,
    };
  };
  const slots: Slot[] = [];
  for (let i = 0; i < o.flows; i++) slots.push(newSlot());

  /** Writes one Ethernet/IPv4/TCP|UDP packet into the buffer. */
  const emit = (s: Slot, fromClient: boolean, flags: number, len: number): void => {
    if (used + 16 + 14 + 20 + 20 + len > buf.length) flush();
    const l4 = s.tcp ? 20 : 8;
    const ipLen = 20 + l4 + len;
    const frame = 14 + ipLen;
    const sec = Math.floor(t / 1e6);
    dv.setUint32(used, sec, true);
    dv.setUint32(used + 4, t - sec * 1e6, true);
    dv.setUint32(used + 8, frame, true);
    dv.setUint32(used + 12, frame, true);
    let p = used + 16;
    // Ethernet: fixed MACs, IPv4.
    buf.fill(0x02, p, p + 12);
    buf[p + 5] = fromClient ? 1 : 2;
    buf[p + 11] = fromClient ? 2 : 1;
    buf[p + 12] = 0x08;
    buf[p + 13] = 0x00;
    p += 14;
    const src = fromClient ? s.client : s.server;
    const dst = fromClient ? s.server : s.client;
    buf[p] = 0x45;
    buf[p + 1] = 0;
    dv.setUint16(p + 2, ipLen);
    dv.setUint16(p + 4, ipId = (ipId + 1) & 0xffff);
    dv.setUint16(p + 6, 0x4000);
    buf[p + 8] = 64;
    buf[p + 9] = s.tcp ? 6 : 17;
    dv.setUint16(p + 10, 0);
    dv.setUint32(p + 12, src);
    dv.setUint32(p + 16, dst);
    let hs = 0;
    for (let i = 0; i < 20; i += 2) hs += (buf[p + i] << 8) | buf[p + i + 1];
    while (hs > 0xffff) hs = (hs & 0xffff) + (hs >>> 16);
    dv.setUint16(p + 10, ~hs & 0xffff);
    p += 20;
    const spt = fromClient ? s.cport : s.sport;
    const dpt = fromClient ? s.sport : s.cport;
    dv.setUint16(p, spt);
    dv.setUint16(p + 2, dpt);
    let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + (s.tcp ? 6 : 17) + l4 + len;
    if (s.tcp) {
      dv.setUint32(p + 4, fromClient ? s.cseq : s.sseq);
      dv.setUint32(p + 8, flags & 0x10 ? (fromClient ? s.sseq : s.cseq) : 0);
      buf[p + 12] = 0x50;
      buf[p + 13] = flags;
      dv.setUint16(p + 14, 64240);
      dv.setUint16(p + 16, 0);
      dv.setUint16(p + 18, 0);
      for (let i = 0; i < 20; i += 2) sum += (buf[p + i] << 8) | buf[p + i + 1];
    } else {
      dv.setUint16(p + 4, 8 + len);
      dv.setUint16(p + 6, 0);
      sum += spt + dpt + 8 + len;
    }
    buf.set(pat.subarray(0, len), p + l4);
    sum += paySum(len);
    while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
    let ck = ~sum & 0xffff;
    if (!s.tcp && ck === 0) ck = 0xffff;
    dv.setUint16(p + (s.tcp ? 16 : 6), ck);
    used = p + l4 + len;
    const adv = len + (flags & 0x03 ? 1 : 0);
    if (fromClient) s.cseq = (s.cseq + adv) >>> 0;
    else s.sseq = (s.sseq + adv) >>> 0;
  };

  const SYN = 0x02;
  const ACK = 0x10;
  const FIN = 0x01;
  const PSH = 0x08;
  const RST = 0x04;
  for (let n = 0; n < o.packets; n++) {
    t += Math.max(1, Math.round(rand() * 2 * meanGap));
    const i = Math.floor(rand() * slots.length);
    const s = slots[i];
    if (!s.tcp) {
      // UDP: request, response, repeated `rounds` times.
      if (s.step % 2 === 0) emit(s, true, 0, 40 + Math.floor(rand() * 60));
      else emit(s, false, 0, 80 + Math.floor(rand() * 420));
      if (++s.step >= s.rounds * 2) slots[i] = newSlot();
      continue;
    }
    switch (s.step) {
      case 0: emit(s, true, SYN, 0); s.step = s.scan ? 9 : 1; break;
      case 9: emit(s, false, RST | ACK, 0); slots[i] = newSlot(); break;
      case 1: emit(s, false, SYN | ACK, 0); s.step = 2; break;
      case 2: emit(s, true, ACK, 0); s.step = 3; break;
      case 3: // request
        emit(s, true, PSH | ACK, 100 + Math.floor(rand() * 300));
        s.pending = short ? 200 + Math.floor(rand() * 1200) : 200 + Math.floor(rand() * 6000);
        s.step = 4;
        break;
      case 4: { // response segments
        const len = Math.min(PAYLOAD_MAX, s.pending);
        s.pending -= len;
        emit(s, false, s.pending === 0 ? PSH | ACK : ACK, len);
        if (s.pending === 0) s.step = 5;
        break;
      }
      case 5: // client ack; next round or close
        emit(s, true, ACK, 0);
        s.step = --s.rounds > 0 ? 3 : 6;
        break;
      case 6: emit(s, true, FIN | ACK, 0); s.step = 7; break;
      case 7: emit(s, false, FIN | ACK, 0); s.step = 8; break;
      default: emit(s, true, ACK, 0); slots[i] = newSlot(); break;
    }
  }
  flush();
  closeSync(fd);
  return { packets: o.packets, bytes, flows: tcpFlows + udpFlows, tcpFlows, udpFlows };
}
