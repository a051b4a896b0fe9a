import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addNote, editNote, listNotes, noteHistory, noteTags } from '../../../../core/analysis/notes/note-store';
import { ATTACKER, V, us, victimCase } from '../../../helpers/victim-case';

let c: Awaited<ReturnType<typeof victimCase>>;
beforeEach(async () => { c = await victimCase(); });
afterEach(() => c.cleanup());

const NOW = 1_800_000_000_000_000;

async function footholdSessionUid(): Promise<string> {
  return String(await c.store.value(`SELECT uid FROM sessions_v WHERE resp_p = 22 AND orig_h = '${ATTACKER}'`));
}

describe('addNote()', () => {
  it('bookmarks a flow with its time, lanes (internal side first) and an evidence filter, and audits it', async () => {
    const flowId = Number(await c.store.value(`SELECT min(flow_id) FROM flows_v WHERE src_addr = '${ATTACKER}' AND dst_port = 22`));
    const r = await addNote(c.store, { target: { kind: 'flow', ref: String(flowId) }, text: 'SSH from the scanner', tags: ['foothold', ' Foothold ', 'ssh'], nowUs: NOW });
    if (!r.ok) throw new Error(r.message);
    expect(r.note).toMatchObject({ targetKind: 'flow', targetRef: String(flowId), tags: ['foothold', 'ssh'], host: V, peer: ATTACKER, atUs: us(1800), revision: 1, status: 'active' });
    expect(r.note.evidence).toBe(`src host ${ATTACKER} and dst host ${V} and tcp and src port 62000 and dst port 22 and start = 2024-03-12T09:30:00Z`);
    const audit = await c.store.all(`SELECT action, detail FROM audit_log ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['note.create']);
    expect(JSON.parse(String(audit[0].detail))).toMatchObject({ note_id: r.note.id, text: 'SSH from the scanner' });
  });

  it('bookmarks a session, a host and a range; refuses targets that do not exist', async () => {
    const uid = await footholdSessionUid();
    const s = await addNote(c.store, { target: { kind: 'session', ref: uid }, text: 'the session that worked', nowUs: NOW });
    expect(s.ok && s.note).toMatchObject({ atUs: us(1800), endUs: us(3000), host: V, peer: ATTACKER });
    const h = await addNote(c.store, { target: { kind: 'host', ref: V }, text: 'victim', tags: ['victim'], nowUs: NOW });
    expect(h.ok && h.note).toMatchObject({ host: V, atUs: us(-3600), evidence: `host ${V}` });
    const g = await addNote(c.store, { target: { kind: 'range', ref: '', fromUs: us(5400), toUs: us(6600), host: V }, text: 'gap in E1', nowUs: NOW });
    expect(g.ok && g.note).toMatchObject({ targetRef: '2024-03-12T10:30:00Z/2024-03-12T10:50:00Z', host: V });
    expect(await addNote(c.store, { target: { kind: 'flow', ref: '999999' }, text: 'x', nowUs: NOW })).toMatchObject({ ok: false, code: 'not-found' });
    expect(await addNote(c.store, { target: { kind: 'session', ref: 'nope' }, text: 'x', nowUs: NOW })).toMatchObject({ ok: false, code: 'bad-target' });
    expect(await addNote(c.store, { target: { kind: 'detection', ref: '1' }, text: 'x', nowUs: NOW })).toMatchObject({ ok: false, code: 'not-found' });
    expect(await addNote(c.store, { target: { kind: 'host', ref: V }, text: '  ', nowUs: NOW })).toMatchObject({ ok: false, code: 'bad-note' });
    expect(await c.store.value(`SELECT count(*)::INTEGER FROM notes`)).toBe(3);
  });
});

describe('editNote()', () => {
  it('keeps every revision, never overwriting the first, and audits each change with before and after', async () => {
    const r = await addNote(c.store, { target: { kind: 'host', ref: V }, text: 'victim?', tags: ['suspect'], nowUs: NOW });
    if (!r.ok) throw new Error(r.message);
    const e = await editNote(c.store, r.note.id, { text: 'victim: confirmed', tags: ['victim'], nowUs: NOW + 1 });
    expect(e.ok && e.note).toMatchObject({ text: 'victim: confirmed', tags: ['victim'], revision: 2 });
    await editNote(c.store, r.note.id, { status: 'deleted', nowUs: NOW + 2 });
    expect(await listNotes(c.store)).toEqual([]);
    const hist = await noteHistory(c.store, r.note.id);
    expect(hist.map((h) => [h.revision, h.change, h.status, h.text, h.tags])).toEqual([
      [1, 'create', 'active', 'victim?', ['suspect']],
      [2, 'edit', 'active', 'victim: confirmed', ['victim']],
      [3, 'delete', 'deleted', 'victim: confirmed', ['victim']],
    ]);
    const audit = await c.store.all(`SELECT action, detail FROM audit_log ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['note.create', 'note.edit', 'note.delete']);
    expect(JSON.parse(String(audit[1].detail))).toMatchObject({ before: { text: 'victim?' }, after: { text: 'victim: confirmed' } });
    // An edit that changes nothing writes nothing.
    await editNote(c.store, r.note.id, { text: 'victim: confirmed', nowUs: NOW + 3 });
    expect(await c.store.value(`SELECT count(*)::INTEGER FROM note_revisions`)).toBe(3);
  });
});

describe('listNotes()', () => {
  it('finds notes by words, tag, host and time, and counts tags', async () => {
    await addNote(c.store, { target: { kind: 'host', ref: V }, text: 'The victim web server', tags: ['victim'], nowUs: NOW });
    await addNote(c.store, { target: { kind: 'range', ref: '', fromUs: us(4200), toUs: us(4400) }, text: 'exfil, "quoted", [x]', tags: ['exfil', 'a, b'], nowUs: NOW });
    expect((await listNotes(c.store, { search: 'WEB victim' })).map((n) => n.text)).toEqual(['The victim web server']);
    expect((await listNotes(c.store, { tag: 'EXFIL' })).map((n) => n.tags)).toEqual([['exfil', 'a, b']]);
    expect((await listNotes(c.store, { host: V })).length).toBe(1);
    expect((await listNotes(c.store, { fromUs: us(4300), toUs: us(5000) })).map((n) => n.text)).toEqual(['The victim web server', 'exfil, "quoted", [x]']);
    expect((await listNotes(c.store, { fromUs: us(4500), toUs: us(5000), origin: 'analyst', targetKind: 'range' }))).toEqual([]);
    expect((await listNotes(c.store, { search: 'nothing-like-this' }))).toEqual([]);
    expect(await noteTags(c.store)).toEqual([{ tag: 'a, b', count: 1 }, { tag: 'exfil', count: 1 }, { tag: 'victim', count: 1 }]);
  });
});
