import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { byteSourceOf } from '../../../../core/formats/common/byte-source';
import { ipauditLoader, sniffIpaudit } from '../../../../core/formats/ipaudit/ipaudit-loader';
import type { DecodeOptions } from '../../../../core/formats/decoder';
import { formatIp } from '../../../../core/model/ip';
import { RecordingSink } from '../../../helpers/recording-sink';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'ipaudit', '2006-03-27-08:00.txt');
const enc = new TextEncoder();

async function run(text: string, fileName: string, options: DecodeOptions = {}) {
  const sink = new RecordingSink();
  const failure = await ipauditLoader.decode({ source: byteSourceOf(enc.encode(text)), sink, fileName, options });
  return { sink, failure };
}

const at = (h: number, m: number, s: number, us: number) => Date.UTC(2006, 2, 27, h, m, s) * 1000 + us;

describe('decodeIpaudit()', () => {
  it('reads the published example lines: date from the file name, first talker as source, both directions', async () => {
    const { sink, failure } = await run(readFileSync(FIXTURE, 'utf8'), '2006-03-27-08:00.txt');
    expect(failure).toBeUndefined();
    expect(sink.rejects).toEqual([]);
    expect(sink.flows).toHaveLength(5);
    expect(sink.facts).toEqual({ dateSource: 'file-name', date: '2006-03-27', timeZone: 'UTC' });
    const a = sink.flows[0];
    // 010.010.040.058 082.054.137.189 6 3897 4662 867794 19677218 8633 15657 08:00:02.7605 08:30:01.1104 2 2
    expect([a.pos, formatIp(a.src), a.srcPort, formatIp(a.dst), a.dstPort, a.proto]).toEqual([1, '82.54.137.189', 4662, '10.10.40.58', 3897, 6]);
    expect([a.packets, a.bytes, a.revPackets, a.revBytes]).toEqual([8633, 867794, 15657, 19677218]);
    expect([a.startUs, a.endUs]).toEqual([at(8, 0, 2, 760500), at(8, 30, 1, 110400)]);
    expect(a.attrs).toEqual({ local: 'dst', first_talker: 2, last_talker: 2 });
    const e = sink.flows[4];
    expect([formatIp(e.src), e.srcPort, formatIp(e.dst), e.dstPort, e.packets, e.bytes, e.revPackets, e.revBytes, e.startUs, e.endUs])
      .toEqual(['204.102.114.56', 80, '10.10.40.224', 1123, 1778, 2615794, 1134, 74941, at(8, 0, 2, 761800), at(8, 2, 7, 4100)]);
    expect(sink.flows.reduce((s, f) => s + f.bytes + (f.revBytes ?? 0), 0)).toBe(867794 + 19677218 + 110937 + 635829 + 3753509 + 19716358 + 9446 + 1163 + 2615794 + 74941);
  });

  it('makes ip1 the source when ip1 talked first, and when the line has no talker columns', async () => {
    const { sink } = await run('010.000.000.001 192.000.002.001 6 1105 23 19934 2993 41 33 14:01:32.0495 14:04:23.9491 1 2\n105.033.041.107 105.033.041.188 1 0 0 0 680 0 10\n', 'x.txt', { date: '2006-03-27' });
    expect(sink.flows.map((f) => [formatIp(f.src), f.srcPort, formatIp(f.dst), f.dstPort, f.packets, f.bytes, f.revPackets, f.revBytes])).toEqual([
      ['10.0.0.1', 1105, '192.0.2.1', 23, 33, 2993, 41, 19934],
      ['105.33.41.107', 0, '105.33.41.188', 0, 10, 680, 0, 0],
    ]);
    expect(sink.flows[1].startUs).toBe(Date.UTC(2006, 2, 27) * 1000);
    expect(sink.notes.map((n) => n.code)).toEqual(['no-flow-times']);
    expect(sink.facts.dateSource).toBe('option');
  });

  it('converts local times with the timeZone option and rolls past midnight', async () => {
    const { sink } = await run('010.000.000.001 010.000.000.002 17 53 53 1 1 1 1 23:59:59.5000 00:00:00.2500 1 2\n010.000.000.001 010.000.000.002 17 53 53 1 1 1 1 00:10:00.0000 00:11:00.0000 1 1\n', '2006-03-27-23:30.txt', { timeZone: 'America/New_York' });
    // EST (UTC-5) on that day.
    expect(sink.flows.map((f) => [f.startUs, f.endUs])).toEqual([
      [Date.UTC(2006, 2, 28, 4, 59, 59) * 1000 + 500000, Date.UTC(2006, 2, 28, 5, 0, 0) * 1000 + 250000],
      [Date.UTC(2006, 2, 28, 5, 10, 0) * 1000, Date.UTC(2006, 2, 28, 5, 11, 0) * 1000],
    ]);
    expect(sink.facts.timeZone).toBe('America/New_York');
  });

  it('fails asking for the date when neither the file name nor the options give one', async () => {
    const { sink, failure } = await run('010.000.000.001 010.000.000.002 17 53 53 1 1 1 1\n', 'capture.txt');
    expect(failure?.code).toBe('date-required');
    expect(failure?.message).toContain("'date' (YYYY-MM-DD)");
    expect(sink.flows).toEqual([]);
    expect((await run('', 'x.txt', { date: '2006-02-30' })).failure?.code).toBe('bad-option');
    expect((await run('', 'x.txt', { date: '2006-02-03', timeZone: 'Mars/Olympus' })).failure?.message).toContain('Mars/Olympus');
  });

  it('rejects short lines, bad addresses, bad counts and bad times by line number and imports the rest', async () => {
    const { sink } = await run([
      '010.000.000.001 010.000.000.002 6 1 2',
      '010.000.000.301 010.000.000.002 6 1 2 3 4 5 6',
      '010.000.000.001 010.000.000.002 6 1 2 3 x 5 6',
      '010.000.000.001 010.000.000.002 6 1 2 3 4 5 6 25:00:00.0000 08:00:00.0000 1 1',
      '010.000.000.001 010.000.000.002 6 1 2 3 4 5 6 08:00:00.0000 08:00:01.0000 1 1',
    ].join('\n'), '2006-03-27-08:00.txt');
    expect(sink.rejects.map((r) => [r.code, r.offset])).toEqual([['bad-column-count', 1], ['bad-address', 2], ['bad-number', 3], ['bad-time', 4]]);
    expect(sink.flows.map((f) => f.pos)).toEqual([5]);
  });

  it('sniffIpaudit() recognises zero-padded IPAudit lines and nothing else', () => {
    expect(sniffIpaudit(readFileSync(FIXTURE), '2006-03-27-08:00.txt')).toBeGreaterThan(0.9);
    expect(sniffIpaudit(enc.encode('10.0.0.1 10.0.0.2 6 1 2 3 4 5 6\n'), '2006-03-27-08:00.txt')).toBeGreaterThan(0.8);
    expect(sniffIpaudit(enc.encode('version account-id interface-id srcaddr\n'), 'x.txt')).toBe(0);
  });
});
