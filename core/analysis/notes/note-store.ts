import type { CaseStore } from '../../store/case-store';
import { resolveTarget, type NoteTarget, type NoteTargetKind, type TargetAnchor } from './note-target';

/** A note as the UI, the CLI and the reports see it (its current revision). */
export interface Note {
  id: number;
  targetKind: NoteTargetKind;
  targetRef: string;
  text: string;
  tags: string[];
  createdUs: number;
  updatedUs: number;
  revision: number;
  /** 'active', 'deleted' (removed, history kept) or 'dismissed' (a story proposal the analyst removed). */
  status: NoteStatus;
  actor: string;
  /** Where the target sits on the timeline (UTC µs); null for a host never seen in flows. */
  atUs: number | null;
  endUs: number | null;
  host: string | null;
  peer: string | null;
  /** 'analyst' (a bookmark or note) or 'story' (an accepted story entry). */
  origin: 'analyst' | 'story';
  storyKey: string | null;
  /** A story entry's event kind (foothold, probe, transfer-out...). */
  eventKind: string | null;
  /** A story entry's one-line summary (as accepted or edited). */
  summary: string | null;
  /** The filter expression selecting the target's flows. */
  evidence: string | null;
}

export type NoteStatus = 'active' | 'deleted' | 'dismissed';

/** One stored state of a note (revision 1 = as written). */
export interface NoteRevision {
  noteId: number;
  revision: number;
  atUs: number;
  actor: string;
  change: 'create' | 'edit' | 'delete' | 'restore' | 'dismiss';
  status: NoteStatus;
  text: string;
  tags: string[];
  summary: string | null;
}

export type NoteResult = { ok: true; note: Note } | { ok: false; code: string; message: string };

export interface NoteInput {
  target: NoteTarget;
  text: string;
  tags?: readonly string[];
  actor?: string;
  /** The time of the change (UTC µs); analysis code never reads the clock itself. */
  nowUs: number;
}

/** Tags the UI offers first; any other text is a tag too. */
export const SUGGESTED_TAGS = ['foothold', 'exfil', 'false-positive', 'scan', 'brute-force', 'c2', 'lateral', 'benign'] as const;

const MAX_TEXT = 20_000;
const MAX_TAG = 64;

