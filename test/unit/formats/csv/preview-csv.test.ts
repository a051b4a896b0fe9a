import { describe, expect, it } from 'vitest';
import { previewCsv } from '../../../../core/formats/csv/preview-csv';
import { formatIp } from '../../../../core/model/ip';

describe('previewCsv()', () => {
  it('detects the nfdump preset and parses at most 20 rows, ignoring a cut last line', () => {
    const header = 'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt';
    const rows = Array.from({ length: 30 }, (_, i) => `2018-01-12 15:37:${String(i).padStart(2, '0')},2018-01-12 15:38:00,0.000,10.0.0.${i},10.0.1.1,${1000 + i},80,TCP,......S.,0,0,1,60,0,0`);
    const p = previewCsv(`${header}\n${rows.join('\n')}\n2018-01-12 15:3`);
    expect(p.preset).toBe('nfdump');
    expect(p.separator).toBe(',');
    expect(p.columns.slice(0, 4)).toEqual(['ts', 'te', 'td', 'sa']);
    expect(p.rows).toHaveLength(20);
    expect(p.rows[0].line).toBe(2);
    expect(formatIp(p.rows[19].flow!.src)).toBe('10.0.0.19');
    expect(p.rows[0].flow?.tcpFlags).toBe(2);
  });

  it('shows a guessed mapping for unknown columns, row errors in place, and a mapping error when a column is missing', () => {
    const text = 'time;source;destination;size\n2024-05-01 10:00:00;10.0.0.1;10.0.0.2;100\n2024-05-01 10:00:01;nope;10.0.0.2;100\n';
    const guessed = previewCsv(text);
    expect(guessed.separator).toBe(';');
    expect(guessed.preset).toBeNull();
    expect(guessed.mappingError).toContain('no preset fits');
    const mapped = previewCsv(text, { startTime: 'time', srcAddr: 'source', dstAddr: 'destination', bytes: 'size', timeZone: 'Europe/Prague' });
    expect(mapped.rows.map((r) => r.error ?? r.flow!.startUs)).toEqual([Date.UTC(2024, 4, 1, 8, 0, 0) * 1000, "source address 'nope' is not an IP address"]);
    const broken = previewCsv(text, { startTime: 'time', srcAddr: 'src', dstAddr: 'destination' });
    expect(broken.mappingError).toContain("srcAddr 'src'");
    expect(broken.rows.map((r) => r.fields[1])).toEqual(['10.0.0.1', 'nope']);
  });

  it('returns no columns for empty text', () => {
    expect(previewCsv('')).toMatchObject({ columns: [], rows: [], preset: null });
  });
});
