import { describe, expect, it } from 'vitest';
import { ByteSource } from '../../../../core/formats/common/byte-source';
import { meterCapture } from '../../../../core/formats/flow-meter/meter-capture';
import { dnsAnswers } from '../../../../core/formats/names/dns-answers';
import { httpRequestName } from '../../../../core/formats/names/http-request';
import { tlsServerName } from '../../../../core/formats/names/tls-server-name';
import { formatIpBigInt } from '../../../../core/model/ip';
import { clientHello, dnsResponse, httpGet, NAMES, namesCapturePackets } from '../../../helpers/names-capture';
import { pcapFile } from '../../../helpers/pcap-writer';
import { NameRecordingSink } from '../../../helpers/recording-sink';

describe('DNS answers', () => {
  it('ties an A answer reached through a CNAME to the name the client asked', () => {
    const a = dnsAnswers(dnsResponse(1, 'CDN-update.example.net', '81.2.69.142', { cname: 'edge.cdn.example' }));
    expect(a.map((x) => [x.name, [...x.address].join('.')])).toEqual([['cdn-update.example.net', '81.2.69.142']]);
  });
  it('reads AAAA answers', () => {
    const a = dnsAnswers(dnsResponse(2, 'files.example.org', '2001:218::1'));
    expect(a).toHaveLength(1);
    expect(a[0].address.length).toBe(16);
  });
  it('names nothing for an error answer, a query, or a cut message', () => {
    expect(dnsAnswers(dnsResponse(3, 'x.example', '192.0.2.1', { rcode: 3 }))).toEqual([]);
    const q = dnsResponse(4, 'x.example', '192.0.2.1');
    q[2] &= 0x7f;
    expect(dnsAnswers(q)).toEqual([]);
    const whole = dnsResponse(5, 'x.example', '192.0.2.1');
    expect(dnsAnswers(whole.subarray(0, whole.length - 2))).toEqual([]);
  });
  it('survives a compression pointer loop', () => {
    const m = dnsResponse(6, 'x.example', '192.0.2.1');
    m[12] = 0xc0; m[13] = 12;
    expect(dnsAnswers(m)).toEqual([]);
  });
});

describe('TLS server name and HTTP Host', () => {
  it('reads the SNI of a ClientHello and nothing from a cut one', () => {
    const h = clientHello('API.example.com', 600);
    expect(tlsServerName(h)).toBe('api.example.com');
    expect(tlsServerName(h.subarray(0, 60))).toBeNull();
  });
  it('reads Host (without port) and the URI of a request', () => {
    expect(httpRequestName(httpGet('cdn-update.example.net:8080', '/dl/agent.bin?x=1'))).toEqual({ host: 'cdn-update.example.net', uri: '/dl/agent.bin?x=1' });
    expect(httpRequestName(new TextEncoder().encode('HTTP/1.1 200 OK\r\nHost: x\r\n\r\n'))).toBeNull();
  });
});

/** Runs the pcap decoder (flow meter + names) over capture bytes. */
async function namesOf(bytes: Uint8Array): Promise<NameRecordingSink> {
  const sink = new NameRecordingSink();
  const source = new ByteSource((async function* () { yield bytes; })());
  const failure = await meterCapture({ source, sink, fileName: 'x.pcap', options: {} });
  expect(failure).toBeUndefined();
  return sink;
}

describe('names in a capture built in code', () => {
  it('finds DNS over UDP and TCP, SNI across segments and HTTP Host, skipping the bad checksum and the error', async () => {
    const sink = await namesOf(pcapFile(namesCapturePackets(), { linkType: 1 }));
    const found = sink.names;
    const rows = found.map((r) => [r.source, r.name, formatIpBigInt(r.addr), r.client === null ? null : formatIpBigInt(r.client), r.uri ?? null]);
    expect(rows).toEqual([
      ['dns', NAMES.cdn.name, NAMES.cdn.addr, NAMES.client, null],
      ['dns', NAMES.api.name, NAMES.api.addr, NAMES.client, null],
      ['dns', NAMES.files.name, NAMES.files.addr, NAMES.client, null],
      ['dns', NAMES.telstra.name, NAMES.telstra.addr, NAMES.client, null],
      ['http', NAMES.cdn.name, NAMES.cdn.addr, NAMES.client, NAMES.cdn.uri],
      ['sni', NAMES.api.name, NAMES.api.addr, NAMES.client, null],
      ['sni', NAMES.files.name, NAMES.files.addr, 'fd00::5', null],
    ]);
    expect(found.every((r) => r.pos >= 24)).toBe(true);
    expect(sink.counts.names).toBe(7);
    expect(sink.counts['bad-checksum-packets']).toBe(1);
  });
});