/** Trimmed, de-duplicated tags (case-insensitively, first spelling kept), none empty. */
export function normaliseTags(tags: readonly string[] | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags ?? []) {
    const t = raw.trim().replace(/\s+/g, ' ').slice(0, MAX_TAG);
    if (!t || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}

const NOTE_COLUMNS = `id, target_kind, target_ref, text, tags, created_us, coalesce(updated_us, created_us) AS updated_us,
  coalesce(revision, 1) AS revision, coalesce(status, 'active') AS status, coalesce(actor, 'user') AS actor, at_us, end_us, host, peer,
  coalesce(origin, 'analyst') AS origin, story_key, event_kind, summary, evidence`;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toNote(r: Record<string, unknown>): Note {
  return {
    id: num(r.id), targetKind: r.target_kind as NoteTargetKind, targetRef: String(r.target_ref), text: String(r.text),
    tags: ((r.tags as string[] | null) ?? []).slice(), createdUs: num(r.created_us), updatedUs: num(r.updated_us),
    revision: num(r.revision), status: r.status as NoteStatus, actor: String(r.actor), atUs: numOrNull(r.at_us),
    endUs: numOrNull(r.end_us), host: strOrNull(r.host), peer: strOrNull(r.peer), origin: r.origin as Note['origin'],
    storyKey: strOrNull(r.story_key), eventKind: strOrNull(r.event_kind), summary: strOrNull(r.summary), evidence: strOrNull(r.evidence),
  };
}

// Bound as JSON and read with from_json (a tag may hold commas, quotes or brackets that a text
// cast would split; an empty LIST parameter has no type).
const tagsParam = (tags: readonly string[]): string => JSON.stringify(tags);

/** Extra columns a story entry carries (set by the story feature). */
export interface StoryFields {
  storyKey: string;
  eventKind: string;
  summary: string;
  status?: NoteStatus;
}

/**
 * Writes a note for a resolved anchor (used by addNote and by the story feature): the note,
 * its first revision and the audit entry in one transaction.
 */
export async function insertNote(
  store: CaseStore, kind: NoteTargetKind, anchor: TargetAnchor, text: string, tags: readonly string[], actor: string, nowUs: number,
  story?: StoryFields,
): Promise<Note> {
  const status = story?.status ?? 'active';
  const id = await store.transaction(async () => {
    const newId = num(await store.value(`SELECT nextval('notes_seq')`));
    await store.run(
      `INSERT INTO notes (id, created_us, target_kind, target_ref, text, tags, updated_us, revision, status, actor, at_us, end_us,
                          host, peer, origin, story_key, event_kind, summary, evidence)
       VALUES ($id, $now, $kind, $ref, $text, from_json($tags, '["VARCHAR"]'), $now, 1, $status, $actor, $at, $end, $host, $peer, $origin,
               $skey, $ekind, $summary, $evidence)`,
      {
        id: BigInt(newId), now: BigInt(nowUs), kind, ref: anchor.ref, text, tags: tagsParam(tags), status, actor,
        at: anchor.atUs === null ? null : BigInt(anchor.atUs), end: anchor.endUs === null ? null : BigInt(anchor.endUs),
        host: anchor.host, peer: anchor.peer, origin: story ? 'story' : 'analyst', skey: story?.storyKey ?? null,
        ekind: story?.eventKind ?? null, summary: story?.summary ?? null, evidence: anchor.evidence,
      },
    );
    await insertRevision(store, newId, 1, nowUs, actor, status === 'dismissed' ? 'dismiss' : 'create', status, text, tags, story?.summary ?? null);
    await store.audit(story ? `story.${status === 'dismissed' ? 'dismiss' : 'accept'}` : 'note.create', {
      note_id: newId, target: { kind, ref: anchor.ref }, text, tags, ...(story ? { story_key: story.storyKey, summary: story.summary } : {}),
    }, actor);
    return newId;
  });
  return (await getNote(store, id))!;
}

async function insertRevision(
  store: CaseStore, id: number, revision: number, nowUs: number, actor: string, change: NoteRevision['change'], status: NoteStatus,
  text: string, tags: readonly string[], summary: string | null,
): Promise<void> {
  await store.run(
    `INSERT INTO note_revisions VALUES ($id, $rev, $now, $actor, $change, $status, $text, from_json($tags, '["VARCHAR"]'), $summary)`,
    { id: BigInt(id), rev: revision, now: BigInt(nowUs), actor, change, status, text, tags: tagsParam(tags), summary },
  );
}

function checkText(text: string, allowEmpty: boolean): string | null {
  if (!allowEmpty && !text.trim()) return 'a note needs some text';
  if (text.length > MAX_TEXT) return `a note is limited to ${MAX_TEXT} characters`;
  return null;
}

/** Bookmarks a target with a note and tags. The target must exist in the case. */
export async function addNote(store: CaseStore, input: NoteInput): Promise<NoteResult> {
  const tags = normaliseTags(input.tags);
  // A bookmark may be only tags; a note without text or tags says nothing.
  const bad = checkText(input.text, tags.length > 0);
  if (bad) return { ok: false, code: 'bad-note', message: bad };
  const r = await resolveTarget(store, input.target);
  if (!r.ok) return r;
  return { ok: true, note: await insertNote(store, input.target.kind, r.anchor, input.text.trim(), tags, input.actor ?? 'user', input.nowUs) };
}

export interface NoteEdit {
  text?: string;
  tags?: readonly string[];
  /** Story entries: the event's summary line. */
  summary?: string;
  /** 'deleted' removes, 'active' restores (both kept in the history). */
  status?: 'active' | 'deleted';
  actor?: string;
  nowUs: number;
}

/** Changes a note: the old state stays in note_revisions, the change goes into the audit log. */
export async function editNote(store: CaseStore, id: number, edit: NoteEdit): Promise<NoteResult> {
  const before = await getNote(store, id);
  if (!before) return { ok: false, code: 'not-found', message: `no note ${id} in this case` };
  const text = edit.text === undefined ? before.text : edit.text.trim();
  const tags = edit.tags === undefined ? before.tags : normaliseTags(edit.tags);
  const summary = edit.summary === undefined ? before.summary : edit.summary.trim();
  const status = edit.status ?? before.status;
  const bad = checkText(text, tags.length > 0 || before.origin === 'story');
  if (bad) return { ok: false, code: 'bad-note', message: bad };
  if (before.origin === 'story' && summary !== null && !summary) return { ok: false, code: 'bad-note', message: 'a story entry needs a summary' };
  const same = text === before.text && JSON.stringify(tags) === JSON.stringify(before.tags) && summary === before.summary && status === before.status;
  if (same) return { ok: true, note: before };
  const change: NoteRevision['change'] = status !== before.status ? (status === 'deleted' ? 'delete' : 'restore') : 'edit';
  const actor = edit.actor ?? 'user';
  const revision = before.revision + 1;
  await store.transaction(async () => {
    await store.run(
      `UPDATE notes SET text = $text, tags = from_json($tags, '["VARCHAR"]'), summary = $summary, status = $status, revision = $rev,
                        updated_us = $now, actor = $actor WHERE id = $id`,
      { id: BigInt(id), text, tags: tagsParam(tags), summary, status, rev: revision, now: BigInt(edit.nowUs), actor },
    );
    await insertRevision(store, id, revision, edit.nowUs, actor, change, status, text, tags, summary);
    await store.audit(`note.${change}`, {
      note_id: id, revision, before: { text: before.text, tags: before.tags, summary: before.summary, status: before.status },
      after: { text, tags, summary, status },
    }, actor);
  });
  return { ok: true, note: (await getNote(store, id))! };
}

export async function getNote(store: CaseStore, id: number): Promise<Note | null> {
  const r = await store.one(`SELECT ${NOTE_COLUMNS} FROM notes WHERE id = $id`, { id: BigInt(id) });
  return r ? toNote(r) : null;
}

/** Every state the note had, oldest first. */
export async function noteHistory(store: CaseStore, id: number): Promise<NoteRevision[]> {
  const rows = await store.all(`SELECT * FROM note_revisions WHERE note_id = $id ORDER BY revision`, { id: BigInt(id) });
  return rows.map((r) => ({
    noteId: num(r.note_id), revision: num(r.revision), atUs: num(r.at_us), actor: String(r.actor),
    change: r.change as NoteRevision['change'], status: r.status as NoteStatus, text: String(r.text),
    tags: ((r.tags as string[] | null) ?? []).slice(), summary: strOrNull(r.summary),
  }));
}

export interface NoteQuery {
  /** Words that must all appear (case-insensitively) in the text, a tag, the summary, the target or its hosts. */
  search?: string;
  /** Notes carrying this tag (case-insensitive). */
  tag?: string;
  targetKind?: NoteTargetKind;
  targetRef?: string;
  /** Notes whose host or peer is this address. */
  host?: string;
  /** Notes placed in this window (or spanning into it). */
  fromUs?: number;
  toUs?: number;
  origin?: Note['origin'];
  /** Also removed notes and dismissed story proposals. */
  includeRemoved?: boolean;
  limit?: number;
}

/** Notes matching the query, in timeline order (placed notes by time, then the unplaced), then by id. */
export async function listNotes(store: CaseStore, q: NoteQuery = {}): Promise<Note[]> {
  const where: string[] = [];
  const params: Record<string, string | number | bigint> = {};
  if (!q.includeRemoved) where.push(`coalesce(status, 'active') = 'active'`);
  if (q.tag) { where.push(`list_contains(list_transform(coalesce(tags, []), t -> lower(t)), lower($tag))`); params.tag = q.tag.trim(); }
  if (q.targetKind) { where.push('target_kind = $tk'); params.tk = q.targetKind; }
  if (q.targetRef !== undefined) { where.push('target_ref = $tr'); params.tr = q.targetRef; }
  if (q.host) { where.push('(host = $host OR peer = $host)'); params.host = q.host.trim(); }
  if (q.origin) { where.push(`coalesce(origin, 'analyst') = $origin`); params.origin = q.origin; }
  if (q.fromUs !== undefined) { where.push('coalesce(end_us, at_us) >= $from_us'); params.from_us = BigInt(Math.floor(q.fromUs)); }
  if (q.toUs !== undefined) { where.push('at_us <= $to_us'); params.to_us = BigInt(Math.ceil(q.toUs)); }
  const words = (q.search ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 20);
  words.forEach((w, i) => {
    where.push(`strpos(lower(concat_ws(' ', text, array_to_string(coalesce(tags, []), ' '), summary, target_kind, target_ref, host, peer, event_kind)), lower($w${i})) > 0`);
    params[`w${i}`] = w;
  });
  const limit = Math.max(1, Math.min(100_000, Math.floor(q.limit ?? 10_000)));
  const rows = await store.all(
    `SELECT ${NOTE_COLUMNS} FROM notes ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY at_us NULLS LAST, id LIMIT ${limit}`,
    params,
  );
  return rows.map(toNote);
}

/** Tags in use with how many active notes carry each, most used first (for suggestions). */
export async function noteTags(store: CaseStore): Promise<{ tag: string; count: number }[]> {
  const rows = await store.all(
    `SELECT t AS tag, count(*) AS n FROM (SELECT unnest(tags) AS t FROM notes WHERE coalesce(status, 'active') = 'active')
      GROUP BY t ORDER BY n DESC, t`,
  );
  return rows.map((r) => ({ tag: String(r.tag), count: num(r.n) }));
}
