import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { addNote, editNote, getNote, listNotes, noteHistory, noteTags, type NoteResult } from '../../analysis/notes/note-store';
import { sessionFilterSql } from '../../analysis/sessions/session-filter';
import { assessBreach } from '../../analysis/timeline/assessment';
import { buildStory } from '../../analysis/timeline/story';
import { acceptStoryEntry, dismissStoryEntry } from '../../analysis/timeline/story-decisions';
import { buildTimeline, canonicalHost } from '../../analysis/timeline/timeline-events';
import { filterToSql } from '../../query/compile-filter';
import { filterMessage } from '../../query/user-filter';
import { detectionSource, flowSource, sessionSource, timelineSource, type ExportSource } from '../../report/export-rows';
import { exportExtension, writeExport } from '../../report/exporter';
import { fileSink } from '../../report/file-sink';
import { renderHtmlReport } from '../../report/html-report';
import { htmlToPdfWithChromium } from '../../report/pdf';
import { DEFAULT_QUESTION, gatherReport, QUESTION_SETTING } from '../../report/report-data';
import { auditHead } from '../../store/audit-head';
import type { CaseStore } from '../../store/case-store';
import { TOOL_VERSION } from '../../version';
import { ApiError } from '../api-error';
import type { timelineMethods } from '../contract/timeline';
import { checkAddress, displayZone, windowOf } from './arguments';
import type { HandlerContext, Handlers } from './handler-context';

/** Now, for the one place that may read the clock: the API layer stamps changes and generations. */
const nowUs = (): number => Date.now() * 1000;

function writable(s: CaseStore, what: string): CaseStore {
  if (s.readOnly) throw new ApiError('read-only', `this case is open read-only; reopen it with write access to ${what}`);
  return s;
}

function noteOrThrow(r: NoteResult) {
  if (!r.ok) throw new ApiError(r.code, r.message, r.code === 'not-found' ? 404 : 400);
  return r.note;
}

const hostsOf = (hosts: readonly string[] | undefined): string[] => (hosts ?? []).map((h) => canonicalHost(checkAddress(h))!);

