import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../../core/report/pdf';
import { runFlowcase } from '../../helpers/run-cli';
import { addDetectionsTable, ATTACKER, D1, insertDetection, V, victimCase } from '../../helpers/victim-case';

let path = '';
let cleanup: () => void = () => undefined;
beforeAll(async () => {
  const c = await victimCase();
  await addDetectionsTable(c.store);
  await insertDetection(c.store, { id: 7, kind: 'port-scan', src: ATTACKER, dst: V, t0: 600, t1: 641, summary: `${ATTACKER} scanned ${V}`, evidence: `src host ${ATTACKER} and dst host ${V}` });
  c.store.close();
  path = c.path;
  cleanup = c.cleanup;
});
afterAll(() => cleanup());

const EVENT_FIELDS = ['time', 'end', 'kind', 'host', 'peer', 'summary', 'source', 'evidence'];

describe('flowcase note', () => {
  it('bookmarks a flow, a session, a host and a time range; the note is in the case with its tags', async () => {
    const flow = await runFlowcase(['flows', path, '--filter', `src host ${V} and dst host ${D1}`, '--limit', '1', '--format', 'json']);
    const flowId = (JSON.parse(flow.stdout) as { flow_id: number }[])[0].flow_id;
    const r1 = await runFlowcase(['note', path, '--flow', String(flowId), '--text', 'first 10 MB out', '--tag', 'exfil', '--tag', 'c2', '--json']);
    expect(r1.stderr).toBe('');
    expect(r1.code).toBe(0);
    expect(JSON.parse(r1.stdout)).toMatchObject({ targetKind: 'flow', targetRef: String(flowId), text: 'first 10 MB out', tags: ['exfil', 'c2'], host: V, peer: D1 });
    const sessions = await runFlowcase(['sessions', path, '--filter', `host ${ATTACKER} and port 22`, '--format', 'json']);
    const uid = (JSON.parse(sessions.stdout) as { uid: string }[])[0].uid;
    expect((await runFlowcase(['note', path, '--session', uid, '--text', 'the SSH login', '--tag', 'foothold'])).stdout).toMatch(/^note 2 on session C/);
    expect((await runFlowcase(['note', path, '--host', V, '--text', 'the victim'])).code).toBe(0);
    expect((await runFlowcase(['note', path, '--from', '2024-03-12T10:29Z', '--to', '2024-03-12T10:51Z', '--host', V, '--text', 'no NetFlow here'])).stdout)
      .toBe('note 4 on range 2024-03-12T10:29:00Z/2024-03-12T10:51:00Z: no NetFlow here\n');
  });

  it('refuses a note about nothing, two things, or a flow that does not exist', async () => {
    const none = await runFlowcase(['note', path, '--text', 'x']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('say what the note is about');
    expect((await runFlowcase(['note', path, '--flow', '1', '--host', V, '--text', 'x'])).code).toBe(2);
    const missing = await runFlowcase(['note', path, '--flow', '99999999', '--text', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no flow 99999999 in this case');
    expect((await runFlowcase(['note', path, '--from', '2024-03-12T10:00Z', '--text', 'x'])).code).toBe(2);
  });
});

describe('flowcase story', () => {
  it('prints the proposed storyline as an array of events with the contract fields', async () => {
    const r = await runFlowcase(['story', path, '--host', V, '--json']);
    expect(r.code).toBe(0);
    const events = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(events.map((e) => e.kind)).toEqual(['port-scan', 'scan', 'foothold', 'download', 'new-service-used', 'new-service', 'transfer-out', 'transfer-out']);
    for (const e of events) {
      expect(Object.keys(e).slice(0, 8)).toEqual(EVENT_FIELDS);
      expect(e.source).toBe('story');
      expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3,6}Z$/);
    }
    expect(events[2]).toMatchObject({ host: V, peer: ATTACKER, phase: 'compromise', status: 'proposed' });
    const since = await runFlowcase(['story', path, '--host', V, '--since', '2024-03-12T09:45Z', '--json']);
    expect((JSON.parse(since.stdout) as { kind: string }[]).map((e) => e.kind)).toContain('compromise');
  });
});

describe('flowcase timeline', () => {
  it('prints the events in time order with the contract fields and the sources the issue names', async () => {
    const r = await runFlowcase(['timeline', path, '--host', V, '--format', 'json']);
    expect(r.code).toBe(0);
    const events = JSON.parse(r.stdout) as Record<string, string>[];
    for (const e of events) expect(Object.keys(e).slice(0, 8)).toEqual(EVENT_FIELDS);
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['detection', 'note', 'story', 'contact']));
    const times = events.map((e) => e.time);
    expect([...times].sort()).toEqual(times);
    expect(events.find((e) => e.source === 'note' && e.note === 'first 10 MB out')).toMatchObject({ host: V, peer: D1, kind: 'note' });
    const window = JSON.parse((await runFlowcase(['timeline', path, '--from', '2024-03-12T09:00Z', '--to', '2024-03-12T09:20Z', '--format', 'json'])).stdout) as Record<string, string>[];
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((e) => e.time <= '2024-03-12T09:20:00.000Z' && (e.end ?? e.time) >= '2024-03-12T09:00:00.000Z')).toBe(true);
  });

  it('prints Timesketch JSONL and CSV', async () => {
    const jsonl = await runFlowcase(['timeline', path, '--host', V, '--format', 'timesketch']);
    const first = JSON.parse(jsonl.stdout.split('\n')[0]) as Record<string, unknown>;
    expect(Object.keys(first).slice(0, 4)).toEqual(['message', 'datetime', 'timestamp', 'timestamp_desc']);
    const csv = await runFlowcase(['timeline', path, '--host', V, '--format', 'timesketch-csv']);
    expect(csv.stdout.split('\r\n')[0].startsWith('message,datetime,timestamp,timestamp_desc,')).toBe(true);
  });
});

