import { writeFileSync } from 'node:fs';
import { parseIp } from '../../core/model/ip';
import { ethernet, pcapFile, TcpConversation, udpPacket, type CapturedPacket } from './pcap-writer';

/** 2024-03-12T09:00:00Z in µs. */
const T0 = 1_710_234_000_000_000;
const S = 1_000_000;

/**
 * Addresses chosen from the MaxMind test databases (../shared/testdata/mmdb/README):
 * 81.2.69.142 is GB/London in GeoIP2-City-Test, 216.160.83.56 US/Milton, 1.128.0.1 lies in
 * AS1221 (Telstra) in GeoLite2-ASN-Test, 2001:218::1 is JP.
 */
export const NAMES = {
  client: '10.0.0.5', resolver: '10.0.0.53', t0Us: T0,
  cdn: { addr: '81.2.69.142', name: 'cdn-update.example.net', uri: '/dl/agent.bin' },
  api: { addr: '216.160.83.56', name: 'api.example.com' },
  files: { addr: '2001:218::1', name: 'files.example.org' },
  telstra: { addr: '1.128.0.1', name: 'mail.example.net' },
} as const;

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const u16 = (n: number): number[] => [(n >> 8) & 255, n & 255];

function qname(name: string): number[] {
  return [...name.split('.').flatMap((l) => [l.length, ...ascii(l)]), 0];
}

/**
 * A DNS response (RFC 1035 §4.1) to one question, answered through a CNAME when `cname` is
 * given (the A/AAAA record then belongs to the canonical name, compressed against it).
 */
export function dnsResponse(id: number, name: string, addr: string, o: { cname?: string; rcode?: number } = {}): Uint8Array {
  const ip = parseIp(addr)!;
  const v6 = typeof ip !== 'number';
  const type = v6 ? 28 : 1;
  const rdata = v6 ? Array.from(ip as Uint32Array).flatMap((w) => [w >>> 24, (w >> 16) & 255, (w >> 8) & 255, w & 255]) : [ip >>> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255];
  const answers: number[] = [];
  let owner = [0xc0, 12];
  if (o.cname) {
    const target = qname(o.cname);
    const cnameAt = 12 + qname(name).length + 4 + 2 + 10;
    answers.push(...owner, ...u16(5), ...u16(1), 0, 0, 0, 60, ...u16(target.length), ...target);
    owner = [0xc0, cnameAt];
  }
  answers.push(...owner, ...u16(type), ...u16(1), 0, 0, 0, 60, ...u16(rdata.length), ...rdata);
  return new Uint8Array([
    ...u16(id), 0x81, 0x80 | (o.rcode ?? 0), ...u16(1), ...u16(o.cname ? 2 : 1), 0, 0, 0, 0,
    ...qname(name), ...u16(type), ...u16(1), ...answers,
  ]);
}

/** A TLS 1.2-style ClientHello record carrying server_name, padded to `padTo` bytes with a padding extension. */
export function clientHello(serverName: string, padTo = 0): Uint8Array {
  const sni = [...u16(serverName.length + 3), 0, ...u16(serverName.length), ...ascii(serverName)];
  let ext = [...u16(10), ...u16(4), ...u16(2), ...u16(0x001d), ...u16(0), ...u16(sni.length), ...sni];
  const bodyBase = 2 + 32 + 1 + 2 + 2 + 1 + 1 + 2;
  const pad = Math.max(0, padTo - (5 + 4 + bodyBase + ext.length + 4));
  if (pad > 0) ext = [...ext, ...u16(21), ...u16(pad), ...new Array<number>(pad).fill(0)];
  const body = [3, 3, ...new Array<number>(32).fill(7), 0, ...u16(2), 0x13, 0x01, 1, 0, ...u16(ext.length), ...ext];
  const hs = [1, 0, ...u16(body.length), ...body];
  return new Uint8Array([0x16, 3, 1, ...u16(hs.length), ...hs]);
}

export function httpGet(host: string, uri: string): Uint8Array {
  return new Uint8Array(ascii(`GET ${uri} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n`));
}

/**
 * A capture where one client resolves and then uses four names: DNS over UDP (cdn via a
 * CNAME, api, the IPv6 files name) and over TCP (mail); an HTTP download from cdn; a TLS
 * session to api whose ClientHello spans three segments; a TLS session to the IPv6 host;
 * a connection to the mail host. A DNS error answer and a bad-checksum DNS answer name
 * nothing.
 */
export function namesCapturePackets(): CapturedPacket[] {
  const { client, resolver, cdn, api, files, telstra } = NAMES;
  const packets: CapturedPacket[] = [];
  const udp = (t: number, payload: Uint8Array, badChecksum = false) => packets.push({
    tsUs: t, data: ethernet(udpPacket({ src: resolver, dst: client, sport: 53, dport: 40000 + packets.length, payload, badChecksum })),
  });
  udp(T0, dnsResponse(1, cdn.name, cdn.addr, { cname: 'edge.cdn.example' }));
  udp(T0 + 1 * S, dnsResponse(2, api.name, api.addr));
  udp(T0 + 2 * S, dnsResponse(3, files.name, files.addr));
  udp(T0 + 3 * S, dnsResponse(4, 'nxdomain.example', '192.0.2.1', { rcode: 3 }));
  udp(T0 + 4 * S, dnsResponse(5, 'forged.example', '192.0.2.2'), true);
  const dnsTcp = new TcpConversation(client, resolver, 41000, 53, T0 + 5 * S);
  const msg = dnsResponse(6, telstra.name, telstra.addr);
  dnsTcp.send('c', 'S').send('s', 'SA').send('c', 'A').send('s', 'PA', new Uint8Array([...u16(msg.length), ...msg])).send('c', 'FA').send('s', 'FA').send('c', 'A');
  packets.push(...dnsTcp.packets);
  const http = new TcpConversation(client, cdn.addr, 42000, 80, T0 + 10 * S);
  http.send('c', 'S').send('s', 'SA').send('c', 'A').send('c', 'PA', httpGet(cdn.name, cdn.uri)).send('s', 'PA', 1200).send('c', 'FA').send('s', 'FA').send('c', 'A');
  packets.push(...http.packets);
  const tls = new TcpConversation(client, api.addr, 43000, 443, T0 + 20 * S);
  const hello = clientHello(api.name, 2000);
  tls.send('c', 'S').send('s', 'SA').send('c', 'A')
    .send('c', 'PA', hello.subarray(0, 700)).send('c', 'PA', hello.subarray(700, 1400)).send('c', 'PA', hello.subarray(1400))
    .send('s', 'PA', 900).send('c', 'FA').send('s', 'FA').send('c', 'A');
  packets.push(...tls.packets);
  const tls6 = new TcpConversation(client.replace('10.0.0.5', 'fd00::5'), files.addr, 44000, 443, T0 + 30 * S);
  tls6.send('c', 'S').send('s', 'SA').send('c', 'A').send('c', 'PA', clientHello(files.name)).send('s', 'PA', 100).send('c', 'FA').send('s', 'FA').send('c', 'A');
  packets.push(...tls6.packets);
  const mail = new TcpConversation(client, telstra.addr, 45000, 25, T0 + 40 * S);
  mail.send('c', 'S').send('s', 'SA').send('c', 'A').send('s', 'PA', 50).send('c', 'FA').send('s', 'FA').send('c', 'A');
  packets.push(...mail.packets);
  packets.sort((a, b) => a.tsUs - b.tsUs);
  return packets;
}

export function writeNamesCapture(path: string): void {
  writeFileSync(path, pcapFile(namesCapturePackets(), { linkType: 1 }));
}
