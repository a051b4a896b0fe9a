import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { rebuildSessions } from '../../../../core/analysis/sessions/rebuild-sessions';
import { sessionsPage } from '../../../../core/analysis/sessions/sessions-page';
import type { SessionView } from '../../../../core/analysis/sessions/session-view';
import { F, SyntheticCase, type TestFlow } from './synthetic-case';

const A = '10.0.0.1';
const B = '10.0.0.2';
const { SYN, ACK, FIN, RST, PSH } = F;

let c: SyntheticCase;
beforeEach(async () => {
  c = await SyntheticCase.create();
});
afterEach(() => c.close());

async function sessions(): Promise<SessionView[]> {
  return (await sessionsPage(c.store, { offset: 0, limit: 1000 })).rows;
}

/** Client A:port -> server B:80, one NetFlow record per direction. */
function tcpPair(port: number, t: number, cFlags: number, sFlags: number | null, cPkts = 5, sPkts = 4): TestFlow[] {
  const out: TestFlow[] = [{ src: A, dst: B, sp: port, dp: 80, t0: t, t1: t + 1, pkts: cPkts, flags: cFlags }];
  if (sFlags !== null) out.push({ src: B, dst: A, sp: 80, dp: port, t0: t + 0.01, t1: t + 1, pkts: sPkts, flags: sFlags });
  return out;
}

describe('rebuildSessions() pairing', () => {
  test('pairs the two directions of a conversation into one session with the SYN sender as originator', async () => {
    await c.addEvidence('nfcapd', tcpPair(40000, 100, SYN | ACK | PSH | FIN, SYN | ACK | PSH | FIN));
    const r = await rebuildSessions(c.store);
    expect(r.sessions).toBe(1);
    const [s] = await sessions();
    expect(s).toMatchObject({
      origH: A, origP: 40000, respH: B, respP: 80, proto: 'tcp', connState: 'SF', history: 'ShADadFf',
      origPkts: 5, respPkts: 4, origIpBytes: 300, respIpBytes: 240, directionInferred: false,
      stateConfidence: 'approximate', sightings: 1, flowIds: [1, 2], origBytes: null,
    });
    expect(s.uid).toMatch(/^C[0-9A-Z]{13}$/);
  });

  test('gives the same uid on every rebuild', async () => {
    await c.addEvidence('nfcapd', tcpPair(40000, 100, SYN | ACK | FIN, SYN | ACK | FIN));
    await rebuildSessions(c.store);
    const first = (await sessions())[0].uid;
    await rebuildSessions(c.store);
    expect((await sessions()).map((s) => s.uid)).toEqual([first]);
  });
});

