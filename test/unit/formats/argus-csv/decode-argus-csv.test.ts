import { describe, expect, it } from 'vitest';
import { argusCsvLoader, sniffArgusCsv } from '../../../../core/formats/argus-csv/argus-csv-loader';
import { parseArgusTime, parseZoneOffset } from '../../../../core/formats/argus-csv/parse-argus-time';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { formatIp } from '../../../../core/model/ip';
import { RecordingSink } from '../../../helpers/recording-sink';
import { ARP_PROTO } from '../../../../core/model/protocols';

async function decode(text: string, options: Record<string, unknown> = {}, fileName = 'x.binetflow') {
  const sink = new RecordingSink();
  const bytes = new TextEncoder().encode(text);
  // Feed in small chunks so that lines cross chunk borders.
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 17) chunks.push(bytes.subarray(i, i + 17));
  const failure = await argusCsvLoader.decode({ source: byteSourceOf(...chunks), sink, fileName, options });
  return { sink, failure };
}

/** Typed from ra(1): `ra -c , -s stime ltime proto saddr sport dir daddr dport state spkts dpkts sbytes dbytes stos dtos label`. */
const RA_CSV = [
  'StartTime,LastTime,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,SrcPkts,DstPkts,SrcBytes,DstBytes,sTos,dTos,Label',
  '1300475167.096535,1300475167.598000,tcp,141.142.220.118,35634,   ->,208.80.152.2,80,FIN,6,5,1011,2800,0,0,',
  '1300475168.000001,1300475168.000001,udp,fe80::217:f2ff:fed7:cf65,5353,   ->,ff02::fb,5353,INT,1,0,213,0,0,,mdns',
  '1664054597.913248,1664054597.913248,icmp,192.168.1.109,0x0000,  <-,192.168.1.130,0x9ac7,ECR,0,1,0,42,,0,',
  '1664054596.398593,1664054596.401620,icmp,192.168.1.109,0x0008,  <->,192.168.1.1,0xf095,ECO,1,1,42,42,0,0,',
  '1300475170.5,1300475171,tcp,10.0.0.1,0x0303,  <?,10.0.0.2,0x0050,CON,0,2,0,120,,0,',
  '1300475172.000000,1300475172.000000,man,0,0,,0,0,STA,0,0,0,0,,,',
  '1300475173.000000,1300475173.000000,llc,00:13:7f:4f:8e:f2,66,   ->,01:80:c2:00:00:00,66,INT,3,0,180,0,,,',
  '1300475174.000000,1300475174.000000,arp,192.168.2.16,,  who,192.168.2.1,,CON,1,1,60,42,,,',
  '1300475175.000000,1300475175.000000,tcp,10.0.0.1,1,   ->,10.0.0.2,2,INT,1,0,60',
  'yesterday,1300475175.000000,tcp,10.0.0.1,1,   ->,10.0.0.2,2,INT,1,0,60,0,0,0,',
  '1300475176.000000,1300475176.000000,tcp,10.0.0.300,1,   ->,10.0.0.2,2,INT,1,0,60,0,0,0,',
  '1300475177.000000,1300475177.000000,tcp,10.0.0.1,1, get_message  ->,10.0.0.2,2,INT,1,0,60,0,0,0,',
].join('\r\n');

