import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError } from '../api/api-error';
import type { Note, StoryEntry, TimelineEvent } from '../api/contract';
import { TimelineArgSchemas } from '../api/contract-timeline';
import { timelineHandlers, type TimelineMethod } from '../api/timeline-handlers';
import { microsToIso, parseTimeToMicros } from '../model/time';
import { EXPORT_KINDS, timelineEventRecord, timelineSource } from '../report/export-rows';
import { EXPORT_FORMATS, writeExport } from '../report/exporter';
import { htmlToPdfWithChromium } from '../report/pdf';
import { CaseStore } from '../store/case-store';
import { CliExit, registerCommand } from './main';
import { renderTable } from './table-format';

/**
 * The timeline commands: note, story, timeline, assess, report, export. They run the same
 * handlers (and argument checks) as the app, on the case opened read-only unless they
 * write (a note).
 */

type Api = <M extends TimelineMethod>(method: M, args: Parameters<ReturnType<typeof timelineHandlers>[M]>[0]) => ReturnType<ReturnType<typeof timelineHandlers>[M]>;

async function withTimeline<T>(path: string | undefined, usage: string, write: boolean, work: (api: Api, store: CaseStore) => Promise<T>): Promise<T> {
  if (!path) throw new CliExit(2, usage);
  if (!existsSync(path)) throw new CliExit(1, `no such case: ${path}`);
  const store = await CaseStore.open(path, { create: false, readOnly: !write });
  try {
    const handlers = timelineHandlers({ requireCase: () => store, options: () => ({ transport: 'cli' }) });
    const api: Api = (method, args) => {
      const parsed = TimelineArgSchemas[method].safeParse(args);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        throw new ApiError('bad-arguments', `${first.path.join('.') || 'arguments'}: ${first.message}`);
      }
      return (handlers[method] as (a: unknown) => ReturnType<ReturnType<typeof timelineHandlers>[typeof method]>)(parsed.data);
    };
    return await work(api, store);
  } catch (err) {
    // A mistake in what the user typed (a bad address, target or filter) is a usage error.
    if (err instanceof ApiError && ['bad-address', 'bad-target', 'bad-note', 'bad-filter', 'bad-window', 'bad-arguments'].includes(err.code)) {
      throw new CliExit(2, err.message);
    }
    throw err;
  } finally {
    store.close();
  }
}

function timeArg(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const us = parseTimeToMicros(v);
  if (us === null) throw new CliExit(2, `--${flag} wants an ISO-8601 time (2024-01-12T10:00Z) or epoch seconds, got '${v}'`);
  return us;
}

const list = (v: string[] | undefined): string[] => (v ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);

/** A timeline event as `timeline --format json` and `story --json` print it: the issue's eight fields first, then extras. */
export function eventJson(e: TimelineEvent): Record<string, unknown> {
  const r = timelineEventRecord(e);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...r, tags: e.tags ?? null })) if (v !== null || ['end', 'host', 'peer'].includes(k)) out[k] = v;
  return out;
}

function storyEntryEvent(e: StoryEntry): TimelineEvent {
  return {
    id: `story:${e.key}`, timeUs: e.timeUs, endUs: e.endUs, kind: e.kind, host: e.host, peer: e.peer, summary: e.summary, source: 'story',
    evidence: e.evidence, status: e.status === 'accepted' ? 'accepted' : 'proposed', phase: e.phase,
    ...(e.note ? { note: e.note } : {}), ...(e.tags?.length ? { tags: e.tags } : {}), ...(e.uid ? { uid: e.uid } : {}),
  };
}

