import type { Detector } from './detector';
import { hostScan } from './host-scan';
import { portScan } from './port-scan';

/** Every detector, in the order runs execute them; each with its version and default thresholds. */
export const DETECTORS: readonly Detector[] = [
  portScan,
  hostScan,
];
