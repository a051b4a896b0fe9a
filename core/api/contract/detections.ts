import { z } from 'zod';
import type {
  Detection, DetectionRun, DetectorThreshold, Exclusion, ExclusionScope, HostAlertScore,
} from '../../analysis/detect/detection-types';
import { DETECTION_KINDS, SEVERITIES } from '../../analysis/detect/detection-types';
import { addrArg, windowArgs } from './common';
import { method } from './method';

/**
 * Detections (#12): running the detectors, reading and suppressing what they found, the
 * exclusions and thresholds they use. Every change is written to the audit log.
 */

export type {
  Detection, DetectionKind, DetectionRun, DetectionStatus, DetectorThreshold, Exclusion, ExclusionScope,
  HostAlertScore, Severity,
} from '../../analysis/detect/detection-types';
export { DETECTION_KINDS, SEVERITIES } from '../../analysis/detect/detection-types';

const kind = z.enum(DETECTION_KINDS);
const time = z.number().finite();
const cidr = z.string().min(1).max(64);
export const exclusionScopeArg = z.object({
  detector: z.union([kind, z.literal('all')]),
  src: cidr.nullable().optional(),
  dst: cidr.nullable().optional(),
  host: cidr.nullable().optional(),
  port: z.number().int().min(0).max(65535).nullable().optional(),
}).strict();

export const detectionMethods = {
  /** Runs the detectors over the case (or a window) and replaces the stored detections. */
  'detections.run': method(z.object({
    ...windowArgs, baselineUntilUs: time.optional(), only: z.array(kind).max(DETECTION_KINDS.length).optional(),
  }).strict()).returns<DetectionRun>(),
  /** The last run, or null when the detectors never ran on this case. */
  'detections.lastRun': method(z.object({}).strict()).returns<DetectionRun | null>(),
  'detections.list': method(z.object({
    ...windowArgs, host: addrArg.optional(), kinds: z.array(kind).max(DETECTION_KINDS.length).optional(),
    severities: z.array(z.enum(SEVERITIES)).max(4).optional(), status: z.enum(['open', 'suppressed', 'all']).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  }).strict()).returns<Detection[]>(),
  'detections.get': method(z.object({ id: z.number().int().min(1) }).strict()).returns<Detection>(),
  /** The exclusions "not malicious" could add for this detection, narrowest first, for the analyst to choose. */
  'detections.proposeExclusions': method(z.object({ id: z.number().int().min(1) }).strict()).returns<ExclusionScope[]>(),
  /** "Not malicious": adds the chosen exclusion and suppresses every detection it matches (never deletes). */
  'detections.suppress': method(z.object({
    id: z.number().int().min(1), scope: exclusionScopeArg, reason: z.string().min(1).max(2000),
  }).strict()).returns<{ exclusion: Exclusion; suppressed: number }>(),
  'detections.hostScores': method(z.object({ hosts: z.array(addrArg).max(1000).optional() }).strict()).returns<HostAlertScore[]>(),
  'exclusions.list': method(z.object({ includeInactive: z.boolean().optional() }).strict()).returns<Exclusion[]>(),
  'exclusions.add': method(z.object({ scope: exclusionScopeArg, reason: z.string().min(1).max(2000) }).strict()).returns<Exclusion>(),
  /** Deactivates (never deletes) an exclusion; the detections it suppressed reopen. */
  'exclusions.remove': method(z.object({ id: z.number().int().min(1) }).strict()).returns<Exclusion>(),
  'detections.thresholds': method(z.object({}).strict()).returns<DetectorThreshold[]>(),
  'detections.setThreshold': method(z.object({
    detector: z.string().min(1).max(64), name: z.string().min(1).max(64), value: z.number().finite().nullable(),
  }).strict()).returns<DetectorThreshold>(),
};