describe('rebuildSessions() timeout splits', () => {
  test('merges active-timeout splits of both directions into one session', async () => {
    await c.addEvidence('nfcapd', [
      { src: A, dst: B, sp: 40000, dp: 443, t0: 0, t1: 60, pkts: 100, flags: SYN | ACK | PSH },
      { src: B, dst: A, sp: 443, dp: 40000, t0: 0.01, t1: 60, pkts: 90, flags: SYN | ACK | PSH },
      { src: A, dst: B, sp: 40000, dp: 443, t0: 60.5, t1: 120, pkts: 50, flags: ACK | PSH | FIN },
      { src: B, dst: A, sp: 443, dp: 40000, t0: 60.6, t1: 121, pkts: 40, flags: ACK | PSH | FIN },
    ]);
    await rebuildSessions(c.store, { idleLimitS: 30 });
    const all = await sessions();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ origPkts: 150, respPkts: 130, connState: 'SF', duration: 121, flowIds: [1, 2, 3, 4] });
  });

  test('keeps a long record open: a reply inside it is not an idle gap', async () => {
    await c.addEvidence('nfcapd', [
      { src: A, dst: B, sp: 40000, dp: 443, t0: 0, t1: 1000, pkts: 500, flags: SYN | ACK | PSH },
      { src: B, dst: A, sp: 443, dp: 40000, t0: 0.01, t1: 1, pkts: 2, flags: SYN | ACK },
      { src: B, dst: A, sp: 443, dp: 40000, t0: 600, t1: 601, pkts: 2, flags: ACK | PSH },
    ]);
    await rebuildSessions(c.store, { idleLimitS: 300 });
    expect(await sessions()).toHaveLength(1);
  });

  test('starts a new session after an idle gap longer than the limit', async () => {
    await c.addEvidence('nfcapd', [
      { src: A, dst: B, sp: 5000, dp: 53, proto: 17, t0: 0, pkts: 1 },
      { src: B, dst: A, sp: 53, dp: 5000, proto: 17, t0: 0.01, pkts: 1 },
      { src: A, dst: B, sp: 5000, dp: 53, proto: 17, t0: 100, pkts: 1 },
    ]);
    await rebuildSessions(c.store, { idleLimitS: 60 });
    const all = await sessions();
    expect(all.map((s) => [s.connState, s.history, s.flowIds])).toEqual([['SF', 'Dd', [1, 2]], ['S0', 'D', [3]]]);
    await rebuildSessions(c.store, { idleLimitS: 200 });
    expect(await sessions()).toHaveLength(1);
  });

  test('starts a new session when a SYN follows a RST on the same 5-tuple', async () => {
    await c.addEvidence('nfcapd', [
      { src: A, dst: B, sp: 40001, dp: 80, t0: 10, pkts: 1, flags: SYN },
      { src: B, dst: A, sp: 80, dp: 40001, t0: 10.001, pkts: 1, flags: RST | ACK },
      { src: A, dst: B, sp: 40001, dp: 80, t0: 13, t1: 14, pkts: 6, flags: SYN | ACK | PSH | FIN },
      { src: B, dst: A, sp: 80, dp: 40001, t0: 13.001, t1: 14, pkts: 5, flags: SYN | ACK | PSH | FIN },
    ]);
    await rebuildSessions(c.store);
    const all = await sessions();
    expect(all.map((s) => [s.connState, s.history, s.flowIds])).toEqual([
      ['REJ', 'Sr', [1, 2]],
      ['SF', 'ShADadFf', [3, 4]],
    ]);
    expect(all[0].uid).not.toBe(all[1].uid);
  });
});

describe('rebuildSessions() duplicate sightings', () => {
  const flows = (exporter: string, skew = 0): TestFlow[] =>
    tcpPair(40000, 100 + skew, SYN | ACK | PSH | FIN, SYN | ACK | PSH | FIN).map((f) => ({ ...f, exporter }));

  test('counts a conversation seen by two exporters once and records both sightings', async () => {
    await c.addEvidence('nfcapd', [...flows('192.0.2.1'), ...flows('192.0.2.2', 0.002)]);
    await rebuildSessions(c.store);
    const all = await sessions();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ sightings: 2, origPkts: 5, respPkts: 4, flowIds: [1, 2, 3, 4] });
  });

  test('counts a conversation in two evidence files once', async () => {
    await c.addEvidence('nfcapd', tcpPair(40000, 100, SYN | ACK | FIN, SYN | ACK | FIN));
    await c.addEvidence('argus', [{ src: A, dst: B, sp: 40000, dp: 80, t0: 100, t1: 101, pkts: 5, revPkts: 4, state: 'FIN' }]);
    await rebuildSessions(c.store);
    const all = await sessions();
    expect(all).toHaveLength(1);
    // The bidirectional (Argus) record is preferred over the unidirectional ones.
    expect(all[0]).toMatchObject({ sightings: 2, sourceFormat: 'argus', evidenceIds: [1, 2], flowIds: [1, 2, 3] });
  });

  test('keeps sightings apart when their counts differ by more than a factor of two', async () => {
    await c.addEvidence('nfcapd', flows('192.0.2.1'));
    await c.addEvidence('nfcapd', flows('192.0.2.2').map((f) => ({ ...f, pkts: (f.pkts ?? 1) * 10 })));
    await rebuildSessions(c.store);
    expect((await sessions()).map((s) => s.sightings)).toEqual([1, 1]);
  });

  test('does not merge sessions of one exporter that follow each other', async () => {
    const X = '192.0.2.1';
    await c.addEvidence('nfcapd', [
      { src: A, dst: B, sp: 40000, dp: 80, t0: 100, pkts: 1, flags: SYN, exporter: X },
      { src: B, dst: A, sp: 80, dp: 40000, t0: 100.001, pkts: 1, flags: RST | ACK, exporter: X },
      { src: A, dst: B, sp: 40000, dp: 80, t0: 100.5, pkts: 1, flags: SYN, exporter: X },
      { src: B, dst: A, sp: 80, dp: 40000, t0: 100.501, pkts: 1, flags: RST | ACK, exporter: X },
    ]);
    await rebuildSessions(c.store);
    expect((await sessions()).map((s) => [s.connState, s.sightings])).toEqual([['REJ', 1], ['REJ', 1]]);
  });
});

