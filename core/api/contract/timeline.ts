import { z } from 'zod';
import type { Note, NoteRevision } from '../../analysis/notes/note-store';
import type { BreachAssessment } from '../../analysis/timeline/assessment';
import type { Story } from '../../analysis/timeline/story-types';
import type { Timeline } from '../../analysis/timeline/timeline-events';
import { EXPORT_KINDS } from '../../report/export-rows';
import { EXPORT_FORMATS } from '../../report/exporter';
import { addrArg, filterArg, pathArg, windowArgs } from './common';
import { method } from './method';

/**
 * Notes and bookmarks, the timeline, the story of a host, the breach assessment, exports
 * and the report. The assessment keeps the snake_case names `flowcase assess --json`
 * publishes (the contract), so the app and scripts read the same object.
 */

export type { Note, NoteRevision, NoteStatus } from '../../analysis/notes/note-store';
export type { NoteTarget, NoteTargetKind } from '../../analysis/notes/note-target';
export type { Timeline, TimelineEvent, EventSource } from '../../analysis/timeline/timeline-events';
export type { Story, StoryEntry, StoryPhase, StoryStatus, StoryThresholds } from '../../analysis/timeline/story-types';
export type { BreachAssessment, AssessmentDestination } from '../../analysis/timeline/assessment';
export type { ExportKind } from '../../report/export-rows';
export type { ExportFormat } from '../../report/exporter';

/** Where an export went. */
export interface ExportResult {
  path: string;
  format: string;
  rows: number;
}

/** A generated report: the HTML file, and the PDF or why there is none. */
export interface ReportResult {
  htmlPath: string;
  /** Where the app can show it (web mode serves it from the case's reports folder); null in the desktop app. */
  url: string | null;
  pdfPath: string | null;
  pdfError: string | null;
}

const text = z.string().max(20_000);
const tags = z.array(z.string().max(64)).max(50);
const time = z.number().finite();
const noteTarget = z.object({
  kind: z.enum(['flow', 'session', 'detection', 'host', 'range']),
  ref: z.string().max(200),
  fromUs: time.optional(),
  toUs: time.optional(),
  host: addrArg.optional(),
}).strict();
const hostList = z.array(addrArg).max(50);

export const timelineMethods = {
  'notes.add': method(z.object({ target: noteTarget, text, tags: tags.optional() }).strict()).returns<Note>(),
  /** Edits keep every earlier revision; status 'deleted' removes, 'active' restores. */
  'notes.edit': method(z.object({
    id: z.number().int().min(1), text: text.optional(), tags: tags.optional(), summary: z.string().max(2000).optional(),
    status: z.enum(['active', 'deleted']).optional(),
  }).strict()).returns<Note>(),
  'notes.list': method(z.object({
    search: z.string().max(500).optional(), tag: z.string().max(64).optional(),
    targetKind: z.enum(['flow', 'session', 'detection', 'host', 'range', 'story']).optional(), targetRef: z.string().max(200).optional(),
    host: addrArg.optional(), ...windowArgs, origin: z.enum(['analyst', 'story']).optional(), includeRemoved: z.boolean().optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  }).strict()).returns<Note[]>(),
  'notes.history': method(z.object({ id: z.number().int().min(0) }).strict()).returns<NoteRevision[]>(),
  'notes.tags': method(z.object({}).strict()).returns<{ tag: string; count: number }[]>(),
  'timeline.events': method(z.object({
    hosts: hostList.optional(), ...windowArgs, includeProposed: z.boolean().optional(), peerLimit: z.number().int().min(0).max(1000).optional(),
    sinceUs: time.optional(),
  }).strict()).returns<Timeline>(),
  'story.build': method(z.object({ host: addrArg, sinceUs: time.optional() }).strict()).returns<Story>(),
  /** Accepts (with a note, or edited words) or removes one proposed entry; answers the story as it now stands. */
  'story.decide': method(z.object({
    host: addrArg, key: z.string().min(1).max(500), sinceUs: time.optional(), decision: z.enum(['accept', 'dismiss']),
    text: text.optional(), summary: z.string().max(2000).optional(), tags: tags.optional(),
  }).strict()).returns<Story>(),
  'assess.run': method(z.object({ hosts: hostList.min(1), sinceUs: time, untilUs: time.optional() }).strict()).returns<BreachAssessment>(),
  /** Writes flows, sessions, detections or the timeline to a file (default: `<case>.exports/`). */
  'export.write': method(z.object({
    kind: z.enum(EXPORT_KINDS), format: z.enum(EXPORT_FORMATS), filter: filterArg, ...windowArgs, hosts: hostList.optional(),
    states: z.array(z.string().max(16)).max(32).optional(), limit: z.number().int().min(1).optional(), path: pathArg.optional(),
  }).strict()).returns<ExportResult>(),
  /** Writes the self-contained HTML report (default: `<case>.reports/`), and a PDF of it when asked. */
  'report.generate': method(z.object({
    hosts: hostList.optional(), sinceUs: time.optional(), path: pathArg.optional(), pdf: z.boolean().optional(),
  }).strict()).returns<ReportResult>(),
  /** Without `question`: read. With it: the question the case's reports answer (audited). */
  'report.question': method(z.object({ question: z.string().min(1).max(2000).optional() }).strict()).returns<{ question: string; isDefault: boolean }>(),
};
