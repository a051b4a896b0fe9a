import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { netflowV5Loader } from '../../../../core/formats/netflow-v5/netflow-v5-loader';
import { formatIp } from '../../../../core/model/ip';
import { v5Datagram, type V5Record } from '../../../helpers/netflow-writer';
import { RecordingSink } from '../../../helpers/recording-sink';

async function decode(...chunks: Uint8Array[]): Promise<RecordingSink> {
  const sink = new RecordingSink();
  const failure = await netflowV5Loader.decode({ source: byteSourceOf(...chunks), sink, fileName: 'x.dat', options: {} });
  if (failure) sink.rejects.push({ ...failure });
  return sink;
}

const tcp: V5Record = {
  src: '10.0.0.1', dst: '192.168.1.2', nextHop: '10.0.0.254', input: 3, output: 7, packets: 12, bytes: 3400,
  first: 90_000, last: 99_500, srcPort: 40000, dstPort: 443, tcpFlags: 0x1b, proto: 6, tos: 0x20, srcAs: 64500, dstAs: 64501, srcMask: 24, dstMask: 16,
};

describe('netflow-v5 loader', () => {
  it('decodeNetflowV5() converts sysUptime-relative first/last with unix_secs and unix_nsecs', async () => {
    // Export at 1_600_000_000.250 s, router up 100 s: first = 90 s uptime = 10 s before export.
    const dg = v5Datagram({ sysUptime: 100_000, unixSecs: 1_600_000_000, unixNsecs: 250_000_000, engineType: 1, engineId: 7 }, [tcp]);
    const sink = await decode(dg);
    expect(sink.rejects).toEqual([]);
    expect(sink.flows).toHaveLength(1);
    const f = sink.flows[0];
    expect(f.startUs).toBe(1_599_999_990_250_000);
    expect(f.endUs).toBe(1_599_999_999_750_000);
    expect(formatIp(f.src)).toBe('10.0.0.1');
    expect(formatIp(f.dst)).toBe('192.168.1.2');
    expect([f.srcPort, f.dstPort, f.proto, f.packets, f.bytes, f.tcpFlags, f.tos]).toEqual([40000, 443, 6, 12, 3400, 0x1b, 0x20]);
    expect([f.inIf, f.outIf, f.srcAs, f.dstAs]).toEqual([3, 7, 64500, 64501]);
    expect(f.attrs).toEqual({ engineType: 1, engineId: 7, nextHop: '10.0.0.254', srcMask: 24, dstMask: 16 });
    expect(f.pos).toBe(24);
    expect(f.sampling).toBeUndefined();
    expect(sink.counts).toMatchObject({ datagrams: 1, records: 1 });
  });

  it('decodeNetflowV5() handles the 32-bit sysUptime wrap', async () => {
    // The router's uptime wrapped: header uptime 5 s, the flow started at 2^32 - 3000 ms.
    const dg = v5Datagram({ sysUptime: 5_000, unixSecs: 1_600_000_000 }, [{ ...tcp, first: 2 ** 32 - 3_000, last: 4_000 }]);
    const [f] = (await decode(dg)).flows;
    expect(f.startUs).toBe(1_600_000_000_000_000 - 8_000_000);
    expect(f.endUs).toBe(1_600_000_000_000_000 - 1_000_000);
  });

  it('decodeNetflowV5() records the header sampling interval without scaling the counters', async () => {
    const dg = v5Datagram({ sysUptime: 100_000, unixSecs: 1_600_000_000, samplingMode: 1, samplingInterval: 1000 }, [tcp]);
    const sink = await decode(dg);
    expect(sink.flows[0].sampling).toBe(1000);
    expect(sink.flows[0].packets).toBe(12);
    // Engine 0/0 and no next hop or masks: nothing worth an attrs object.
    const plain = await decode(v5Datagram({ sysUptime: 100_000, unixSecs: 1_600_000_000 }, [{ ...tcp, nextHop: '0.0.0.0', srcMask: 0, dstMask: 0 }]));
    expect(plain.flows[0].attrs).toBeUndefined();
    expect(sink.facts.sampling).toEqual([{ exporter: null, sourceId: 0, samplerId: null, interval: 1000, source: 'v5 header (mode 1)' }]);
  });

  it('decodeNetflowV5() reads ICMP type and code from the destination port', async () => {
    const dg = v5Datagram({ sysUptime: 100_000, unixSecs: 1_600_000_000 }, [{ ...tcp, proto: 1, srcPort: 0, dstPort: (3 << 8) | 1, tcpFlags: 0 }]);
    const [f] = (await decode(dg)).flows;
    expect([f.icmpType, f.icmpCode, f.dstPort]).toEqual([3, 1, 0x301]);
  });

  it('decodeNetflowV5() decodes datagrams back to back and rejects one whose count runs past the end', async () => {
    const a = v5Datagram({ sysUptime: 100_000, unixSecs: 1_600_000_000 }, [tcp, tcp]);
    const b = v5Datagram({ sysUptime: 100_000, unixSecs: 1_600_000_001 }, [tcp]);
    const broken = v5Datagram({ sysUptime: 100_000, unixSecs: 1_600_000_002 }, [tcp], 30); // says 30 records, holds 1
    const sink = await decode(a, b, broken);
    expect(sink.flows).toHaveLength(3);
    expect(sink.flows.map((f) => f.pos)).toEqual([24, 72, a.length + 24]);
    expect(sink.rejects).toEqual([expect.objectContaining({ code: 'truncated-datagram', offset: a.length + b.length })]);
  });

  it('sniff() claims a v5 datagram and nothing else', () => {
    const dg = v5Datagram({ sysUptime: 1, unixSecs: 1_600_000_000 }, [tcp]);
    expect(netflowV5Loader.sniff(dg, 'export.dat')).toBe(0.9);
    expect(netflowV5Loader.sniff(dg, 'export.bin')).toBe(0.8);
    expect(netflowV5Loader.sniff(dg.subarray(0, 60), 'export.bin')).toBe(0);
    expect(netflowV5Loader.sniff(dg.subarray(0, 60), 'export.dat')).toBe(0.2); // broken, but named like one
    expect(netflowV5Loader.sniff(new TextEncoder().encode('ts,te,sa,da\n1,2,3,4\n'), 'x.csv')).toBe(0);
  });
});
