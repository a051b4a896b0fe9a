import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import type { DecodeOptions } from '../../../../core/formats/decoder';
import { csvLoader, sniffCsv } from '../../../../core/formats/csv/csv-loader';
import { splitCsvRecord, detectSeparator } from '../../../../core/formats/csv/csv-split';
import { parseCsvTime } from '../../../../core/formats/csv/csv-time';
import { tcpFlags } from '../../../../core/formats/csv/csv-row-to-flow';
import { ZonedClock } from '../../../../core/formats/csv/zoned-time';
import { formatIp } from '../../../../core/model/ip';
import { RecordingSink } from '../../../helpers/recording-sink';

const enc = new TextEncoder();

async function run(text: string, options: DecodeOptions = {}, chunks = 1) {
  const bytes = enc.encode(text);
  const parts: Uint8Array[] = [];
  const step = Math.max(1, Math.ceil(bytes.length / chunks));
  for (let i = 0; i < bytes.length; i += step) parts.push(bytes.subarray(i, i + step));
  const sink = new RecordingSink();
  const failure = await csvLoader.decode({ source: byteSourceOf(...parts), sink, fileName: 'flows.csv', options });
  return { sink, failure };
}

const NFDUMP_HEADER = 'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr';
const nfRow = (ts: string, te: string, sa: string, da: string, sp: number, dp: number, pr: string, flg: string, ipkt: number, ibyt: number, opkt = 0, obyt = 0) =>
  `${ts},${te},1.500,${sa},${da},${sp},${dp},${pr},${flg},0,0,${ipkt},${ibyt},${opkt},${obyt},3,4,2852,2853,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000,147.32.82.62,0/58,1,2026-11-22 15:13:48.034`;

describe('splitCsvRecord()', () => {
  it('follows RFC 4180: quoted separators, doubled quotes, open quotes reported as null', () => {
    expect(splitCsvRecord('a,"b,c","say ""hi""",', ',')).toEqual(['a', 'b,c', 'say "hi"', '']);
    expect(splitCsvRecord('"x;y";z', ';')).toEqual(['x;y', 'z']);
    expect(splitCsvRecord('a,"open', ',')).toBeNull();
    expect(detectSeparator('a;b;c')).toBe(';');
    expect(detectSeparator('a\tb\tc,d')).toBe('\t');
    expect(detectSeparator('"a;b",c,d')).toBe(',');
  });
});

describe('parseCsvTime()', () => {
  const utc = ZonedClock.of('UTC')!;
  it('reads ISO, epoch by magnitude, day-first and month-first dates with AM/PM, in a zone', () => {
    expect(parseCsvTime('2011-03-18 19:06:08', 'iso', utc)).toBe(Date.UTC(2011, 2, 18, 19, 6, 8) * 1000);
    expect(parseCsvTime('2011-03-18T19:06:08.123456+01:00', 'auto', utc)).toBe(Date.UTC(2011, 2, 18, 18, 6, 8) * 1000 + 123456);
    expect(parseCsvTime('1517422326.539915', 'auto', utc)).toBe(1517422326539915);
    expect(parseCsvTime('1517422326539', 'auto', utc)).toBe(1517422326539000);
    expect(parseCsvTime('1517422326539915', 'auto', utc)).toBe(1517422326539915);
    expect(parseCsvTime('28/07/2017 02:03:21 PM', 'auto', utc)).toBe(Date.UTC(2017, 6, 28, 14, 3, 21) * 1000);
    expect(parseCsvTime('03/07/2017 08:55', 'dmy', utc)).toBe(Date.UTC(2017, 6, 3, 8, 55) * 1000);
    expect(parseCsvTime('03/07/2017 08:55', 'mdy', utc)).toBe(Date.UTC(2017, 2, 7, 8, 55) * 1000);
    expect(parseCsvTime('12/31/2017 12:00:00 AM', 'auto', utc)).toBe(Date.UTC(2017, 11, 31, 0, 0) * 1000);
    expect(parseCsvTime('2017-07-03 08:55:00', 'iso', ZonedClock.of('America/Halifax')!)).toBe(Date.UTC(2017, 6, 3, 11, 55) * 1000);
    expect(parseCsvTime('31/02/2017 08:55', 'dmy', utc)).toBeNull();
    expect(parseCsvTime('yesterday', 'auto', utc)).toBeNull();
  });
});

