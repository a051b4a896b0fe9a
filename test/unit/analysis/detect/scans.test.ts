import { afterEach, describe, expect, it } from 'vitest';
import { runDetections } from '../../../../core/analysis/detect/run-detections';
import { addExclusion, listDetections } from '../../../../core/analysis/detect/detection-store';
import { compileUserFilter } from '../../../../core/query/user-filter';
import { ATTACKER, us, V, victimCase } from '../../../helpers/victim-case';

let cleanup: (() => void) | undefined;
afterEach(() => { cleanup?.(); cleanup = undefined; });

describe('port_scan on the victim case', () => {
  it('finds the 40-port scan with its hosts, start and an evidence filter that selects its flows', async () => {
    const c = await victimCase();
    cleanup = c.cleanup;
    await runDetections(c.store, { only: ['port_scan', 'host_scan'] });
    const found = await listDetections(c.store);
    expect(found.map((d) => d.kind)).toEqual(['port_scan']);
    const d = found[0];
    expect([d.src, d.dst]).toEqual([ATTACKER, V]);
    // 40 refused probes plus the SSH foothold and the new service on 4444, both answered.
    expect(d.targets).toBe(42);
    expect(d.summary).toMatch(/^203\.0\.113\.9 probed 42 TCP ports on 10\.0\.0\.5 in \d+ s; 2 answered \(22, 4444\)$/);
    const f = compileUserFilter(d.evidence);
    expect(Number(await c.store.value(`SELECT count(*) FROM flows WHERE ${f.sql}`, f.params))).toBe(d.flows);
    // The activity runs from the first to the last refused probe: the 40 probes.
    expect(d.flows).toBe(40);
    expect(d.startUs).toBe(us(601));
  });

  it('an excluded scanner is kept as suppressed, not open', async () => {
    const c = await victimCase();
    cleanup = c.cleanup;
    await addExclusion(c.store, { detector: 'port_scan', src: '203.0.113.0/24' }, 'authorised scanner');
    const run = await runDetections(c.store, { only: ['port_scan'] });
    expect(run.suppressed).toBe(1);
    expect(await listDetections(c.store)).toEqual([]);
    expect((await listDetections(c.store, { status: 'suppressed' }))[0].src).toBe(ATTACKER);
    const audit = await c.store.all(`SELECT action FROM audit_log ORDER BY id`);
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['detections.exclusion.add', 'detections.run']));
  });
});

describe('every detector on the victim case', () => {
  it('runs without error and records the run with every detector and its version', async () => {
    const c = await victimCase();
    cleanup = c.cleanup;
    const run = await runDetections(c.store, { baselineUntilUs: 1710234000e6 });
    expect(run.detectors.map((d) => d.name)).toHaveLength(16);
    const all = await listDetections(c.store, { status: 'all' });
    for (const d of all) {
      const f = compileUserFilter(d.evidence);
      expect(Number(await c.store.value(`SELECT count(*) FROM flows WHERE ${f.sql}`, f.params)), d.evidence).toBe(d.flows);
    }
  });
});
