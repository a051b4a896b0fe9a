import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote } from '../../../../core/analysis/notes/note-store';
import { buildTimeline } from '../../../../core/analysis/timeline/timeline-events';
import { microsToIso } from '../../../../core/model/time';
import { addDetectionsTable, ATTACKER, D1, D2, insertDetection, OLD_PEER, us, V, victimCase } from '../../../helpers/victim-case';

let c: Awaited<ReturnType<typeof victimCase>>;
beforeAll(async () => {
  c = await victimCase();
  await addDetectionsTable(c.store);
  await insertDetection(c.store, { id: 7, kind: 'port-scan', src: ATTACKER, dst: V, t0: 600, t1: 641, summary: `${ATTACKER} scanned ${V}`, evidence: `src host ${ATTACKER} and dst host ${V}` });
  await insertDetection(c.store, { id: 8, kind: 'port-scan', src: ATTACKER, dst: V, t0: 700, t1: 701, summary: 'suppressed', evidence: 'x', status: 'suppressed' });
  const flowId = Number(await c.store.value(`SELECT min(flow_id) FROM flows_v WHERE src_addr = '${V}' AND dst_addr = '${D1}'`));
  await addNote(c.store, { target: { kind: 'flow', ref: String(flowId) }, text: 'first exfil', tags: ['exfil'], nowUs: 1 });
});
afterAll(() => c.cleanup());

const line = (e: { timeUs: number; source: string; kind: string; host: string | null; peer: string | null }) =>
  `${microsToIso(e.timeUs).slice(11, 19)} ${e.source} ${e.kind} ${e.host ?? '-'} ${e.peer ?? '-'}`;

describe('buildTimeline()', () => {
  it('puts detections, notes, the story and first/last contacts of a host in time order', async () => {
    const t = await buildTimeline(c.store, { hosts: [V] });
    expect(t.events.map(line)).toEqual([
      `08:01:40 contact first-contact ${V} ${OLD_PEER}`,
      `08:51:50 contact last-contact ${V} ${OLD_PEER}`,
      `09:10:00 detection port-scan ${V} ${ATTACKER}`,
      `09:10:01 story scan ${V} ${ATTACKER}`,
      `09:10:01 contact first-contact ${V} ${ATTACKER}`,
      `09:30:00 story foothold ${V} ${ATTACKER}`,
      `09:40:00 story download ${V} ${ATTACKER}`,
      `09:40:00 story new-service-used ${V} ${ATTACKER}`,
      `10:00:00 story new-service ${V} ${ATTACKER}`,
      `10:05:00 contact last-contact ${V} ${ATTACKER}`,
      `10:10:00 story transfer-out ${V} ${D1}`,
      `10:10:00 note note ${V} ${D1}`,
      `10:10:00 contact first-contact ${V} ${D1}`,
      `10:15:00 story transfer-out ${V} ${D2}`,
      `10:15:00 contact first-contact ${V} ${D2}`,
      `10:15:40 contact last-contact ${V} ${D2}`,
      `11:02:00 contact last-contact ${V} ${D1}`,
    ]);
    // A peer seen only before the compromise gets no lane of its own.
    expect(t.lanes).toEqual([V, ATTACKER, D1, D2]);
    expect(t.compromise).toEqual({ [V]: us(1800) });
    const note = t.events.find((e) => e.source === 'note')!;
    expect(note).toMatchObject({ summary: 'flow ' + note.targetRef + ' noted: first exfil', tags: ['exfil'], note: 'first exfil' });
    expect(t.events.find((e) => e.kind === 'foothold')).toMatchObject({ status: 'proposed', phase: 'compromise' });
  });

  it('keeps to the window, and without hosts takes the hosts the notes are about', async () => {
    // The flow note makes its internal side, the victim, a host of interest.
    const t = await buildTimeline(c.store, { fromUs: us(4000), toUs: us(4600) });
    expect(t.hosts).toEqual([V]);
    expect(t.events.map(line)).toContain(`10:10:00 story transfer-out ${V} ${D1}`);
    await addNote(c.store, { target: { kind: 'host', ref: '10.0.0.20' }, text: 'file server', nowUs: 2 });
    await addNote(c.store, { target: { kind: 'host', ref: V }, text: 'the victim', nowUs: 3 });
    const t2 = await buildTimeline(c.store, { fromUs: us(4000), toUs: us(4600), includeProposed: false });
    expect(t2.hosts).toEqual(['10.0.0.20', V]);
    // The host note spans the host's whole time; accepted-only leaves the proposed story out.
    expect(t2.events.map(line)).toEqual([
      `08:00:00 note note 10.0.0.20 -`, `08:00:00 note note ${V} -`, `10:10:00 note note ${V} ${D1}`, `10:10:00 contact first-contact ${V} ${D1}`,
      `10:15:00 contact first-contact ${V} ${D2}`, `10:15:40 contact last-contact ${V} ${D2}`,
    ]);
  });
});
