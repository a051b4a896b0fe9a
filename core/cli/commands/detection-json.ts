import type { Detection } from '../../api/contract';
import { microsToIso } from '../../model/time';

/**
 * A detection as `flowcase detect --json` publishes it (issue #12): the names
 * (kind, severity, score, src, dst, targets, ports, start, end, flows, bytes, attack, summary,
 * evidence) kept exactly, snake_case for the rest.
 */
export function detectionJson(d: Detection): Record<string, unknown> {
  return {
    kind: d.kind, severity: d.severity, score: d.score, src: d.src, dst: d.dst, targets: d.targets, ports: d.ports,
    start: microsToIso(d.startUs), end: microsToIso(d.endUs), flows: d.flows, bytes: d.bytes, attack: d.attack, summary: d.summary,
    evidence: d.evidence, id: d.id, run_id: d.runId, status: d.status, ports_total: d.portsTotal, exclusion_id: d.exclusionId,
    detector: d.detector, detector_version: d.detectorVersion, facts: d.facts,
  };
}