registerCommand('note', async (argv, io) => {
  const usage = 'usage: flowcase note CASE --flow ID|--session UID|--detection ID|--host ADDR|--from T --to T [--host ADDR] --text "..." [--tag T]... [--json]';
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
    flow: { type: 'string' }, session: { type: 'string' }, detection: { type: 'string' }, host: { type: 'string' }, from: { type: 'string' },
    to: { type: 'string' }, text: { type: 'string' }, tag: { type: 'string', multiple: true }, json: { type: 'boolean' },
  } });
  const fromUs = timeArg('from', values.from);
  const toUs = timeArg('to', values.to);
  if ((fromUs === undefined) !== (toUs === undefined)) throw new CliExit(2, 'a time range needs both --from and --to');
  const named = [values.flow, values.session, values.detection].filter((x) => x !== undefined).length;
  const range = fromUs !== undefined;
  if (named > 1 || (named === 1 && (range || values.host)) || (named === 0 && !values.host && !range)) {
    throw new CliExit(2, `say what the note is about: one of --flow ID, --session UID, --detection ID, --host ADDR, or --from T --to T\n${usage}`);
  }
  const target = values.flow !== undefined ? { kind: 'flow' as const, ref: values.flow }
    : values.session !== undefined ? { kind: 'session' as const, ref: values.session }
      : values.detection !== undefined ? { kind: 'detection' as const, ref: values.detection }
        : range ? { kind: 'range' as const, ref: '', fromUs, toUs, ...(values.host ? { host: values.host } : {}) }
          : { kind: 'host' as const, ref: values.host! };
  const note: Note = await withTimeline(positionals[0], usage, true, (api) => api('notes.add', { target, text: values.text ?? '', tags: list(values.tag) }));
  if (values.json) io.out(`${JSON.stringify(note)}\n`);
  else io.out(`note ${note.id} on ${note.targetKind} ${note.targetRef}${note.tags.length ? ` [${note.tags.join(', ')}]` : ''}: ${note.text}\n`);
  return 0;
});

registerCommand('story', async (argv, io) => {
  const usage = 'usage: flowcase story CASE --host ADDR [--since T] [--json]';
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
    host: { type: 'string' }, since: { type: 'string' }, json: { type: 'boolean' },
  } });
  if (!values.host) throw new CliExit(2, usage);
  const sinceUs = timeArg('since', values.since);
  const story = await withTimeline(positionals[0], usage, false, (api) => api('story.build', { host: values.host!, ...(sinceUs !== undefined ? { sinceUs } : {}) }));
  const entries = story.entries.filter((e) => e.status !== 'dismissed');
  if (values.json) {
    io.out(`${JSON.stringify(entries.map((e) => ({ ...eventJson(storyEntryEvent(e)), phase: e.phase, status: e.status, key: e.key })), null, 1)}\n`);
    return 0;
  }
  io.out(`story of ${story.host}: compromise ${story.compromiseUs === null ? 'unknown' : `${microsToIso(story.compromiseUs)} (${story.compromiseBasis})`}\n`);
  io.out(renderTable(['time', 'phase', 'kind', 'status', 'summary'], entries.map((e) => [microsToIso(e.timeUs), e.phase, e.kind, e.status, e.summary])));
  return 0;
});

registerCommand('timeline', async (argv, io) => {
  const usage = 'usage: flowcase timeline CASE [--host ADDR] [--from T] [--to T] [--format text|json|csv|timesketch|timesketch-csv]';
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
    host: { type: 'string', multiple: true }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' },
  } });
  const format = values.format ?? 'text';
  if (!['text', 'json', 'csv', 'timesketch', 'timesketch-csv'].includes(format)) throw new CliExit(2, `--format is text, json, csv, timesketch or timesketch-csv, not '${format}'`);
  const fromUs = timeArg('from', values.from);
  const toUs = timeArg('to', values.to);
  await withTimeline(positionals[0], usage, false, async (api, store) => {
    const t = await api('timeline.events', { hosts: list(values.host), ...(fromUs !== undefined ? { fromUs } : {}), ...(toUs !== undefined ? { toUs } : {}) });
    if (format === 'json') io.out(`${JSON.stringify(t.events.map(eventJson), null, 1)}\n`);
    else if (format === 'text') {
      for (const e of t.events) io.out(`${microsToIso(e.timeUs)}  ${(e.host ?? '-').padEnd(15)} ${e.source.padEnd(9)} ${e.kind.padEnd(16)} ${e.summary}${e.note && !e.summary.includes(e.note) ? ` — ${e.note}` : ''}\n`);
    } else {
      await writeExport(timelineSource(store, t.events), format as 'csv' | 'timesketch' | 'timesketch-csv', { write: (s: string) => io.out(s) },
        { generator: '', caseName: '', custody: null, selection: {} });
    }
  });
  return 0;
});