describe('rebuildSessions() originator', () => {
  test('takes the SYN sender as originator even when its record starts later', async () => {
    await c.addEvidence('nfcapd', [
      { src: B, dst: A, sp: 80, dp: 40000, t0: 99, t1: 101, pkts: 4, flags: SYN | ACK | FIN },
      { src: A, dst: B, sp: 40000, dp: 80, t0: 100, t1: 101, pkts: 1, flags: SYN },
    ]);
    await rebuildSessions(c.store);
    expect((await sessions())[0]).toMatchObject({ origH: A, origP: 40000, directionInferred: false });
  });

  test('infers the service side from a well-known port when no SYN was seen (Zeek ^)', async () => {
    await c.addEvidence('nfcapd', [
      { src: B, dst: A, sp: 443, dp: 51000, t0: 10, t1: 20, pkts: 30, flags: ACK | PSH },
      { src: A, dst: B, sp: 51000, dp: 443, t0: 10.2, t1: 20, pkts: 20, flags: ACK | PSH },
    ]);
    await rebuildSessions(c.store);
    expect((await sessions())[0]).toMatchObject({
      origH: A, origP: 51000, respH: B, respP: 443, directionInferred: true, connState: 'OTH', history: 'ADad',
    });
  });

  test('takes the earlier record as originator between two unprivileged ports', async () => {
    await c.addEvidence('nfcapd', [
      { src: B, dst: A, sp: 40001, dp: 40002, proto: 17, t0: 5, pkts: 2 },
      { src: A, dst: B, sp: 40002, dp: 40001, proto: 17, t0: 5.1, pkts: 1 },
    ]);
    await rebuildSessions(c.store);
    expect((await sessions())[0]).toMatchObject({ origH: B, origP: 40001, directionInferred: false, origPkts: 2, respPkts: 1 });
  });

  test('takes originator, state and history of pcap-metered rows as they are', async () => {
    await c.addEvidence('pcap', [
      { src: B, dst: A, sp: 80, dp: 40000, t0: 1, t1: 2, pkts: 3, revPkts: 4, state: 'SF', history: '^hADdFaf', payload: 10, revPayload: 20 },
      { src: B, dst: A, sp: 80, dp: 40000, t0: 3, t1: 4, pkts: 1, revPkts: 0, state: 'OTH', history: 'D' },
    ]);
    await rebuildSessions(c.store);
    const all = await sessions();
    expect(all.map((s) => [s.origH, s.connState, s.history, s.stateConfidence, s.directionInferred, s.origBytes])).toEqual([
      [B, 'SF', '^hADdFaf', 'exact', true, 10],
      [B, 'OTH', 'D', 'exact', false, null],
    ]);
  });
});

describe('rebuildSessions() conn_state from OR-ed flags', () => {
  const cases: [string, number, number | null, number, number, string, string][] = [
    ['S0', SYN, null, 2, 0, 'S0', 'S'],
    ['REJ', SYN, RST | ACK, 1, 1, 'REJ', 'Sr'],
    ['RSTOS0', SYN | RST, null, 2, 0, 'RSTOS0', 'SR'],
    ['SH', SYN | FIN, null, 2, 0, 'SH', 'SF'],
    ['S1', SYN | ACK | PSH, SYN | ACK | PSH, 5, 4, 'S1', 'ShADad'],
    ['RSTO', SYN | ACK | PSH | RST, SYN | ACK | PSH, 5, 4, 'RSTO', 'ShADadR'],
    ['RSTR', SYN | ACK | PSH, SYN | ACK | PSH | RST, 5, 4, 'RSTR', 'ShADadr'],
    ['S2', SYN | ACK | PSH | FIN, SYN | ACK | PSH, 5, 4, 'S2', 'ShADadF'],
    ['S3', SYN | ACK | PSH, SYN | ACK | PSH | FIN, 5, 4, 'S3', 'ShADadf'],
  ];
  test.each(cases)('%s', async (_name, cFlags, sFlags, cPkts, sPkts, state, history) => {
    await c.addEvidence('nfcapd', tcpPair(40000, 100, cFlags, sFlags, cPkts, sPkts));
    await rebuildSessions(c.store);
    expect((await sessions()).map((s) => [s.connState, s.history])).toEqual([[state, history]]);
  });

  test('marks both-sides-RST as ambiguous with a reason', async () => {
    await c.addEvidence('nfcapd', tcpPair(40000, 100, SYN | ACK | RST, SYN | ACK | RST));
    await rebuildSessions(c.store);
    const [s] = await sessions();
    expect(s.connState).toBe('RSTR');
    expect(s.stateConfidence).toBe('ambiguous');
    expect(s.stateReason).toMatch(/both sides sent RST/);
  });
});

