import { afterEach, describe, expect, it } from 'vitest';
import { buildStory } from '../../../../core/analysis/timeline/story';
import { acceptStoryEntry, dismissStoryEntry } from '../../../../core/analysis/timeline/story-decisions';
import { noteHistory } from '../../../../core/analysis/notes/note-store';
import { microsToIso } from '../../../../core/model/time';
import { CaseStore } from '../../../../core/store/case-store';
import { tempDir } from '../../../helpers/temp';
import { addDetectionsTable, ATTACKER, D1, D2, insertDetection, us, V, victimCase, writeEvidence, type VFlow } from '../../../helpers/victim-case';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
async function victim() {
  const c = await victimCase();
  cleanups.push(c.cleanup);
  return c;
}
async function emptyCase(): Promise<CaseStore> {
  const t = tempDir('flowcase-story-');
  const store = await CaseStore.open(`${t.dir}/c.duckdb`);
  cleanups.push(() => { store.close(); t.cleanup(); });
  return store;
}
const line = (e: { timeUs: number; phase: string; kind: string; peer: string | null }) => `${microsToIso(e.timeUs).slice(11, 19)} ${e.phase} ${e.kind} ${e.peer ?? '-'}`;

describe('buildStory()', () => {
  it('tells the victim case: the scan, the foothold, and what the victim did afterwards', async () => {
    const c = await victim();
    const s = await buildStory(c.store, V);
    expect(s).toMatchObject({ host: V, sinceUs: null, compromiseUs: us(1800), compromiseBasis: 'foothold', attackers: [ATTACKER] });
    expect(s.entries.map(line)).toEqual([
      `09:10:01 before scan ${ATTACKER}`,
      `09:30:00 compromise foothold ${ATTACKER}`,
      `09:40:00 after download ${ATTACKER}`,
      `09:40:00 after new-service-used ${ATTACKER}`,
      `10:00:00 after new-service ${ATTACKER}`,
      `10:10:00 after transfer-out ${D1}`,
      `10:15:00 after transfer-out ${D2}`,
    ]);
    expect(s.entries.every((e) => e.status === 'proposed')).toBe(true);
    expect(s.foothold).toMatchObject({ kind: 'foothold', uid: expect.stringMatching(/^C[0-9A-Z]{13}$/), bytes: 110_000 });
    expect(s.entries[0].summary).toBe(`${ATTACKER} scanned ${V}: 40 refused or unanswered attempts on 40 ports (10, 20, 30, 40, 50, 60 and 34 more)`);
    expect(s.entries[0].evidence).toBe(`dst host ${V} and src host ${ATTACKER} and start >= 2024-03-12T09:10:01Z and start <= 2024-03-12T09:10:40Z`);
    const d2 = s.entries.find((e) => e.peer === D2)!;
    expect(d2.summary).toBe(`${V} sent 500.0 kB to ${D2} (53/udp) in 5 flows (estimate from sampled records; 5.0 kB recorded)`);
  });

  it('starts the after part at a compromise time the analyst gives', async () => {
    const c = await victim();
    const s = await buildStory(c.store, V, { sinceUs: us(2500) });
    expect(s.compromiseBasis).toBe('given');
    // The foothold stays the first success; "after" begins at the given time (the 09:40 download is before it).
    expect(s.entries.map(line)).toEqual([
      `09:10:01 before scan ${ATTACKER}`,
      `09:30:00 compromise foothold ${ATTACKER}`,
      '09:41:40 compromise compromise -',
      `10:00:00 after new-service ${ATTACKER}`,
      `10:10:00 after transfer-out ${D1}`,
      `10:15:00 after transfer-out ${D2}`,
    ]);
  });

  it('finds brute force and takes the long session after the short ones as the foothold', async () => {
    const store = await emptyCase();
    const flows: VFlow[] = [];
    for (let i = 0; i < 15; i++) {
      flows.push({ src: '198.18.0.66', dst: V, sp: 40000 + i, dp: 22, t0: i * 10, t1: i * 10 + 3, pkts: 12, bytes: 2500, flags: 0x1b, revPkts: 10, revBytes: 3000, revFlags: 0x1b });
    }
    flows.push({ src: '198.18.0.66', dst: V, sp: 41000, dp: 22, t0: 400, t1: 1400, pkts: 300, bytes: 40_000, flags: 0x1b, revPkts: 400, revBytes: 500_000, revFlags: 0x1b });
    await writeEvidence(store, [{ name: 'argus.csv', format: 'argus-csv', flows }]);
    const s = await buildStory(store, V);
    expect(s.entries.map(line)).toEqual([
      '09:00:00 before brute-force 198.18.0.66',
      '09:06:40 compromise foothold 198.18.0.66',
      // The attacker took 500 kB out through the session itself.
      '09:06:40 after transfer-out 198.18.0.66',
    ]);
    expect(s.entries[0].summary).toBe(`198.18.0.66 tried ${V} on 22/tcp 15 times with short sessions (brute force)`);
  });

  it('counts a source a detection names as an attacker, with the detection as its before entry', async () => {
    const store = await emptyCase();
    await writeEvidence(store, [{ name: 'ra.csv', format: 'argus-csv', flows: [
      { src: '198.18.0.77', dst: V, sp: 40000, dp: 443, t0: 100, t1: 200, pkts: 20, bytes: 20_000, flags: 0x1b, revPkts: 20, revBytes: 30_000, revFlags: 0x1b },
    ] }]);
    await addDetectionsTable(store);
    await insertDetection(store, { id: 3, kind: 'brute-force', src: '198.18.0.77', dst: V, t0: 0, t1: 90, summary: 'password guessing on 443', evidence: `src host 198.18.0.77 and dst port 443` });
    await insertDetection(store, { id: 4, kind: 'beacon', src: V, dst: '198.18.0.99', t0: 0, t1: 90, summary: 'not an attack on the host', evidence: 'x' });
    const s = await buildStory(store, V);
    expect(s.entries.map(line)).toEqual(['09:00:00 before brute-force 198.18.0.77', '09:01:40 compromise foothold 198.18.0.77']);
    expect(s.entries[0]).toMatchObject({ key: `${V}|detection|3`, summary: 'password guessing on 443', evidence: 'src host 198.18.0.77 and dst port 443' });
  });

  it('proposes nothing for a host nobody attacked', async () => {
    const c = await victim();
    const s = await buildStory(c.store, '10.0.0.20');
    expect(s).toMatchObject({ attackers: [], foothold: null, compromiseUs: null, entries: [] });
  });
});

