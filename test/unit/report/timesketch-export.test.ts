import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote } from '../../../core/analysis/notes/note-store';
import { buildTimeline } from '../../../core/analysis/timeline/timeline-events';
import { detectionSource, flowSource, sessionSource, timelineSource, type ExportSource } from '../../../core/report/export-rows';
import { writeExport, type ExportFormat } from '../../../core/report/exporter';
import { parseCsv } from '../../helpers/csv-parse';
import { addDetectionsTable, ATTACKER, insertDetection, V, victimCase } from '../../helpers/victim-case';

let c: Awaited<ReturnType<typeof victimCase>>;
beforeAll(async () => {
  c = await victimCase();
  await addDetectionsTable(c.store);
  await insertDetection(c.store, { id: 7, kind: 'port-scan', src: ATTACKER, dst: V, t0: 600, t1: 641, summary: `${ATTACKER} scanned ${V}, 40 ports`, evidence: `src host ${ATTACKER} and dst host ${V}` });
  const flowId = Number(await c.store.value(`SELECT min(flow_id) FROM flows_v WHERE src_addr = '${ATTACKER}' AND dst_port = 22`));
  await addNote(c.store, { target: { kind: 'flow', ref: String(flowId) }, text: 'SSH login, "the" foothold,\nsecond line', tags: ['foothold'], nowUs: 1 });
  await addNote(c.store, { target: { kind: 'host', ref: V }, text: 'victim', nowUs: 2 });
});
afterAll(() => c.cleanup());

async function exportText(src: ExportSource, format: ExportFormat): Promise<{ text: string; count: number }> {
  let text = '';
  const count = await writeExport(src, format, { write: (s: string) => { text += s; } }, { generator: 'test', caseName: 'victim', custody: null, selection: {} });
  return { text, count };
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})([+-])(\d{2}):(\d{2})$/;

/** Timesketch's rules for one event, as its importer reads them; returns what is wrong. */
function checkEvent(o: Record<string, unknown>, needsEvidence: boolean): string[] {
  const bad: string[] = [];
  if (typeof o.message !== 'string' || !o.message.trim()) bad.push('message is not a readable text');
  if (typeof o.timestamp_desc !== 'string' || !o.timestamp_desc.trim()) bad.push('timestamp_desc missing');
  const m = typeof o.datetime === 'string' ? DATETIME.exec(o.datetime) : null;
  if (!m) bad.push(`datetime ${String(o.datetime)} is not ISO 8601 with an offset`);
  const ts = typeof o.timestamp === 'string' ? Number(o.timestamp) : o.timestamp;
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts)) bad.push('timestamp is not whole microseconds');
  if (m && typeof ts === 'number') {
    const [, y, mo, d, h, mi, s, frac, sign, oh, om] = m;
    const offsetMs = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
    const us = (Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - offsetMs) * 1000 + Number(frac);
    if (us !== ts) bad.push(`timestamp ${ts} differs from datetime ${String(o.datetime)} (${us})`);
  }
  for (const [k, v] of Object.entries(o)) {
    if (v !== null && typeof v === 'object') bad.push(`attribute ${k} is nested`);
  }
  if (needsEvidence) {
    if (typeof o.evidence_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(o.evidence_sha256)) bad.push('evidence_sha256 missing');
    if (o.evidence_pos === undefined || o.evidence_pos === '' || !Number.isInteger(Number(o.evidence_pos))) bad.push('evidence_pos missing');
  }
  return bad;
}