registerCommand('assess', async (argv, io) => {
  const usage = 'usage: flowcase assess CASE --host ADDR --since T [--until T] [--json]';
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
    host: { type: 'string', multiple: true }, since: { type: 'string' }, until: { type: 'string' }, json: { type: 'boolean' },
  } });
  const hosts = list(values.host);
  const sinceUs = timeArg('since', values.since);
  const untilUs = timeArg('until', values.until);
  if (!hosts.length || sinceUs === undefined) throw new CliExit(2, usage);
  const a = await withTimeline(positionals[0], usage, false, (api) => api('assess.run', { hosts, sinceUs, ...(untilUs !== undefined ? { untilUs } : {}) }));
  if (values.json) {
    io.out(`${JSON.stringify(a, null, 1)}\n`);
    return 0;
  }
  io.out(`${a.host} sent ${a.bytes_out} bytes${a.coverage.sampled ? ` (estimate; ${a.bytes_out_recorded} recorded)` : ''} to ${a.destinations.length} destinations outside the internal networks between ${a.since} and ${a.until}\n\n`);
  io.out(renderTable(['addr', 'bytes', 'flows', 'first', 'last', 'ports'], a.destinations.map((d) => [d.addr, d.bytes, d.flows, d.first, d.last, d.ports.join(' ')])));
  io.out('\nqualifiers\n');
  for (const q of a.qualifiers) io.out(`- ${q.text}\n`);
  return 0;
});

registerCommand('report', async (argv, io) => {
  const usage = 'usage: flowcase report CASE --out FILE.html [--host ADDR] [--since T] [--pdf FILE.pdf]';
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
    out: { type: 'string' }, host: { type: 'string', multiple: true }, since: { type: 'string' }, pdf: { type: 'string' },
  } });
  if (!values.out) throw new CliExit(2, usage);
  const sinceUs = timeArg('since', values.since);
  const r = await withTimeline(positionals[0], usage, false, (api) =>
    api('report.generate', { hosts: list(values.host), path: resolve(values.out!), ...(sinceUs !== undefined ? { sinceUs } : {}) }));
  io.out(`report written to ${r.htmlPath}\n`);
  if (values.pdf) {
    const p = await htmlToPdfWithChromium(r.htmlPath, resolve(values.pdf));
    if (!p.ok) {
      io.err(`flowcase report: ${p.message}\n`);
      return 1;
    }
    io.out(`PDF written to ${resolve(values.pdf)}\n`);
  }
  return 0;
});

registerCommand('export', async (argv, io) => {
  const usage = `usage: flowcase export CASE ${EXPORT_KINDS.join('|')} [--format ${EXPORT_FORMATS.join('|')}] [--out FILE] [--filter EXPR] [--from T] [--to T] [--host ADDR] [--state S0,REJ] [--limit N]`;
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
    format: { type: 'string' }, out: { type: 'string' }, filter: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
    host: { type: 'string', multiple: true }, state: { type: 'string' }, limit: { type: 'string' },
  } });
  const [casePath, kind] = positionals;
  if (!(EXPORT_KINDS as readonly string[]).includes(kind ?? '')) throw new CliExit(2, usage);
  const format = values.format ?? 'csv';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new CliExit(2, `--format is ${EXPORT_FORMATS.join(', ')}, not '${format}'`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new CliExit(2, `--limit wants a whole number above 0, got '${values.limit}'`);
  const fromUs = timeArg('from', values.from);
  const toUs = timeArg('to', values.to);
  const r = await withTimeline(casePath, usage, false, (api) => api('export.write', {
    kind: kind as (typeof EXPORT_KINDS)[number], format: format as (typeof EXPORT_FORMATS)[number], ...(values.out ? { path: resolve(values.out) } : {}),
    filter: values.filter, ...(fromUs !== undefined ? { fromUs } : {}), ...(toUs !== undefined ? { toUs } : {}), hosts: list(values.host),
    ...(values.state ? { states: list([values.state]) } : {}), ...(limit ? { limit } : {}),
  }));
  io.err(`${r.rows} rows written to ${r.path}\n`);
  return 0;
});
