/** The phases of a host's story. */
export type StoryPhase = 'before' | 'compromise' | 'after';

/** What the analyst decided about a proposed entry. */
export type StoryStatus = 'proposed' | 'accepted' | 'dismissed';

/**
 * One line of a host's story: what happened, when, with whom, and the filter that shows
 * the flows it rests on. Proposed by Flowcase; accepted, edited or dismissed by the analyst.
 */
export interface StoryEntry {
  /** Stable key of the proposal (host, kind and what it is about), so a decision sticks to it. */
  key: string;
  phase: StoryPhase;
  /** probe, scan, brute-force, <detection kind>, foothold, compromise, download, new-peer, new-service, new-service-used, scan-out, transfer-out */
  kind: string;
  timeUs: number;
  endUs: number | null;
  host: string;
  peer: string | null;
  summary: string;
  evidence: string;
  status: StoryStatus;
  /** The session it is about, when one session is. */
  uid?: string;
  flows?: number;
  bytes?: number;
  /** The analyst's note on an accepted entry (the note's id and text). */
  noteId?: number;
  note?: string;
  tags?: string[];
  /** Flowcase's own summary when the analyst changed it. */
  proposedSummary?: string;
}

/** Thresholds of the story's rules (every one stated in reports). */
export interface StoryThresholds {
  /** Refused or unanswered attempts from one source that make it a prober. */
  minFailed: number;
  /** Distinct victim ports one source tried (refused or unanswered) that make it a port scan. */
  minScanPorts: number;
  /** Short established sessions from one source to one port that make it brute force. */
  minBruteSessions: number;
  /** Bytes (both directions) below which an established session counts as a short attempt. */
  shortSessionBytes: number;
  /** A session counts as the success when it carries at least this many bytes... */
  minSuccessBytes: number;
  /** ...and, among three or more sessions on that port, this many times their median. */
  successFactor: number;
  /** Bytes received in one session that make a download entry. */
  minDownloadBytes: number;
  /** Bytes sent (estimate) to one destination that make a transfer-out entry. */
  minTransferBytes: number;
  /** Distinct hosts the victim tried (refused or unanswered) on one port that make it a scan. */
  minScanTargets: number;
  /** At most this many entries of each kind (largest first). */
  maxPerKind: number;
}

export const DEFAULT_STORY_THRESHOLDS: StoryThresholds = {
  minFailed: 10,
  minScanPorts: 10,
  minBruteSessions: 10,
  shortSessionBytes: 10_000,
  minSuccessBytes: 10_000,
  successFactor: 3,
  minDownloadBytes: 100_000,
  minTransferBytes: 100_000,
  minScanTargets: 10,
  maxPerKind: 10,
};

export interface Story {
  host: string;
  /** The compromise time the analyst gave, if any. */
  sinceUs: number | null;
  /** The compromise time the story uses: the one given, else the foothold's start. */
  compromiseUs: number | null;
  compromiseBasis: 'given' | 'foothold' | 'none';
  /** Sources that probed, scanned or brute-forced the host. */
  attackers: string[];
  foothold: StoryEntry | null;
  /** Every entry (proposed, accepted, dismissed), in time order. */
  entries: StoryEntry[];
  thresholds: StoryThresholds;
}
