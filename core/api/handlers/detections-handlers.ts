import { ApiError } from '../api-error';
import type { detectionMethods } from '../contract/detections';
import type { HandlerContext, Handlers } from './handler-context';

const pending = (): never => {
  throw new ApiError('not-implemented', 'detections are being built (issue #12)', 501);
};

/** Detections (#12). Placeholder until the detectors land: each method answers 501. */
export function detectionsHandlers(_ctx: HandlerContext): Handlers<keyof typeof detectionMethods> {
  return {
    'detections.run': async () => pending(),
    'detections.lastRun': async () => null,
    'detections.list': async () => [],
    'detections.get': async () => pending(),
    'detections.proposeExclusions': async () => pending(),
    'detections.suppress': async () => pending(),
    'detections.hostScores': async () => [],
    'exclusions.list': async () => [],
    'exclusions.add': async () => pending(),
    'exclusions.remove': async () => pending(),
    'detections.thresholds': async () => [],
    'detections.setThreshold': async () => pending(),
  };
}
