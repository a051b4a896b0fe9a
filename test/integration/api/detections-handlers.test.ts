import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../core/api/api-error';
import { FlowcaseService } from '../../../core/api/flowcase-service';
import { RecentCases } from '../../../core/store/recent-cases';
import { ATTACKER, V, victimCase } from '../../helpers/victim-case';

/** Every detections.* and exclusions.* method through the service (validation included) on the victim case. */
let svc: FlowcaseService;
let cleanup: () => void = () => undefined;
beforeAll(async () => {
  const c = await victimCase();
  c.store.close();
  cleanup = c.cleanup;
  svc = new FlowcaseService({ transport: 'web', recent: new RecentCases(join(c.path, '..', 'home')) });
  await svc.openCase(c.path);
});
afterAll(async () => { await svc?.dispose(); cleanup(); });

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  try { await p; } catch (e) { if (e instanceof ApiError) return e; throw e; }
  throw new Error('expected an ApiError');
}

describe('detections through the API', () => {
  it('run, lastRun, list, get, hostScores', async () => {
    expect(await svc.invoke('detections.lastRun', {})).toBeNull();
    const run = await svc.invoke('detections.run', { only: ['port_scan', 'exfiltration'] });
    expect(run).toMatchObject({ id: 1, only: ['port_scan', 'exfiltration'], detections: 2, suppressed: 0 });
    expect(run.detectors.map((d) => d.name)).toEqual(['port_scan', 'exfiltration']);
    expect(run.detectors[0].thresholds).toMatchObject({ min_ports: 15 });
    expect(await svc.invoke('detections.lastRun', {})).toEqual(run);
    const list = await svc.invoke('detections.list', {});
    expect(list.map((d) => d.kind).sort()).toEqual(['exfiltration', 'port_scan']);
    const scan = list.find((d) => d.kind === 'port_scan')!;
    expect(await svc.invoke('detections.get', { id: scan.id })).toEqual(scan);
    expect((await svc.invoke('detections.list', { host: ATTACKER })).map((d) => d.kind)).toEqual(['port_scan']);
    expect(await svc.invoke('detections.list', { kinds: ['beacon'] })).toEqual([]);
    const scores = await svc.invoke('detections.hostScores', { hosts: [V, '10.9.9.9'] });
    expect(scores[0]).toMatchObject({ host: V, detections: 2 });
    expect(scores[1]).toEqual({ host: '10.9.9.9', score: 0, severity: null, detections: 0 });
    expect((await apiError(svc.invoke('detections.get', { id: 999 }))).code).toBe('not-found');
    expect((await apiError(svc.call('detections.run', { only: ['portscan'] }))).code).toBe('bad-arguments');
  });

  it('"not malicious": proposals narrowest first, suppress adds the chosen exclusion, remove reopens', async () => {
    const scan = (await svc.invoke('detections.list', { kinds: ['port_scan'] }))[0];
    const proposals = await svc.invoke('detections.proposeExclusions', { id: scan.id });
    expect(proposals[0]).toEqual({ detector: 'port_scan', src: ATTACKER, dst: V });
    const wrong = await apiError(svc.invoke('detections.suppress', { id: scan.id, scope: { detector: 'beacon', src: ATTACKER }, reason: 'x' }));
    expect(wrong.message).toMatch(/would not cover detection/);
    expect(proposals).toContainEqual({ detector: 'port_scan', src: ATTACKER });
    const r = await svc.invoke('detections.suppress', { id: scan.id, scope: { detector: 'port_scan', src: ATTACKER }, reason: 'our pen tester' });
    expect(r.suppressed).toBe(1);
    expect(r.exclusion).toMatchObject({ detector: 'port_scan', src: ATTACKER, fromDetectionId: scan.id, active: true, reason: 'our pen tester' });
    expect((await svc.invoke('detections.list', {})).map((d) => d.kind)).toEqual(['exfiltration']);
    expect((await svc.invoke('detections.list', { status: 'suppressed' }))[0]).toMatchObject({ id: scan.id, status: 'suppressed', exclusionId: r.exclusion.id });
    // A new run keeps it suppressed (a new detection, the same exclusion).
    await svc.invoke('detections.run', { only: ['port_scan'] });
    expect((await svc.invoke('detections.list', { status: 'suppressed' })).map((d) => d.kind)).toEqual(['port_scan']);
    expect(await svc.invoke('exclusions.list', {})).toHaveLength(1);
    const removed = await svc.invoke('exclusions.remove', { id: r.exclusion.id });
    expect(removed.active).toBe(false);
    expect(await svc.invoke('exclusions.list', {})).toEqual([]);
    expect(await svc.invoke('exclusions.list', { includeInactive: true })).toHaveLength(1);
    expect((await svc.invoke('detections.list', { kinds: ['port_scan'] }))[0].status).toBe('open');
    expect((await apiError(svc.invoke('exclusions.add', { scope: { detector: 'all' }, reason: 'x' }))).message).toMatch(/would hide every detection/);
    expect((await apiError(svc.invoke('exclusions.remove', { id: 77 }))).code).toBe('not-found');
  });

  it('thresholds: list, set, reset; unknown names answer not-found', async () => {
    const all = await svc.invoke('detections.thresholds', {});
    expect(new Set(all.map((t) => t.detector)).size).toBe(16);
    expect(await svc.invoke('detections.setThreshold', { detector: 'beacon', name: 'min_score', value: 0.8 }))
      .toMatchObject({ detector: 'beacon', name: 'min_score', value: 0.8, defaultValue: 0.7 });
    expect((await svc.invoke('detections.thresholds', {})).find((t) => t.detector === 'beacon' && t.name === 'min_score')!.value).toBe(0.8);
    expect((await svc.invoke('detections.setThreshold', { detector: 'beacon', name: 'min_score', value: null })).value).toBe(0.7);
    expect((await apiError(svc.invoke('detections.setThreshold', { detector: 'nope', name: 'x', value: 1 }))).code).toBe('not-found');
  });
});
