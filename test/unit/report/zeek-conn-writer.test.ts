import { describe, expect, test } from 'vitest';
import type { SessionView } from '../../../core/analysis/sessions/session-view';
import { writeZeekConnLog, zeekTime } from '../../../core/report/zeek-conn-writer';

const session = (over: Partial<SessionView> = {}): SessionView => ({
  uid: 'C0DYAHUGSSS7PL', ts: 1300475168853000, endUs: 1300475168892000, origH: '141.142.220.118', origP: 43927,
  respH: '141.142.2.2', respP: 53, proto: 'udp', ipProto: 17, service: null, duration: 0.039, origBytes: null,
  respBytes: null, connState: 'SF', history: 'Dd', origPkts: 1, origIpBytes: 66, respPkts: 1, respIpBytes: 117,
  missedBytes: null, directionInferred: false, stateConfidence: 'approximate', stateReason: null, sourceFormat: 'nfcapd',
  sightings: 1, flowIds: [1, 2], evidenceIds: [1], ...over,
});

async function render(rows: SessionView[]): Promise<string> {
  let text = '';
  await writeZeekConnLog(rows, { write: (s: string) => (text += s) }, { openedUs: 1700000000000000, closedUs: 1700000001000000 });
  return text;
}

describe('writeZeekConnLog()', () => {
  test('writes Zeek\'s header lines, one TSV row per session and #close', async () => {
    const lines = (await render([session()])).trimEnd().split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', '#open\t2023-11-14-22-13-20',
    ]);
    const fields = lines[6].split('\t');
    const types = lines[7].split('\t');
    expect(fields[0]).toBe('#fields');
    expect(types[0]).toBe('#types');
    expect(fields.length).toBe(types.length);
    const row = Object.fromEntries(lines[8].split('\t').map((v, i) => [fields[i + 1], v]));
    expect(row).toMatchObject({
      ts: '1300475168.853000', uid: 'C0DYAHUGSSS7PL', 'id.orig_h': '141.142.220.118', 'id.orig_p': '43927', 'id.resp_h': '141.142.2.2',
      'id.resp_p': '53', proto: 'udp', service: '-', duration: '0.039000', orig_bytes: '-', resp_bytes: '-', conn_state: 'SF',
      missed_bytes: '-', history: 'Dd', orig_pkts: '1', orig_ip_bytes: '66', resp_pkts: '1', resp_ip_bytes: '117', tunnel_parents: '-',
      ip_proto: '17',
    });
    expect(lines[9]).toBe('#close\t2023-11-14-22-13-21');
    expect(lines).toHaveLength(10);
  });

  test('escapes tabs and writes empty strings as (empty)', async () => {
    const text = await render([session({ service: 'a\tb', history: '' })]);
    const row = text.split('\n')[8].split('\t');
    expect(row[7]).toBe('a\\x09b');
    expect(row[15]).toBe('(empty)');
  });

  test('zeekTime() prints microseconds without float rounding', () => {
    expect(zeekTime(1300475168853001)).toBe('1300475168.853001');
    expect(zeekTime(5)).toBe('0.000005');
  });
});