describe('tcpFlags()', () => {
  it('reads numbers, hex and flag letters in any layout', () => {
    expect([tcpFlags('18'), tcpFlags('0x12'), tcpFlags('SA'), tcpFlags('...A..S.'), tcpFlags('...AP.SF'), tcpFlags('........')]).toEqual([18, 18, 18, 18, 27, 0]);
    expect(tcpFlags('XYZ')).toBeNull();
  });
});

describe('decodeCsv() with the nfdump preset', () => {
  it('maps ts/te/sa/da/ports/pr/flg/ipkt/ibyt/in/out/sas/das/ra, ICMP type.code from dp, rev only for non-zero opkt/obyt', async () => {
    const { sink, failure } = await run([
      NFDUMP_HEADER,
      nfRow('2018-01-12 15:37:30', '2018-01-12 15:37:31', '147.32.80.119', '147.32.82.62', 52324, 902, 'TCP', '...A..S.', 2, 100),
      nfRow('2018-01-12 15:37:32', '2018-01-12 15:37:32', '10.0.0.1', '10.0.0.2', 0, 2048, 'ICMP', '........', 1, 84),
      nfRow('2018-01-12 15:37:33', '2018-01-12 15:37:34', 'fe80::1', 'ff02::fb', 5353, 5353, 'UDP', '........', 1, 80, 3, 96),
      'Summary',
      'flows,bytes,packets,avg_bps,avg_pps,avg_bpp',
      '3,360,7,0,0,0',
    ].join('\n'));
    expect(failure).toBeUndefined();
    expect(sink.rejects).toEqual([]);
    const [a, b, c] = sink.flows;
    expect([a.pos, a.startUs, a.endUs, formatIp(a.src), a.srcPort, formatIp(a.dst), a.dstPort, a.proto, a.tcpFlags, a.packets, a.bytes, a.revPackets, a.revBytes])
      .toEqual([2, Date.UTC(2018, 0, 12, 15, 37, 30) * 1000, Date.UTC(2018, 0, 12, 15, 37, 31) * 1000, '147.32.80.119', 52324, '147.32.82.62', 902, 6, 18, 2, 100, undefined, undefined]);
    expect([a.inIf, a.outIf, a.srcAs, a.dstAs, formatIp(a.exporter!)]).toEqual([3, 4, 2852, 2853, '147.32.82.62']);
    expect(a.attrs).toEqual({ td: 1.5, eng: '0/58', exid: 1, tr: '2026-11-22 15:13:48.034' });
    expect([b.proto, b.icmpType, b.icmpCode, b.tcpFlags]).toEqual([1, 8, 0, undefined]);
    expect([c.proto, c.revPackets, c.revBytes]).toEqual([17, 3, 96]);
    expect(sink.facts.csvPreset).toBe('nfdump');
    expect(sink.facts.nfdumpSummary).toMatchObject({ flows: 3, bytes: 360, packets: 7 });
    expect(sink.notes).toEqual([]);
  });

  it('keeps records whose end is before the start, at the start, with the written end in attrs', async () => {
    const { sink } = await run([NFDUMP_HEADER, nfRow('2015-10-09 09:47:47', '1970-01-01 00:00:00', '192.168.14.1', '2.2.2.11', 0, 0, 'ICMP', '........', 0, 56)].join('\n'));
    expect(sink.flows.map((f) => [f.startUs === f.endUs, f.attrs?.end_raw])).toEqual([[true, '1970-01-01 00:00:00']]);
    expect(sink.counts['end-before-start']).toBe(1);
  });

  it('notes a summary that disagrees with the rows, and rejects malformed rows by line number', async () => {
    const { sink } = await run([
      NFDUMP_HEADER,
      nfRow('2018-01-12 15:37:30', '2018-01-12 15:37:31', '147.32.80.119', '147.32.82.62', 1, 2, 'TCP', '......S.', 1, 60),
      '2018-01-12 15:37:30,2018-01-12 15:37:31,0.0,1.2.3.4',
      nfRow('2018-01-12 15:37:30', '2018-01-12 15:37:31', '147.32.80.300', '147.32.82.62', 1, 2, 'TCP', '......S.', 1, 60),
      nfRow('2018-01-12 15:37:30', '2018-01-12 15:37:31', '147.32.80.1', '147.32.82.62', 1, 2, 'TCP', '......S.', 1, 60).replace(',1,60,', ',1,sixty,'),
      nfRow('2018-13-12 15:37:30', '2018-01-12 15:37:31', '147.32.80.1', '147.32.82.62', 1, 2, 'TCP', '......S.', 1, 60),
      nfRow('2018-01-12 15:37:30', '2018-01-12 15:37:31', '147.32.80.1', '147.32.82.62', 70000, 2, 'TCP', '......S.', 1, 60),
      'Summary',
      'flows,bytes,packets,avg_bps,avg_pps,avg_bpp',
      '9,60,1,0,0,0',
    ].join('\n'));
    expect(sink.rejects.map((r) => [r.code, r.offset])).toEqual([['bad-column-count', 3], ['bad-address', 4], ['bad-number', 5], ['bad-time', 6], ['bad-number', 7]]);
    expect(sink.flows.map((f) => f.pos)).toEqual([2]);
    expect(sink.notes.map((n) => n.code)).toEqual(['summary-mismatch']);
  });
});

