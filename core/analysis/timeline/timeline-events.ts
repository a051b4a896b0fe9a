import { formatIpBigInt, ipToBigInt, parseIp } from '../../model/ip';
import type { CaseStore } from '../../store/case-store';
import { listNotes, type Note } from '../notes/note-store';
import { readDetections } from './detection-reader';
import { pairEvidence } from './evidence-filter';
import { withHostScope, type HostScope } from './host-scope';
import { buildStoryInScope } from './story';
import type { StoryEntry, StoryThresholds } from './story-types';
import { bytesText, plural } from './wording';

/** Where an event comes from (the CLI's JSON `source`). */
export type EventSource = 'detection' | 'note' | 'story' | 'contact';

/** One event on the case's timeline. */
export interface TimelineEvent {
  /** Stable id: det:<id>, note:<id>, story:<key>, contact:<first|last>:<host>:<peer>. */
  id: string;
  timeUs: number;
  endUs: number | null;
  kind: string;
  /** The lane: the host the event is about. */
  host: string | null;
  peer: string | null;
  summary: string;
  source: EventSource;
  /** Filter expression selecting the flows behind the event. */
  evidence: string;
  /** Story events: proposed by Flowcase or accepted by the analyst. */
  status?: 'proposed' | 'accepted';
  phase?: StoryEntry['phase'];
  noteId?: number;
  /** The analyst's note text (notes and accepted story entries). */
  note?: string;
  tags?: string[];
  uid?: string;
  detectionId?: number;
  targetKind?: string;
  targetRef?: string;
  flows?: number;
  bytes?: number;
}

export interface TimelineOptions {
  /** Hosts of interest; default: the hosts the case's notes and accepted story entries are about. */
  hosts?: readonly string[];
  fromUs?: number;
  toUs?: number;
  /** Include story entries not yet accepted (default true). */
  includeProposed?: boolean;
  /** External peers per host whose first and last contact are events (largest by bytes; default 25). */
  peerLimit?: number;
  /** Hosts of interest at most (default 10). */
  hostLimit?: number;
  thresholds?: Partial<StoryThresholds>;
  /** The compromise time of every host's story (default: each host's accepted compromise entry, else its foothold). */
  sinceUs?: number;
}

export interface Timeline {
  events: TimelineEvent[];
  /** Hosts of interest (their stories and contacts are in the events). */
  hosts: string[];
  /** Swimlanes in order: the hosts of interest, then their attackers, then the other hosts events name. */
  lanes: string[];
  /** The compromise time the story of each host used (null: none known). */
  compromise: Record<string, number | null>;
  /** External peers left out of the contact events (per host). */
  contactsLeftOut: Record<string, number>;
}

const SOURCE_RANK: Readonly<Record<EventSource, number>> = { detection: 0, story: 1, note: 2, contact: 3 };

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Canonical text of an address (as every event prints it); null when it is not one. */
export function canonicalHost(text: string): string | null {
  const ip = parseIp(text);
  return ip === null ? null : formatIpBigInt(ipToBigInt(ip));
}

/**
 * The case's timeline: detections, the analyst's notes and bookmarks, and for each host of
 * interest its story (the foothold, new services, transfers out...) and its first and last
 * contact with each external peer; in time order, restricted to the time range.
 */
export async function buildTimeline(store: CaseStore, o: TimelineOptions = {}): Promise<Timeline> {
  const notes = await listNotes(store);
  const hosts = (o.hosts?.length ? o.hosts.map((h) => canonicalHost(h)).filter((h): h is string => h !== null) : hostsOfInterest(notes))
    .slice(0, o.hostLimit ?? 10);
  const hostSet = new Set(hosts);
  const events: TimelineEvent[] = [];
  const compromise: Record<string, number | null> = {};
  const contactsLeftOut: Record<string, number> = {};
  const attackers: string[] = [];

  for (const d of await readDetections(store, { ...(o.hosts?.length ? { hosts } : {}), fromUs: o.fromUs, toUs: o.toUs })) {
    events.push({
      id: `det:${d.detectionId}`, timeUs: d.startUs, endUs: d.endUs, kind: d.kind, host: d.dst ?? d.src, peer: d.dst ? d.src : null,
      summary: d.summary || d.kind, source: 'detection', evidence: d.evidence, detectionId: d.detectionId, flows: d.flows, bytes: d.bytes,
    });
  }
  for (const note of notes) {
    if (note.origin !== 'analyst' || note.atUs === null) continue;
    if (o.hosts?.length && !(note.host && hostSet.has(note.host)) && !(note.peer && hostSet.has(note.peer))) continue;
    events.push(noteEvent(note));
  }
  for (const h of hosts) {
    await withHostScope(store, [h], async (scope) => {
      const given = o.sinceUs ?? compromiseGiven(notes, h);
      const story = await buildStoryInScope(store, scope, { sinceUs: given ?? undefined, thresholds: o.thresholds });
      compromise[h] = story.compromiseUs;
      attackers.push(...story.attackers);
      for (const e of story.entries) {
        if (e.status === 'dismissed' || (e.status === 'proposed' && o.includeProposed === false)) continue;
        // A detection already stands on the timeline as itself.
        if (e.key.startsWith(`${h}|detection|`)) continue;
        events.push(storyEvent(e));
      }
      const contacts = await contactEvents(store, scope, h, o.peerLimit ?? 25);
      events.push(...contacts.events);
      contactsLeftOut[h] = contacts.leftOut;
    });
  }
  const inWindow = events.filter((e) => (o.toUs === undefined || e.timeUs <= o.toUs) && (o.fromUs === undefined || (e.endUs ?? e.timeUs) >= o.fromUs));
  inWindow.sort(compareEvents);
  return { events: inWindow, hosts, lanes: lanesOf(hosts, attackers, inWindow), compromise, contactsLeftOut };
}

