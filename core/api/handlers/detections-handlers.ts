import {
  addExclusion, DetectionInputError, getDetection, hostScores, lastRun, listDetections, listExclusions, listThresholds,
  proposeExclusions, removeExclusion, setThreshold,
} from '../../analysis/detect/detection-store';
import { exclusionMatches, scopeProblem } from '../../analysis/detect/exclusion-match';
import { runDetections } from '../../analysis/detect/run-detections';
import { ApiError } from '../api-error';
import type { detectionMethods } from '../contract/detections';
import type { HandlerContext, Handlers } from './handler-context';

/** The store's input errors as the API's: 404 for what is not there, 400 for what is wrong. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DetectionInputError) throw new ApiError(err.code, err.message, err.code === 'not-found' ? 404 : 400);
    throw err;
  }
}

function checkScope(scope: Parameters<typeof scopeProblem>[0]): void {
  const problem = scopeProblem(scope);
  if (problem) throw new ApiError('bad-arguments', problem);
}

function writable(ctx: HandlerContext) {
  const s = ctx.requireCase();
  if (s.readOnly) throw new ApiError('read-only', 'the case is open read-only: detections, exclusions and thresholds cannot be changed', 409);
  return s;
}

/** Detections (#12): run the detectors, read and suppress what they found, exclusions and thresholds (all changes audited). */
export function detectionsHandlers(ctx: HandlerContext): Handlers<keyof typeof detectionMethods> {
  return {
    'detections.run': async (a) => {
      if (a.fromUs !== undefined && a.toUs !== undefined && a.toUs <= a.fromUs) throw new ApiError('bad-window', 'the window ends before it starts');
      return runDetections(writable(ctx), { fromUs: a.fromUs, toUs: a.toUs, baselineUntilUs: a.baselineUntilUs, only: a.only });
    },
    'detections.lastRun': async () => lastRun(ctx.requireCase()),
    'detections.list': async (a) => guard(() => listDetections(ctx.requireCase(), a)),
    'detections.get': async (a) => guard(() => getDetection(ctx.requireCase(), a.id)),
    'detections.proposeExclusions': async (a) => guard(async () => proposeExclusions(await getDetection(ctx.requireCase(), a.id))),
    'detections.suppress': async (a) => guard(async () => {
      const s = writable(ctx);
      const d = await getDetection(s, a.id);
      checkScope(a.scope);
      if (!exclusionMatches(a.scope, d)) throw new ApiError('bad-arguments', `that exclusion would not cover detection #${a.id}: choose one of its proposals`);
      return addExclusion(s, a.scope, a.reason, d.id);
    }),
    'detections.hostScores': async (a) => hostScores(ctx.requireCase(), a.hosts),
    'exclusions.list': async (a) => listExclusions(ctx.requireCase(), a.includeInactive),
    'exclusions.add': async (a) => guard(async () => {
      checkScope(a.scope);
      return (await addExclusion(writable(ctx), a.scope, a.reason)).exclusion;
    }),
    'exclusions.remove': async (a) => guard(() => removeExclusion(writable(ctx), a.id)),
    'detections.thresholds': async () => listThresholds(ctx.requireCase()),
    'detections.setThreshold': async (a) => guard(() => setThreshold(writable(ctx), a.detector, a.name, a.value)),
  };
}