describe('decodeCsv() with the CICFlowMeter preset', () => {
  it('reads CSE-CIC-IDS2018 columns: day-first AM/PM time, duration in µs, payload byte totals, Label', async () => {
    const { sink, failure } = await run([
      'Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Tot Fwd Pkts,Tot Bwd Pkts,TotLen Fwd Pkts,TotLen Bwd Pkts,Fwd Pkt Len Max,Label',
      '172.31.69.25-18.219.211.138-80-59582-6,18.219.211.138,59582,172.31.69.25,80,6,16/02/2018 01:45:28 PM,3974862,2,0,0,0,0,DoS attacks-Hulk',
      '172.31.69.25-18.219.211.138-80-59584-6,18.219.211.138,59584,172.31.69.25,80,6,16/02/2018 01:45:29 PM,1,1,1,20,0,20,Benign',
    ].join('\r\n'), { timeZone: 'Etc/GMT+4' });
    expect(failure).toBeUndefined();
    expect(sink.facts).toMatchObject({ csvPreset: 'cicflowmeter', bytesAre: 'transport-payload', timeZone: 'Etc/GMT+4' });
    const [a, b] = sink.flows;
    expect([formatIp(a.src), a.srcPort, formatIp(a.dst), a.dstPort, a.proto, a.startUs, a.endUs - a.startUs, a.packets, a.revPackets, a.label])
      .toEqual(['18.219.211.138', 59582, '172.31.69.25', 80, 6, Date.UTC(2018, 1, 16, 17, 45, 28) * 1000, 3974862, 2, 0, 'DoS attacks-Hulk']);
    expect(a.attrs).toEqual({ 'Flow ID': '172.31.69.25-18.219.211.138-80-59582-6' });
    expect([b.bytes, b.payloadBytes, b.revBytes, b.revPayloadBytes]).toEqual([20, 20, 0, 0]);
  });

  it('reads CIC-IDS2017 long names with leading spaces', async () => {
    const { sink } = await run([
      'Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration, Total Fwd Packets, Total Backward Packets,Total Length of Fwd Packets, Total Length of Bwd Packets, Label',
      '192.168.10.5-104.16.207.165-54865-443-6,104.16.207.165,443,192.168.10.5,54865,6,7/7/2017 3:30,3,2,0,12,0,BENIGN',
    ].join('\n'));
    expect(sink.flows.map((f) => [formatIp(f.src), f.srcPort, f.startUs, f.endUs - f.startUs, f.packets, f.bytes, f.label]))
      .toEqual([['104.16.207.165', 443, Date.UTC(2017, 6, 7, 3, 30) * 1000, 3, 2, 12, 'BENIGN']]);
  });
});