describe('rebuildSessions() incremental', () => {
  test('rebuilding around a new evidence file joins its records to the sessions it continues', async () => {
    // Two rotated files of one exporter.
    const X = '192.0.2.9';
    await c.addEvidence('nfcapd', [
      { src: A, dst: B, sp: 40000, dp: 443, t0: 0, t1: 300, pkts: 100, flags: SYN | ACK | PSH, exporter: X },
      { src: B, dst: A, sp: 443, dp: 40000, t0: 0.01, t1: 300, pkts: 90, flags: SYN | ACK | PSH, exporter: X },
      { src: A, dst: B, sp: 41000, dp: 443, t0: 5000, t1: 5001, pkts: 3, flags: SYN | ACK | FIN, exporter: X },
    ]);
    await rebuildSessions(c.store, { idleLimitS: 60 });
    const far = (await sessions()).find((s) => s.origP === 41000)!;
    const second = await c.addEvidence('nfcapd', [
      { src: A, dst: B, sp: 40000, dp: 443, t0: 310, t1: 400, pkts: 10, flags: ACK | PSH | FIN, exporter: X },
      { src: B, dst: A, sp: 443, dp: 40000, t0: 310, t1: 400, pkts: 9, flags: ACK | PSH | FIN, exporter: X },
    ]);
    const r = await rebuildSessions(c.store, { evidenceIds: [second], idleLimitS: 60 });
    expect(r.replaced).toBe(1);
    const inc = await sessions();
    expect(inc.map((s) => [s.origP, s.origPkts, s.connState, s.evidenceIds])).toEqual([
      [40000, 110, 'SF', [1, 2]],
      [41000, 3, 'SH', [1]],
    ]);
    // The far session was not touched, and a full rebuild gives the same table.
    expect(inc[1].uid).toBe(far.uid);
    await rebuildSessions(c.store, { idleLimitS: 60 });
    expect(await sessions()).toEqual(inc);
  });

  test('rebuilds whole every session that reaches into the grown window, not just the first ones', async () => {
    const X = '192.0.2.9';
    // P is touched by the new file's window; Q overlaps only the part P's start adds.
    await c.addEvidence('nfcapd', [
      { src: A, dst: B, sp: 40000, dp: 443, t0: 1000, t1: 2000, pkts: 100, flags: ACK | PSH, exporter: X },
      { src: A, dst: B, sp: 41000, dp: 443, t0: 500, t1: 550, pkts: 5, flags: ACK | PSH, exporter: X },
      { src: A, dst: B, sp: 41000, dp: 443, t0: 580, t1: 1005, pkts: 7, flags: ACK | PSH, exporter: X },
    ]);
    await rebuildSessions(c.store, { idleLimitS: 60 });
    const second = await c.addEvidence('nfcapd', [
      { src: A, dst: B, sp: 40000, dp: 443, t0: 1990, t1: 2000, pkts: 1, flags: ACK | FIN, exporter: X },
    ]);
    await rebuildSessions(c.store, { evidenceIds: [second], idleLimitS: 60 });
    const inc = await sessions();
    expect(inc.map((s) => [s.origP, s.origPkts])).toEqual([[41000, 12], [40000, 101]]);
    await rebuildSessions(c.store, { idleLimitS: 60 });
    expect(await sessions()).toEqual(inc);
  });
});
