import { describe, expect, it } from 'vitest';
import { counterRows, factRows, labelOf } from '../../../renderer/features/evidence/fact-rows';

const byKey = (rows: { key: string }[], k: string) => rows.find((r) => r.key === k) as unknown as { label: string; value: string; explain?: string; notable?: boolean };

describe('evidence facts as labelled, formatted values', () => {
  it('epoch microseconds become times in the display zone with the zone named; counts get separators', () => {
    const rows = factRows({ firstPacketUs: 1710230405886566, ipPackets: 1178, packets: 1234567 }, 'America/New_York');
    expect(byKey(rows, 'firstPacketUs')).toMatchObject({ label: 'First packet', value: '2024-03-12 04:00:05.886566 EDT' });
    expect(byKey(rows, 'ipPackets').value).toBe('1,178');
    expect(byKey(rows, 'packets').value).toBe('1,234,567');
    expect(factRows({ firstPacketUs: 1710230405886566 }, 'UTC')[0].value).toBe('2024-03-12 08:00:05.886566 UTC');
  });

  it('nfcapd blocks: declared versus read, each explained (the appendix is the extra block)', () => {
    const rows = factRows({ 'nfcapd.declared_blocks': 2, 'nfcapd.blocks': 3 }, 'UTC');
    expect(byKey(rows, 'nfcapd.declared_blocks')).toMatchObject({ label: 'Data blocks declared', value: '2' });
    expect(byKey(rows, 'nfcapd.declared_blocks').explain).toContain('appendix');
    expect(byKey(rows, 'nfcapd.blocks')).toMatchObject({ label: 'Blocks read', value: '3' });
    expect(byKey(rows, 'nfcapd.blocks').explain).toContain('one more than declared');
  });

  it('objects and lists are said in words, never as JSON', () => {
    const rows = factRows({
      'nfcapd.stat': { flows: 12345, bytes: 2_000_000, packets: 3000, firstMs: 1710230405886, lastMs: 1710230505000 },
      capture: { container: 'pcap', frames: 1178, ipPackets: 1178, timestampResolution: 'µs' },
      sampling: [{ interval: 1000, exporter: '10.0.0.1' }],
      'argus-source-ids': ['a', 'b', 'c', 'd', 'e', 'f'],
      someNested: { innerCount: 4096, flag: true },
    }, 'UTC');
    for (const r of rows) expect(r.value).not.toMatch(/[{}"[\]]/);
    expect(byKey(rows, 'nfcapd.stat').value).toBe('12,345 flows · 3,000 packets · 2,000,000 bytes (2.00 MB) · first 2024-03-12 08:00:05.886 UTC · last 2024-03-12 08:01:45.000 UTC');
    expect(byKey(rows, 'capture').value).toBe('pcap, 1,178 frames, 1,178 IP, µs timestamps');
    expect(byKey(rows, 'sampling')).toMatchObject({ value: '1 in 1,000 from 10.0.0.1', notable: true });
    expect(byKey(rows, 'argus-source-ids')).toMatchObject({ label: 'Argus source IDs', value: 'a; b; c; d; and 2 more' });
    expect(byKey(rows, 'someNested')).toMatchObject({ label: 'Some nested', value: 'inner count 4,096 · flag yes' });
  });

  it('counters that mean evidence left out of the flows say so', () => {
    const rows = counterRows({ 'non-ip-frames': 259, datagrams: 1200 });
    expect(byKey(rows, 'non-ip-frames')).toMatchObject({ label: 'Non IP frames', value: '259', notable: true });
    expect(byKey(rows, 'non-ip-frames').explain).toContain('not stored as flows');
    expect(byKey(rows, 'datagrams').value).toBe('1,200');
    expect(labelOf('argus-packets-dropped')).toBe('Argus packets dropped');
  });
});
