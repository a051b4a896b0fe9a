import type { CaseStore } from '../../store/case-store';
import type { Detection, DetectionKind, Severity } from './detection-types';

/** What every detector gets: the case, the analysis window, the baseline, its thresholds and `now`. */
export interface DetectWindow {
  /** Activity starting at or after fromUs and before toUs (UTC µs); null = open end. */
  fromUs: number | null;
  toUs: number | null;
  /** Baseline = activity before this time (host profiles, exfiltration); null = none given. */
  baselineUntilUs: number | null;
}

export interface DetectContext {
  store: CaseStore;
  range: DetectWindow;
  /** The case's internal networks (CIDR text). */
  internal: readonly string[];
  nowUs: number;
}

export type Thresholds = Readonly<Record<string, number>>;

/**
 * What a detector returns: a detection before it is stored. flows, bytes, start and end are
 * recomputed from `evidence` by the run (so the filter and the figures cannot disagree).
 */
export type Finding = Omit<Detection, 'id' | 'runId' | 'status' | 'exclusionId' | 'detector' | 'detectorVersion' | 'flows' | 'bytes'> & {
  flows?: number;
  bytes?: number;
};

export interface ThresholdSpec {
  value: number;
  help: string;
}

/** One detector: a kind, its version (bumped when its logic changes), defaults, and the function. */
export interface Detector {
  kind: DetectionKind;
  version: string;
  attack: string;
  thresholds: Readonly<Record<string, ThresholdSpec>>;
  /** Why it may say less on some evidence (shown in run facts). */
  run(ctx: DetectContext, t: Thresholds): Promise<Finding[]>;
}

export const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0);

/** Severity from a 0–1 score, with a floor the detector may raise. */
export function severityOf(score: number, floor: Severity = 'low'): Severity {
  const order: Severity[] = ['low', 'medium', 'high', 'critical'];
  const s: Severity = score >= 0.9 ? 'critical' : score >= 0.75 ? 'high' : score >= 0.5 ? 'medium' : 'low';
  return order[Math.max(order.indexOf(s), order.indexOf(floor))];
}

/** "40 s", "12 min", "3.5 h" */
export function spanText(us: number): string {
  const s = Math.max(0, us / 1e6);
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