describe('story decisions', () => {
  it('accepting, editing and dismissing entries are kept as notes with history and audited', async () => {
    const c = await victim();
    const s = await buildStory(c.store, V);
    const foot = s.entries.find((e) => e.kind === 'foothold')!;
    const used = s.entries.find((e) => e.kind === 'new-service-used')!;
    const a = await acceptStoryEntry(c.store, foot, { text: 'SSH with a stolen key', tags: ['foothold'], nowUs: 10 });
    expect(a.ok).toBe(true);
    await acceptStoryEntry(c.store, foot, { summary: 'attacker logs in over SSH', text: 'SSH with a stolen key', nowUs: 11 });
    await dismissStoryEntry(c.store, used, { text: 'update check, benign', nowUs: 12 });
    const again = await buildStory(c.store, V);
    const f2 = again.entries.find((e) => e.kind === 'foothold')!;
    expect(f2).toMatchObject({ status: 'accepted', summary: 'attacker logs in over SSH', proposedSummary: foot.summary, note: 'SSH with a stolen key', tags: ['foothold'] });
    expect(again.entries.find((e) => e.kind === 'new-service-used')!.status).toBe('dismissed');
    expect(again.entries.filter((e) => e.status === 'proposed').length).toBe(s.entries.length - 2);
    expect((await noteHistory(c.store, f2.noteId!)).map((h) => [h.change, h.summary])).toEqual([['create', foot.summary], ['edit', 'attacker logs in over SSH']]);
    const actions = (await c.store.all(`SELECT action FROM audit_log ORDER BY id`)).map((r) => r.action);
    expect(actions).toEqual(['story.accept', 'note.edit', 'story.dismiss']);
    // Changing one's mind: a dismissed entry accepted later removes the dismissal (kept in its history).
    await acceptStoryEntry(c.store, used, { text: 'not benign after all', nowUs: 13 });
    expect((await buildStory(c.store, V)).entries.find((e) => e.kind === 'new-service-used')).toMatchObject({ status: 'accepted', note: 'not benign after all' });
  });
});