/** `20240312-101500`: a file name stamp (UTC). */
const stamp = (us: number): string => new Date(us / 1000).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** `<case dir>/<case name>.<what>/`, created on first use. */
export function caseFolder(s: CaseStore, what: 'exports' | 'reports'): string {
  const dir = join(dirname(s.path), `${basename(s.path, '.duckdb')}.${what}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** notes.*, timeline.*, story.*, assess.*, export.*, report.*: the second half of an investigation. */
export function timelineHandlers(ctx: HandlerContext): Handlers<keyof typeof timelineMethods> {
  return {
    'notes.add': async (a) => {
      const s = writable(ctx.requireCase(), 'add notes');
      return noteOrThrow(await addNote(s, { target: a.target, text: a.text, tags: a.tags, nowUs: nowUs() }));
    },
    'notes.edit': async (a) => {
      const s = writable(ctx.requireCase(), 'edit notes');
      return noteOrThrow(await editNote(s, a.id, { text: a.text, tags: a.tags, summary: a.summary, status: a.status, nowUs: nowUs() }));
    },
    'notes.list': async (a) => {
      const { host, ...rest } = a;
      return listNotes(ctx.requireCase(), { ...rest, ...windowOf(a), ...(host ? { host: hostsOf([host])[0] } : {}) });
    },
    'notes.history': async (a) => {
      const s = ctx.requireCase();
      if (a.id === 0) return [];
      if (!(await getNote(s, a.id))) throw new ApiError('not-found', `no note ${a.id} in this case`, 404);
      return noteHistory(s, a.id);
    },
    'notes.tags': async () => noteTags(ctx.requireCase()),
    'timeline.events': async (a) => buildTimeline(ctx.requireCase(), {
      hosts: hostsOf(a.hosts), ...windowOf(a), includeProposed: a.includeProposed, peerLimit: a.peerLimit, sinceUs: a.sinceUs,
    }),
    'story.build': async (a) => buildStory(ctx.requireCase(), checkAddress(a.host), { sinceUs: a.sinceUs }),
    'story.decide': async (a) => {
      const s = writable(ctx.requireCase(), 'review the story');
      const host = checkAddress(a.host);
      const story = await buildStory(s, host, { sinceUs: a.sinceUs });
      const entry = story.entries.find((e) => e.key === a.key);
      if (!entry) throw new ApiError('not-found', `the story of ${host} has no entry ${a.key} (the case or the compromise time changed?)`, 404);
      const d = { text: a.text, summary: a.summary, tags: a.tags, nowUs: nowUs() };
      noteOrThrow(a.decision === 'accept' ? await acceptStoryEntry(s, entry, d) : await dismissStoryEntry(s, entry, d));
      return buildStory(s, host, { sinceUs: a.sinceUs });
    },
    'assess.run': async (a) => {
      const w = windowOf({ fromUs: a.sinceUs, toUs: a.untilUs });
      return assessBreach(ctx.requireCase(), { hosts: hostsOf(a.hosts), sinceUs: a.sinceUs, ...(w.toUs !== undefined ? { untilUs: w.toUs } : {}) });
    },
    'export.write': async (a) => {
      const s = ctx.requireCase();
      const w = windowOf(a);
      const hosts = hostsOf(a.hosts);
      let src: ExportSource;
      if (a.kind === 'flows') {
        const f = a.filter?.trim() ? filterToSql(a.filter, { alias: 'f', paramPrefix: 'xf', timeZone: await displayZone(ctx) }) : null;
        if (f && !f.ok) throw new ApiError('bad-filter', filterMessage(f.error));
        src = flowSource(s, { ...w, limit: a.limit, ...(f ? { where: { sql: f.sql, params: f.params } } : {}) });
      } else if (a.kind === 'sessions') {
        const f = sessionFilterSql(a.filter, await displayZone(ctx));
        src = sessionSource(s, { ...w, limit: a.limit, states: a.states, ...(f.sql ? { where: { sql: f.sql, params: f.params ?? {} } } : {}) });
      } else if (a.kind === 'detections') {
        src = detectionSource(s, { ...w, ...(hosts.length ? { hosts } : {}) });
      } else {
        src = timelineSource(s, (await buildTimeline(s, { hosts, ...w })).events);
      }
      const path = resolve(a.path ?? join(caseFolder(s, 'exports'), `${a.kind}-${stamp(nowUs())}.${exportExtension(a.format)}`));
      const sink = fileSink(path);
      const rows = await writeExport(src, a.format, sink, {
        generator: TOOL_VERSION, caseName: basename(s.path), custody: await auditHead(s),
        selection: { filter: a.filter ?? null, from_us: w.fromUs ?? null, to_us: w.toUs ?? null, hosts: hosts.join(',') || null },
      });
      await sink.close();
      return { path, format: a.format, rows };
    },
    'report.generate': async (a) => {
      const s = ctx.requireCase();
      const hosts = hostsOf(a.hosts);
      const html = renderHtmlReport(await gatherReport(s, { hosts, sinceUs: a.sinceUs, generatedUs: nowUs() }));
      const name = `report${hosts.length ? `-${hosts.join('_').replace(/[^0-9a-zA-Z._-]/g, '-')}` : ''}-${stamp(nowUs())}`;
      const htmlPath = resolve(a.path ?? join(caseFolder(s, 'reports'), `${name}.html`));
      const { writeFile } = await import('node:fs/promises');
      await writeFile(htmlPath, html, 'utf8');
      let pdfPath: string | null = null;
      let pdfError: string | null = null;
      if (a.pdf) {
        const target = htmlPath.replace(/\.html?$/i, '') + '.pdf';
        const r = await (ctx.options.printPdf ?? htmlToPdfWithChromium)(htmlPath, target);
        if (r.ok) pdfPath = target;
        else pdfError = r.message;
      }
      const url = ctx.options.transport === 'web' && !a.path ? `/report-file?name=${encodeURIComponent(basename(htmlPath))}` : null;
      return { htmlPath, url, pdfPath, pdfError };
    },
    'report.question': async (a) => {
      const s = ctx.requireCase();
      if (a.question !== undefined) {
        writable(s, 'change the report question');
        const before = (await s.getSetting(QUESTION_SETTING)) ?? DEFAULT_QUESTION;
        await s.transaction(async () => {
          await s.setSetting(QUESTION_SETTING, a.question!.trim());
          await s.audit('settings.report_question', { before, after: a.question!.trim() });
        });
      }
      const q = await s.getSetting(QUESTION_SETTING);
      return { question: q ?? DEFAULT_QUESTION, isDefault: q === undefined };
    },
  };
}
