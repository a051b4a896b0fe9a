import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { rebuildSessions } from '../../../../core/analysis/sessions/rebuild-sessions';
import { sessionDetail } from '../../../../core/analysis/sessions/session-detail';
import { sessionsPage } from '../../../../core/analysis/sessions/sessions-page';
import { F, SyntheticCase } from './synthetic-case';

const A = '10.0.0.1';
const B = '10.0.0.2';
let c: SyntheticCase;

beforeEach(async () => {
  c = await SyntheticCase.create();
  await c.addEvidence('nfcapd', [
    { src: A, dst: B, sp: 40000, dp: 80, t0: 100, t1: 101, pkts: 5, flags: F.SYN | F.ACK | F.FIN },
    { src: B, dst: A, sp: 80, dp: 40000, t0: 100.01, t1: 101, pkts: 4, flags: F.SYN | F.ACK | F.FIN },
    { src: A, dst: B, sp: 40001, dp: 80, t0: 200, pkts: 1, flags: F.SYN },
    { src: B, dst: A, sp: 80, dp: 40001, t0: 200.001, pkts: 1, flags: F.RST | F.ACK },
    { src: A, dst: B, sp: 40002, dp: 80, t0: 300, pkts: 2, flags: F.SYN },
  ], 'router-a.nfcapd');
  await rebuildSessions(c.store);
});
afterEach(() => c.close());

describe('sessionsPage()', () => {
  test('pages sessions sorted by a column and reports the total', async () => {
    const p = await sessionsPage(c.store, { offset: 1, limit: 1, sort: { column: 'orig_pkts', desc: true } });
    expect(p.total).toBe(3);
    expect(p.rows.map((s) => [s.origP, s.origPkts])).toEqual([[40002, 2]]);
  });

  test('filters by conn_state and by a parameterised WHERE fragment', async () => {
    const rej = await sessionsPage(c.store, { offset: 0, limit: 10, states: ['REJ', 'S0'] });
    expect(rej.rows.map((s) => s.connState).sort()).toEqual(['REJ', 'S0']);
    const f = await sessionsPage(c.store, { offset: 0, limit: 10, filterSql: '"id.orig_p" = $p', params: { p: 40000 } });
    expect(f.rows.map((s) => s.connState)).toEqual(['SF']);
  });
});

describe('sessionDetail()', () => {
  test('returns the session with its flow rows, evidence name and record position', async () => {
    const uid = (await sessionsPage(c.store, { offset: 0, limit: 1 })).rows[0].uid;
    const d = await sessionDetail(c.store, uid);
    expect(d?.session.connState).toBe('SF');
    expect(d?.flows.map((f) => [f.flowId, f.evidenceName, f.position, f.fromOrig])).toEqual([
      [1, 'router-a.nfcapd', 1, true],
      [2, 'router-a.nfcapd', 2, false],
    ]);
  });

  test('returns null for an unknown uid', async () => {
    expect(await sessionDetail(c.store, 'Cnope')).toBeNull();
  });
});