describe('flowcase assess', () => {
  it('prints exactly the issue\'s JSON shape', async () => {
    const r = await runFlowcase(['assess', path, '--host', V, '--since', '2024-03-12T09:30Z', '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as Record<string, unknown> & { destinations: Record<string, unknown>[]; coverage: Record<string, unknown> };
    expect(a).toMatchObject({ host: V, since: '2024-03-12T09:30:00.000Z', bytes_out: 30_570_000 });
    expect(Object.keys(a.destinations[0])).toEqual(expect.arrayContaining(['addr', 'bytes', 'flows', 'first', 'last', 'ports']));
    expect(a.destinations[0]).toMatchObject({ addr: D1, bytes: 30_000_000, flows: 3, ports: [443] });
    expect(a.coverage).toMatchObject({ sampled: true, gaps: [expect.objectContaining({ from: '2024-03-12T10:29:01.000Z', to: '2024-03-12T10:50:00.000Z' }), expect.anything()] });
    expect(Array.isArray(a.coverage.sampling) && Array.isArray(a.qualifiers)).toBe(true);
  });

  it('wants a host and a time', async () => {
    expect((await runFlowcase(['assess', path, '--host', V])).code).toBe(2);
    const bad = await runFlowcase(['assess', path, '--host', 'nohost', '--since', '2024-03-12T09:30Z']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'nohost' is not an IP address");
  });
});

describe('flowcase report and export', () => {
  it('writes the self-contained report, and its PDF through Chromium', async () => {
    const out = join(dirname(path), 'out.html');
    const pdf = join(dirname(path), 'out.pdf');
    const r = await runFlowcase(['report', path, '--out', out, '--host', V, ...(findChromium() ? ['--pdf', pdf] : [])]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('first 10 MB out');
    expect(html).toContain('<strong>30,570,000 bytes</strong>');
    if (findChromium()) expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);

  it('says what to install when no Chromium is there for the PDF', async () => {
    const { spawn } = await import('node:child_process');
    const { REPO_ROOT } = await import('../../helpers/corpus');
    const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'flowcase.mjs'), 'report', path, '--out', join(dirname(path), 'x.html'), '--pdf', join(dirname(path), 'x.pdf')],
        { env: { ...process.env, FLOWCASE_CHROMIUM: '/nonexistent/chromium' } });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => done({ code, stderr }));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('a PDF needs Chromium or Google Chrome and none was found (FLOWCASE_CHROMIUM=/nonexistent/chromium does not exist)');
    expect(existsSync(join(dirname(path), 'x.html'))).toBe(true);
  });

  it('exports a view to a file beside the case, or where --out says', async () => {
    const r = await runFlowcase(['export', path, 'detections', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^1 rows written to .*victim\.exports\/detections-\d{8}-\d{6}\.json\n$/);
    const file = readdirSync(join(dirname(path), 'victim.exports')).find((f) => f.startsWith('detections'))!;
    const doc = JSON.parse(readFileSync(join(dirname(path), 'victim.exports', file), 'utf8')) as { kind: string; count: number; custody: { id: number } };
    expect(doc).toMatchObject({ kind: 'detections', count: 1 });
    expect(doc.custody.id).toBeGreaterThan(0);
    const out = join(dirname(path), 'ssh.jsonl');
    expect((await runFlowcase(['export', path, 'flows', '--format', 'timesketch', '--filter', 'port 22', '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
    const bad = await runFlowcase(['export', path, 'flows', '--filter', 'port 99999']);
    expect(bad.code).toBe(2);
  });
});