export function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  return a.timeUs - b.timeUs || SOURCE_RANK[a.source] - SOURCE_RANK[b.source] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Hosts the analyst has written about, in the order first noted: bookmarked hosts first,
 * then the lane host of every other note (a flow's or session's internal side) and of
 * accepted story entries.
 */
export function hostsOfInterest(notes: readonly Note[]): string[] {
  const out: string[] = [];
  const byId = [...notes].sort((a, b) => a.id - b.id);
  for (const note of [...byId.filter((n) => n.targetKind === 'host'), ...byId]) {
    if (note.host && !out.includes(note.host)) out.push(note.host);
  }
  return out;
}

/** The compromise time an accepted 'compromise' story entry fixed for the host. */
export function compromiseGiven(notes: readonly Note[], host: string): number | null {
  const c = notes.filter((x) => x.origin === 'story' && x.host === host && x.eventKind === 'compromise' && x.atUs !== null)
    .sort((a, b) => b.id - a.id)[0];
  return c ? c.atUs : null;
}

function lanesOf(hosts: readonly string[], attackers: readonly string[], events: readonly TimelineEvent[]): string[] {
  const lanes: string[] = [];
  const add = (h: string | null) => { if (h && !lanes.includes(h)) lanes.push(h); };
  hosts.forEach(add);
  [...attackers].sort().forEach(add);
  for (const e of events) { add(e.host); }
  for (const e of events) { if (e.source !== 'contact') add(e.peer); }
  return lanes;
}

function firstLine(text: string, max = 200): string {
  const line = text.split(/\r?\n/)[0].trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function noteEvent(note: Note): TimelineEvent {
  const what = note.targetKind === 'range' ? 'time range' : note.targetKind;
  const text = note.text ? firstLine(note.text) : `bookmark${note.tags.length ? ` (${note.tags.join(', ')})` : ''}`;
  return {
    id: `note:${note.id}`, timeUs: note.atUs ?? 0, endUs: note.endUs, kind: note.text ? 'note' : 'bookmark', host: note.host, peer: note.peer,
    summary: `${what} ${note.targetKind === 'range' || note.targetKind === 'host' ? '' : `${note.targetRef} `}noted: ${text}`.replace(/ {2,}/g, ' '),
    source: 'note', evidence: note.evidence ?? '', noteId: note.id, note: note.text, tags: note.tags, targetKind: note.targetKind, targetRef: note.targetRef,
  };
}

function storyEvent(e: StoryEntry): TimelineEvent {
  return {
    id: `story:${e.key}`, timeUs: e.timeUs, endUs: e.endUs, kind: e.kind, host: e.host, peer: e.peer, summary: e.summary, source: 'story',
    evidence: e.evidence, status: e.status === 'accepted' ? 'accepted' : 'proposed', phase: e.phase,
    ...(e.noteId !== undefined ? { noteId: e.noteId } : {}), ...(e.note ? { note: e.note } : {}), ...(e.tags?.length ? { tags: e.tags } : {}),
    ...(e.uid ? { uid: e.uid } : {}), ...(e.flows !== undefined ? { flows: e.flows } : {}), ...(e.bytes !== undefined ? { bytes: e.bytes } : {}),
  };
}

/** First and last contact of the host with each external peer (the largest peers by bytes). */
async function contactEvents(store: CaseStore, scope: HostScope, h: string, limit: number): Promise<{ events: TimelineEvent[]; leftOut: number }> {
  const rows = await store.all(
    `SELECT peer, min(start_us) AS first_us, max(end_us) AS last_us, count(*) AS flows, sum(bytes_out * sampling) AS b_out,
            sum(bytes_in * sampling) AS b_in, count(*) OVER () AS peers
       FROM ${scope.flows} WHERE NOT peer_internal GROUP BY peer
      ORDER BY sum(bytes_out + bytes_in) DESC, peer LIMIT ${Math.max(0, Math.floor(limit))}`,
  );
  const events: TimelineEvent[] = [];
  for (const r of rows) {
    const peer = formatIpBigInt(BigInt(r.peer as bigint));
    const first = n(r.first_us);
    const last = n(r.last_us);
    const evidence = pairEvidence({ host: h, peer });
    const totals = `${plural(n(r.flows), 'flow')} in all, ${bytesText(n(r.b_out))} out, ${bytesText(n(r.b_in))} in`;
    events.push({ id: `contact:first:${h}:${peer}`, timeUs: first, endUs: null, kind: 'first-contact', host: h, peer, source: 'contact',
      summary: `first contact of ${h} with ${peer} (${totals})`, evidence, flows: n(r.flows) });
    if (last > first) {
      events.push({ id: `contact:last:${h}:${peer}`, timeUs: last, endUs: null, kind: 'last-contact', host: h, peer, source: 'contact',
        summary: `last contact of ${h} with ${peer}`, evidence, flows: n(r.flows) });
    }
  }
  return { events, leftOut: Math.max(0, (rows.length ? n(rows[0].peers) : 0) - rows.length) };
}
