import type { CaseStore } from '../../store/case-store';
import { editNote, insertNote, listNotes, normaliseTags, type NoteResult } from '../notes/note-store';
import type { StoryEntry } from './story-types';

export interface StoryDecision {
  /** The analyst's note on the entry (why it is accepted, what it means). */
  text?: string;
  /** The entry's summary as the analyst words it (default: Flowcase's). */
  summary?: string;
  tags?: readonly string[];
  actor?: string;
  nowUs: number;
}

/**
 * Accepts a proposed story entry: it becomes a note of origin 'story' (kind, time, hosts,
 * summary and evidence filter kept), which the timeline shows as an event with its note.
 * Accepting an entry already decided edits that decision instead (history kept).
 */
export async function acceptStoryEntry(store: CaseStore, entry: StoryEntry, d: StoryDecision): Promise<NoteResult> {
  return decide(store, entry, d, 'active');
}

/** Removes a proposed entry from the story (kept as a dismissed decision, audited). */
export async function dismissStoryEntry(store: CaseStore, entry: StoryEntry, d: Omit<StoryDecision, 'summary'>): Promise<NoteResult> {
  return decide(store, entry, d, 'dismissed');
}

async function decide(store: CaseStore, entry: StoryEntry, d: StoryDecision, status: 'active' | 'dismissed'): Promise<NoteResult> {
  const summary = (d.summary ?? entry.summary).trim();
  if (!summary) return { ok: false, code: 'bad-note', message: 'a story entry needs a summary' };
  const existing = (await listNotes(store, { origin: 'story', includeRemoved: true }))
    .filter((n) => n.storyKey === entry.key && n.status !== 'deleted')
    .sort((a, b) => b.id - a.id)[0];
  if (existing && existing.status === status) {
    return editNote(store, existing.id, { text: d.text, summary, tags: d.tags, actor: d.actor, nowUs: d.nowUs });
  }
  // A change between accepted and dismissed: the old decision is removed (kept in its history).
  if (existing) {
    const r = await editNote(store, existing.id, { status: 'deleted', actor: d.actor, nowUs: d.nowUs });
    if (!r.ok) return r;
  }
  const note = await insertNote(
    store, 'story',
    { ref: entry.key, atUs: entry.timeUs, endUs: entry.endUs, host: entry.host, peer: entry.peer, evidence: entry.evidence },
    (d.text ?? '').trim(), normaliseTags(d.tags), d.actor ?? 'user', d.nowUs,
    { storyKey: entry.key, eventKind: entry.kind, summary, status },
  );
  return { ok: true, note };
}
