import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listDetections } from '../../../core/analysis/detect/detection-store';
import type { DetectionKind } from '../../../core/analysis/detect/detection-types';
import { runDetections } from '../../../core/analysis/detect/run-detections';
import { CaseStore } from '../../../core/store/case-store';
import { ATTACK_TIMES, BASELINE_S, buildScenario, scenarioUs, writeScenario, type RecordStyle } from '../../helpers/scenario';
import { tempDir } from '../../helpers/temp';

/**
 * The scenario generator's office network, five hours, every attack mixed in at its time:
 * each must be found with the right hosts and a start within a minute of its first flow;
 * the same network without attacks may raise at most two alarms. Several seeds and the
 * three record styles (bidirectional with flags, NetFlow with flags, records without flags).
 */
let cleanups: (() => void)[] = [];
afterEach(() => { cleanups.forEach((c) => c()); cleanups = []; });

async function scenarioCase(seed: number, attacks: DetectionKind[], style: RecordStyle) {
  const tmp = tempDir('flowcase-scenario-');
  const store = await CaseStore.open(join(tmp.dir, 'c.duckdb'));
  cleanups.push(() => { store.close(); tmp.cleanup(); });
  const s = buildScenario(seed, attacks);
  await writeScenario(store, s, style);
  await runDetections(store, { baselineUntilUs: scenarioUs(BASELINE_S) });
  return { store, s, found: await listDetections(store) };
}

const ALL = Object.keys(ATTACK_TIMES) as DetectionKind[];

describe('the scenario: attacks in a busy benign network', () => {
  for (const [seed, style] of [[11, 'bidirectional'], [12, 'netflow'], [13, 'netflow-noflags']] as const) {
    it(`finds every attack with its hosts and start (seed ${seed}, ${style})`, async () => {
      const { s, found } = await scenarioCase(seed, ALL, style);
      for (const a of s.attacks) {
        // Without TCP flags a FIN/Xmas scan cannot be told from a SYN scan: it is found as a port scan.
        const kind = a.kind === 'stealth_scan' && style === 'netflow-noflags' ? 'port_scan' : a.kind;
        const hit = found.find((d) => d.kind === kind && (a.src === null || d.src === a.src) && (a.dst === null || d.dst === a.dst)
          && Math.abs(d.startUs - scenarioUs(a.at)) <= 60e6);
        expect(hit, `${a.kind} ${a.src ?? '*'} -> ${a.dst ?? '*'} at ${a.at} s; found:\n${found.map((d) => `${d.kind} ${d.summary}`).join('\n')}`).toBeDefined();
      }
    }, 300_000);
  }

  for (const [seed, style] of [[21, 'bidirectional'], [22, 'netflow'], [23, 'netflow-noflags']] as const) {
    it(`raises at most two alarms on benign traffic alone (seed ${seed}, ${style})`, async () => {
      const { found } = await scenarioCase(seed, [], style);
      expect(found.length, found.map((d) => `${d.kind} ${d.summary}`).join('\n')).toBeLessThanOrEqual(2);
    }, 300_000);
  }
});