describe('decodeCsv() with a column mapping', () => {
  it('follows an explicit mapping with ; separators, quoted fields spanning lines, epoch-ms times and a time zone', async () => {
    const { sink, failure } = await run([
      'when;until;from;to;"proto";pk;by;note',
      '1700000000000;1700000001500;10.0.0.1;10.0.0.2;udp;3;300;"multi',
      'line; note"',
      '1700000002000;1700000002000;10.0.0.3;10.0.0.4;17;1;64;plain',
    ].join('\n'), {
      mapping: { startTime: 'when', endTime: 'until', srcAddr: 'from', dstAddr: 'to', proto: 'proto', packets: 'pk', bytes: 'by', timeFormat: 'epoch-ms', keepColumns: ['note'] },
    });
    expect(failure).toBeUndefined();
    expect(sink.rejects).toEqual([]);
    expect(sink.flows.map((f) => [f.pos, f.startUs, f.endUs, f.proto, f.packets, f.bytes, f.attrs?.note])).toEqual([
      [2, 1700000000000000, 1700000001500000, 17, 3, 300, 'multi\nline; note'],
      [4, 1700000002000000, 1700000002000000, 17, 1, 64, 'plain'],
    ]);
    expect(sink.facts.csvSeparator).toBe(';');
  });

  it('reads a headerless TAB file through col1..colN names', async () => {
    const { sink } = await run('2024-01-01 00:00:00\t10.0.0.1\t10.0.0.2\t5\n', {
      hasHeader: false, separator: 'tab', mapping: { startTime: 'col1', srcAddr: 'col2', dstAddr: 'col3', packets: 'col4' },
    });
    expect(sink.flows.map((f) => [f.pos, f.packets])).toEqual([[1, 5]]);
  });

  it('guesses a mapping from common names and says so; fails clearly when nothing fits', async () => {
    const ok = await run('start_time,src_ip,dst_ip,src_port,dst_port,protocol,bytes\n2024-01-01T00:00:00Z,10.0.0.1,10.0.0.2,1,2,6,40\n');
    expect(ok.sink.flows.map((f) => [f.srcPort, f.dstPort, f.proto, f.bytes])).toEqual([[1, 2, 6, 40]]);
    expect(ok.sink.notes.map((n) => n.code)).toEqual(['guessed-mapping']);
    const bad = await run('a,b,c\n1,2,3\n');
    expect(bad.failure).toMatchObject({ code: 'mapping-required', offset: 1 });
    const wrong = await run('a,b,c\n1,2,3\n', { mapping: { startTime: 'a', srcAddr: 'b', dstAddr: 'zz' } });
    expect(wrong.failure?.message).toContain("dstAddr 'zz'");
  });

  it('rejects a quoted field left open and keeps reading after it', async () => {
    const lines = ['start,src,dst', '2024-01-01 00:00:00,"10.0.0.1,10.0.0.2'];
    for (let i = 0; i < 70; i++) lines.push(`2024-01-01 00:00:0${i % 10},10.0.0.${i},10.0.1.1`);
    const { sink } = await run(lines.join('\n'));
    expect(sink.rejects.map((r) => [r.code, r.offset])).toEqual([['unterminated-quote', 2]]);
    expect(sink.flows.length).toBe(70 - 63);
  });

  it('gives the same flows whatever the chunking', async () => {
    const text = ['start,src,dst,bytes', ...Array.from({ length: 40 }, (_, i) => `2024-01-01 00:00:${String(i).padStart(2, '0')},10.0.0.${i},"10.0.1.1",${i}`)].join('\n');
    expect((await run(text, {}, 17)).sink.flows).toEqual((await run(text, {}, 1)).sink.flows);
  });
});

describe('decodeCsv() cancel', () => {
  it('stops within a few thousand lines once the sink is aborted', async () => {
    const text = ['start,src,dst', ...Array.from({ length: 10000 }, (_, i) => `2024-01-01 00:00:00,10.0.0.${i & 255},bad`)].join('\n');
    const sink = new RecordingSink();
    sink.aborted = true;
    await csvLoader.decode({ source: byteSourceOf(enc.encode(text)), sink, fileName: 'x.csv', options: {} });
    expect(sink.rejects.length).toBeGreaterThan(0);
    expect(sink.rejects.length).toBeLessThan(5000);
  });
});

describe('sniffCsv()', () => {
  it('is sure of nfdump and CICFlowMeter headers, unsure of other CSV, blind to Zeek and VPC logs', () => {
    expect(sniffCsv(enc.encode(`${NFDUMP_HEADER}\n`), 'x.csv')).toBeGreaterThan(0.9);
    expect(sniffCsv(enc.encode('Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Label\n'), 'x.csv')).toBeGreaterThan(0.8);
    expect(sniffCsv(enc.encode('StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State\n'), 'x.binetflow')).toBeLessThan(0.5);
    expect(sniffCsv(enc.encode('#separator \\x09\n'), 'conn.log')).toBe(0);
    expect(sniffCsv(enc.encode('version account-id interface-id srcaddr dstaddr\n'), 'x.log')).toBe(0);
  });
});