describe('Timesketch exports', () => {
  const sources: [string, () => Promise<ExportSource>, boolean][] = [
    ['flows', async () => flowSource(c.store), true],
    ['sessions', async () => sessionSource(c.store), true],
    ['detections', async () => detectionSource(c.store), false],
    ['timeline', async () => timelineSource(c.store, (await buildTimeline(c.store, { hosts: [V] })).events), false],
  ];

  for (const [name, make, needsEvidence] of sources) {
    it(`writes every ${name} JSONL line as Timesketch imports it`, async () => {
      const { text, count } = await exportText(await make(), 'timesketch');
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.length).toBe(count);
      expect(count).toBeGreaterThan(0);
      for (const line of lines) {
        const o = JSON.parse(line) as Record<string, unknown>;
        expect(checkEvent(o, needsEvidence), line).toEqual([]);
      }
    });

    it(`writes every ${name} CSV row as Timesketch imports it`, async () => {
      const { text, count } = await exportText(await make(), 'timesketch-csv');
      const [header, ...rows] = parseCsv(text);
      expect(header.slice(0, 4)).toEqual(['message', 'datetime', 'timestamp', 'timestamp_desc']);
      expect(rows.length).toBe(count);
      for (const r of rows) {
        expect(r.length).toBe(header.length);
        const o = Object.fromEntries(header.map((h, i) => [h, r[i]]).filter(([, v]) => v !== ''));
        expect(checkEvent(o, needsEvidence), r.join(',')).toEqual([]);
      }
    });
  }

  it('names flow attributes as Zeek does and points at the record in its evidence file', async () => {
    const { text } = await exportText(flowSource(c.store, { where: { sql: 'f.dst_port = 22 AND f.src_port = 62000', params: {} } }), 'timesketch');
    const o = JSON.parse(text.split('\n')[0]) as Record<string, unknown>;
    expect(o).toMatchObject({
      'id.orig_h': ATTACKER, 'id.orig_p': 62000, 'id.resp_h': V, 'id.resp_p': 22, proto: 'tcp', orig_ip_bytes: 50_000,
      timestamp_desc: 'Flow start', datetime: '2024-03-12T09:30:00.000000+00:00', timestamp: 1710235800000000,
      evidence_file: 'e1-router.nfcapd', evidence_pos_unit: 'byte',
    });
    const pos = Number(await c.store.value(`SELECT src_pos FROM flows WHERE dst_port = 22 AND src_port = 62000`));
    expect(o.evidence_pos).toBe(pos);
    expect(o.message).toBe(`TCP flow ${ATTACKER}:62000 -> ${V}:22: 36 packets 50.0 kB`);
  });

  it('puts the analyst note, its tags and the noted flow into the timeline line', async () => {
    const { text } = await exportText(timelineSource(c.store, (await buildTimeline(c.store, { hosts: [V] })).events), 'timesketch');
    const note = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((o) => o.timestamp_desc === 'Analyst note' && o.tags);
    expect(note).toMatchObject({ tags: 'foothold', source: 'note', host: V, peer: ATTACKER, evidence_pos_unit: 'byte' });
    expect(note!.message).toContain('SSH login, "the" foothold');
    expect(String(note!.evidence_sha256)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('CSV and JSON exports', () => {
  it('quote what needs quoting and keep one record per row', async () => {
    const events = (await buildTimeline(c.store, { hosts: [V] })).events;
    const { text, count } = await exportText(timelineSource(c.store, events), 'csv');
    const [header, ...rows] = parseCsv(text);
    expect(header.slice(0, 8)).toEqual(['time', 'end', 'kind', 'host', 'peer', 'summary', 'source', 'evidence']);
    expect(rows.length).toBe(count);
    const note = rows.find((r) => r[header.indexOf('note')].startsWith('SSH login'));
    expect(note?.[header.indexOf('note')]).toBe('SSH login, "the" foothold,\nsecond line');
    const json = JSON.parse((await exportText(timelineSource(c.store, events), 'json')).text) as { kind: string; rows: unknown[]; count: number; custody: unknown };
    expect(json).toMatchObject({ kind: 'timeline', count, custody: null });
    expect(Object.keys(json.rows[0] as object).slice(0, 8)).toEqual(['time', 'end', 'kind', 'host', 'peer', 'summary', 'source', 'evidence']);
  });

  it('exports every flow once in time order across pages', async () => {
    const total = Number(await c.store.value(`SELECT count(*) FROM flows`));
    const { text, count } = await exportText(flowSource(c.store), 'csv');
    const rows = parseCsv(text).slice(1);
    expect(count).toBe(total);
    expect(new Set(rows.map((r) => r[0])).size).toBe(total);
    const starts = rows.map((r) => r[1]);
    expect([...starts].sort()).toEqual(starts);
  });
});
