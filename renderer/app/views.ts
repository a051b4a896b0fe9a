/** The views of an open case. Disabled ones are placeholders for features still to come. */
export type ViewId = 'overview' | 'evidence' | 'flows' | 'pivot' | 'sessions' | 'sql' | 'detections' | 'timeline' | 'report';

export interface ViewEntry {
  id: ViewId;
  label: string;
  enabled: boolean;
  hint?: string;
}

export const VIEWS: readonly ViewEntry[] = [
  { id: 'overview', label: 'Overview', enabled: true, hint: 'Traffic over time, top talkers, incoming attempts' },
  { id: 'evidence', label: 'Evidence', enabled: true },
  { id: 'flows', label: 'Flows', enabled: true },
  { id: 'pivot', label: 'Pivot', enabled: true, hint: 'One host: peers, ports, activity, flows (Alt+Left/Right: history)' },
  { id: 'sessions', label: 'Sessions', enabled: true, hint: 'Connections rebuilt from flows, with a ladder per session' },
  { id: 'sql', label: 'SQL', enabled: true, hint: 'Read-only SQL console on the case' },
  { id: 'detections', label: 'Detections', enabled: true, hint: 'Scans, brute force, floods, beacons, exfiltration: what to look at, with exclusions and thresholds' },
  { id: 'timeline', label: 'Timeline', enabled: true, hint: 'Swimlanes per host: detections, notes, the story of a host, its breach assessment' },
  { id: 'report', label: 'Report', enabled: true, hint: 'One self-contained HTML report (and PDF) for counsel' },
];