describe('decodeArgusCsv()', () => {
  it('reads ra -c , rows field by field: times to the microsecond, both directions, ToS, label', async () => {
    const { sink, failure } = await decode(RA_CSV);
    expect(failure).toBeUndefined();
    const f = sink.flows[0];
    expect(formatIp(f.src)).toBe('141.142.220.118');
    expect(f).toMatchObject({
      pos: 2, startUs: 1_300_475_167_096_535, endUs: 1_300_475_167_598_000, proto: 6, srcPort: 35634, dstPort: 80,
      packets: 6, revPackets: 5, bytes: 1011, revBytes: 2800, tos: 0, state: 'FIN', attrs: { dir: '->', dTos: 0 },
    });
    expect(sink.flows[1]).toMatchObject({ proto: 17, label: 'mdns', packets: 1, revPackets: 0, attrs: { dir: '->' } });
    expect(formatIp(sink.flows[1].src)).toBe('fe80::217:f2ff:fed7:cf65');
  });

  it('turns "<-" and "<?" rows round so that the sender is the source, keeping ra\'s arrow in attrs', async () => {
    const { sink } = await decode(RA_CSV);
    const ecr = sink.flows[2];
    expect([formatIp(ecr.src), formatIp(ecr.dst), ecr.packets, ecr.bytes, ecr.revPackets, ecr.revBytes]).toEqual(['192.168.1.130', '192.168.1.109', 1, 42, 0, 0]);
    expect(ecr).toMatchObject({ icmpType: 0, icmpCode: 0, dstPort: 0, tos: 0, attrs: { dir: '<-', flipped: true, icmpId: 0x9ac7 } });
    const tcp = sink.flows[4];
    expect([formatIp(tcp.src), tcp.srcPort, formatIp(tcp.dst), tcp.dstPort, tcp.packets, tcp.startUs, tcp.endUs]).toEqual(['10.0.0.2', 80, '10.0.0.1', 0x0303, 2, 1_300_475_170_500_000, 1_300_475_171_000_000]);
  });

  it('reads ICMP "ports" as ra prints them: type|code<<8 in hex, the echo id as Dport', async () => {
    const { sink } = await decode(RA_CSV);
    expect(sink.flows[3]).toMatchObject({ proto: 1, srcPort: 0, dstPort: 0x0800, icmpType: 8, icmpCode: 0, state: 'ECO', attrs: { dir: '<->', icmpId: 0xf095 } });
  });

  it('stores ARP rows (protocol ARP, state reply/who-has) and skips man and llc records, counted by reason', async () => {
    const { sink } = await decode(RA_CSV);
    expect(sink.skipped).toEqual({ man: 1, llc: 1 });
    const arp = sink.flows.find((f) => f.attrs?.l2 === 'arp');
    expect(arp).toMatchObject({ proto: ARP_PROTO, srcPort: 0, dstPort: 0, packets: 1, bytes: 60, revPackets: 1, revBytes: 42, state: 'reply', attrs: { dir: 'who', argusState: 'CON' } });
    const counted = await decode(RA_CSV, { keepArp: false });
    expect(counted.sink.skipped).toEqual({ man: 1, llc: 1, arp: 1 });
    expect(counted.sink.flows.some((f) => f.attrs?.l2 === 'arp')).toBe(false);
  });

  it('rejects malformed lines with their line numbers and imports the rest', async () => {
    const { sink } = await decode(RA_CSV);
    expect(sink.rejects.map((r) => [r.code, r.offset])).toEqual([['bad-line', 10], ['bad-time', 11], ['bad-address', 12]]);
    expect(sink.flows.map((f) => f.pos)).toEqual([2, 3, 4, 5, 6, 9, 13]);
    expect(sink.notes).toEqual([expect.objectContaining({ code: 'unknown-direction', offset: 13 })]);
    expect(sink.flows[6].attrs?.dir).toBe('get_message->');
  });

  it('reads the CTU-13 binetflow layout: date-time stamps, Dur, TotPkts/TotBytes/SrcBytes, flag states, tabs', async () => {
    const text = [
      'StartTime\tDur\tProto\tSrcAddr\tSport\tDir\tDstAddr\tDport\tState\tsTos\tdTos\tTotPkts\tTotBytes\tSrcBytes\tLabel',
      '2011/08/10 09:46:53.047277\t3550.182373\tudp\t212.50.71.179\t39678\t  <->\t147.32.84.229\t13363\tCON\t0\t0\t12\t875\t413\tflow=Background-UDP-Established',
      '2011/08/10 09:46:53.048843\t0.000883\ttcp\t147.32.86.166\t33426\t   ->\t212.24.150.110\t25443\tFRPA_FPA\t0\t0\t7\t540\t540\tflow=Background-TCP-Attempt',
      '2011/08/10 09:46:54.000000\t0.000000\ttcp\t1.2.3.4\t80\t  <-\t5.6.7.8\t4000\t_SA\t0\t\t1\t60\t0\tflow=From-Botnet-V42',
    ].join('\n');
    const { sink, failure } = await decode(text);
    expect(failure).toBeUndefined();
    expect(sink.flows[0]).toMatchObject({
      startUs: Date.UTC(2011, 7, 10, 9, 46, 53) * 1000 + 47277, endUs: Date.UTC(2011, 7, 10, 9, 46, 53) * 1000 + 47277 + 3_550_182_373,
      packets: 12, revPackets: undefined, bytes: 413, revBytes: 462, label: 'flow=Background-UDP-Established', attrs: { dir: '<->', pkts: 'total' },
    });
    // No destination bytes: all packets went from the source.
    expect(sink.flows[1]).toMatchObject({ packets: 7, revPackets: 0, bytes: 540, revBytes: 0, tcpFlags: 0x1d, revTcpFlags: 0x19, state: 'FRPA_FPA' });
    // "<-" with no source bytes: turned round, the flags follow their side.
    const back = sink.flows[2];
    expect([formatIp(back.src), back.srcPort, back.dstPort, back.packets, back.bytes, back.revPackets, back.tcpFlags, back.revTcpFlags]).toEqual(['5.6.7.8', 4000, 80, 1, 60, 0, 0x12, 0]);
    expect(sink.counts['packets-split-unknown']).toBe(1);
    expect(sink.facts.separator).toBe('tab');
  });

  it('reads wall-clock times in the zone the user gives and places time-of-day stamps on the given date', async () => {
    const zoned = await decode('StartTime,SrcAddr,DstAddr,Proto\n2011/08/10 10:00:00.5,1.1.1.1,2.2.2.2,udp\n', { timeZone: '+01:00' });
    expect(zoned.sink.flows[0].startUs).toBe(Date.UTC(2011, 7, 10, 9, 0, 0) * 1000 + 500_000);
    const noDate = await decode('StartTime,SrcAddr,DstAddr,Proto\n23:59:59.000001,1.1.1.1,2.2.2.2,udp\n');
    expect(noDate.failure).toMatchObject({ code: 'no-date', offset: 2 });
    const dated = await decode('StartTime,SrcAddr,DstAddr,Proto\n23:59:59.000001,1.1.1.1,2.2.2.2,udp\n00:00:01.000000,1.1.1.1,2.2.2.2,udp\n', { date: '2020-02-29' });
    expect(dated.sink.flows.map((f) => f.startUs)).toEqual([Date.UTC(2020, 1, 29, 23, 59, 59) * 1000 + 1, Date.UTC(2020, 2, 1, 0, 0, 1) * 1000]);
  });

  it('refuses a file without an Argus header line with an error value', async () => {
    expect((await decode('hello world\n1 2 3\n')).failure).toMatchObject({ code: 'no-header', offset: 1 });
    expect((await decode('a,b,c\n1,2,3\n')).failure).toMatchObject({ code: 'no-header' });
    expect((await decode('')).failure).toMatchObject({ code: 'no-header' });
  });
});

