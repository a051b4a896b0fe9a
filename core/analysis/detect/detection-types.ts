/**
 * What a detection is, as the detectors make it and every client reads it (#12). The
 * `detections` table stores these with snake_case columns (detection_id, run_id, kind,
 * severity, score, src_ip, dst_ip, targets, ports, start_us, end_us, flows, bytes, attack,
 * summary, evidence, status, ...), which core/analysis/timeline/detection-reader.ts reads too.
 */

/** The kinds `flowcase detect --json` publishes (issue #12): keep these names. */
export const DETECTION_KINDS = [
  'port_scan', 'host_scan', 'stealth_scan', 'slow_scan', 'brute_force', 'syn_flood', 'udp_flood', 'icmp_flood',
  'backscatter', 'beacon', 'long_connection', 'exfiltration', 'dns_tunnel', 'new_host', 'new_service', 'lateral_movement',
] as const;
export type DetectionKind = (typeof DETECTION_KINDS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type DetectionStatus = 'open' | 'suppressed';

export interface Detection {
  id: number;
  runId: number;
  kind: DetectionKind;
  severity: Severity;
  /** 0–1. */
  score: number;
  /** Null when many sources are involved. */
  src: string | null;
  /** Null when many targets are involved. */
  dst: string | null;
  /** How many distinct targets (hosts, or ports for a port scan). */
  targets: number;
  /** Ports involved, possibly cut (portsTotal says how many there were). */
  ports: number[];
  portsTotal: number;
  /** First and last flow of the activity (UTC µs), not a bin edge. */
  startUs: number;
  endUs: number;
  flows: number;
  /** IP-layer bytes as stored (for exfiltration: bytes sent from src to dst). */
  bytes: number;
  /** MITRE ATT&CK technique id, e.g. T1046. */
  attack: string | null;
  /** One line an analyst reads at 3 a.m. */
  summary: string;
  /** A filter expression (Flowcase language) selecting exactly the flows behind it. */
  evidence: string;
  status: DetectionStatus;
  /** The exclusion that suppressed it, when suppressed. */
  exclusionId: number | null;
  detector: string;
  detectorVersion: string;
  /** Detector-specific figures (answered ports, interval, jitter, baseline, "no TCP flags: inferred"...). */
  facts: Record<string, string | number | boolean | null | (string | number)[]>;
}

/** One run of the detectors: what was used, so a report can say how detections were made. */
export interface DetectionRun {
  id: number;
  atUs: number;
  fromUs: number | null;
  toUs: number | null;
  baselineUntilUs: number | null;
  only: DetectionKind[] | null;
  /** `cut`: detections beyond the per-run cap, left out (the strongest are kept). */
  detectors: { name: string; version: string; thresholds: Record<string, number>; cut?: number }[];
  exclusions: number;
  detections: number;
  suppressed: number;
  elapsedMs: number;
}

/** What an exclusion matches; absent parts match anything. `detector` 'all' applies to every detector. */
export interface ExclusionScope {
  detector: DetectionKind | 'all';
  /** A CIDR or address matched against the source. */
  src?: string | null;
  /** A CIDR or address matched against the destination. */
  dst?: string | null;
  /** A CIDR or address matched against either side. */
  host?: string | null;
  port?: number | null;
}

export interface Exclusion extends ExclusionScope {
  id: number;
  reason: string;
  createdUs: number;
  /** The detection marked "not malicious" that implied it, if any. */
  fromDetectionId: number | null;
  active: boolean;
}

/** One tunable threshold of a detector, with its default and help. */
export interface DetectorThreshold {
  detector: string;
  name: string;
  value: number;
  defaultValue: number;
  help: string;
}

/** Per-host alert score for the pivot: the strongest open detection involving the host. */
export interface HostAlertScore {
  host: string;
  score: number;
  severity: Severity | null;
  detections: number;
}
