import type { StoryEntry, TimelineEvent } from '../../api/contract/timeline';
import { timelineEventRecord } from '../../report/export-rows';

/** A timeline event as `timeline --format json` and `story --json` print it: the fields first. */
export function eventJson(e: TimelineEvent): Record<string, unknown> {
  const r = timelineEventRecord(e);
  return Object.fromEntries(Object.entries({ ...r, tags: e.tags ?? null }).filter(([k, v]) => v !== null || ['end', 'host', 'peer'].includes(k)));
}

/** A story entry as an event of source 'story' (its phase and status kept). */
export function storyEntryEvent(e: StoryEntry): TimelineEvent {
  return {
    id: `story:${e.key}`, timeUs: e.timeUs, endUs: e.endUs, kind: e.kind, host: e.host, peer: e.peer, summary: e.summary, source: 'story',
    evidence: e.evidence, status: e.status === 'accepted' ? 'accepted' : 'proposed', phase: e.phase,
    ...(e.note ? { note: e.note } : {}), ...(e.tags?.length ? { tags: e.tags } : {}), ...(e.uid ? { uid: e.uid } : {}),
  };
}