describe('sniffArgusCsv()', () => {
  it('recognises ra headers in comma and tab form and ignores other CSV', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(sniffArgusCsv(enc(RA_CSV), 'flows.csv')).toBe(0.9);
    expect(sniffArgusCsv(enc('StartTime\tDur\tProto\tSrcAddr\tSport\tDir\tDstAddr\tDport\n'), 'c.binetflow')).toBe(0.95);
    expect(sniffArgusCsv(enc('ts,te,td,sa,da,sp,dp,pr\n'), 'nf.csv')).toBe(0);
  });
});

describe('parseArgusTime()', () => {
  it('reads epoch seconds, ra date-times and zone offsets exactly to the microsecond', () => {
    expect(parseArgusTime('1300475167.096535', 0, null)).toBe(1_300_475_167_096_535);
    expect(parseArgusTime('1300475167.0965359', 0, null)).toBe(1_300_475_167_096_535);
    expect(parseArgusTime('2011/08/10 09:46:53.047277', 0, null)).toBe(Date.UTC(2011, 7, 10, 9, 46, 53) * 1000 + 47277);
    expect(parseArgusTime('2011-13-10 09:46:53', 0, null)).toBeNull();
    expect(parseArgusTime('2011/02/30 00:00:00', 0, null)).toBeNull();
    expect(parseArgusTime('2011-08-10T09:46:53.123456789', 0, null)).toBe(Date.UTC(2011, 7, 10, 9, 46, 53) * 1000 + 123456);
    expect(parseArgusTime('2011/08/10 09:46:53.5', 3_600e6, null)).toBe(Date.UTC(2011, 7, 10, 8, 46, 53) * 1000 + 500_000);
    expect(parseArgusTime('09:46:53.000010', 0, Date.UTC(2011, 7, 10) * 1000)).toBe(Date.UTC(2011, 7, 10, 9, 46, 53) * 1000 + 10);
    expect(parseArgusTime('09:46:53', 0, null)).toBeNull();
    expect(parseArgusTime('1300475167.', 0, null)).toBeNull();
    expect(parseZoneOffset('-05:30')).toBe(-(5 * 60 + 30) * 60e6);
    expect(parseZoneOffset('CET')).toBeNull();
  });
});
