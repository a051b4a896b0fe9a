import { listNotes, type Note } from '../analysis/notes/note-store';
import { assessBreach, type BreachAssessment } from '../analysis/timeline/assessment';
import { DEFAULT_COVERAGE_RULES, type CoverageRules } from '../analysis/timeline/coverage';
import { readDetectionRuns, readDetections, type DetectionRow } from '../analysis/timeline/detection-reader';
import { withHostScope } from '../analysis/timeline/host-scope';
import { buildStoryInScope } from '../analysis/timeline/story';
import { DEFAULT_STORY_THRESHOLDS, type Story, type StoryThresholds } from '../analysis/timeline/story-types';
import { buildTimeline, canonicalHost, compromiseGiven, hostsOfInterest, type TimelineEvent } from '../analysis/timeline/timeline-events';
import { formatIpBigInt, ipToBigInt, parseIp } from '../model/ip';
import { addressContext, type AddressContext } from '../enrich/address-context';
import { getInternalNetworks } from '../query/internal-networks';
import { auditHead, type AuditHead } from '../store/audit-head';
import type { CaseStore } from '../store/case-store';
import { TOOL_VERSION } from '../version';
import type { TimeBin } from './svg-charts';

/** The question a breach report answers unless the case says otherwise (settings key report.question). */
export const DEFAULT_QUESTION = 'Was personal data, or is it reasonably believed to have been, acquired by an unauthorized person?';
export const QUESTION_SETTING = 'report.question';

export interface ReportOptions {
  /** The host the report is about (default: the hosts the notes are about). */
  hosts?: readonly string[];
  /** The compromise time (default: the story's, from an accepted entry or the foothold). */
  sinceUs?: number;
  /** The one value that changes between two generations of the same case. */
  generatedUs: number;
  /** Zone the report shows times in (default: the case's). */
  timeZone?: string;
  storyThresholds?: Partial<StoryThresholds>;
  coverageRules?: Partial<CoverageRules>;
}

export interface ReportEvidence {
  evidenceId: number;
  name: string;
  path: string;
  size: number;
  sha256: string;
  format: string;
  positionUnit: string;
  toolVersion: string;
  records: number;
  rejected: number;
  firstUs: number | null;
  lastUs: number | null;
  clockOffsetUs: number;
  issues: { code: string; offset: number; message: string }[];
  issueCounts: Record<string, number>;
}

export interface CitedFlow {
  flowId: number;
  startUs: number;
  endUs: number;
  proto: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  packets: number;
  bytes: number;
  revPackets: number | null;
  revBytes: number | null;
  sampling: number | null;
  evidence: string;
  sha256: string;
  pos: number;
  positionUnit: string;
  /** Why the report cites it. */
  cited: string;
}

/** Everything one host's part of the report shows. */
export interface HostSection {
  host: string;
  story: Story;
  /** Null when no compromise time is known (neither given nor found). */
  assessment: BreachAssessment | null;
  series: { binUs: number; fromUs: number; toUs: number; bins: TimeBin[] } | null;
  /** What the case knows about each destination of the assessment (names used, country, AS, asset), by address text. */
  destinations?: Record<string, AddressContext>;
}

/** The report's content: read once from the case, then rendered without touching it again. */
export interface ReportData {
  caseName: string;
  casePath: string;
  generatedUs: number;
  timeZone: string;
  versions: { flowcase: string; duckdb: string; parsers: string[] };
  custody: AuditHead | null;
  question: string;
  /** Notes tagged 'conclusion': the analyst's answer to the question. */
  conclusions: Note[];
  evidence: ReportEvidence[];
  hosts: HostSection[];
  timeline: TimelineEvent[];
  notes: Note[];
  detections: DetectionRow[];
  detectionRuns: Record<string, string | number | boolean | null>[];
  hasDetectionsTable: boolean;
  citedFlows: CitedFlow[];
  settings: { internalNetworks: string[]; storyThresholds: StoryThresholds; coverageRules: CoverageRules };
  totals: { flows: number; counted: number; firstUs: number | null; lastUs: number | null };
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const nn = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The most flows the appendix lists. */
const MAX_CITED = 300;
/** Bins of a host's traffic chart at most. */
const MAX_BINS = 160;

/** Reads what the report shows. Nothing here reads a clock: the generation time comes in. */
export async function gatherReport(store: CaseStore, o: ReportOptions): Promise<ReportData> {
  const timeZone = o.timeZone ?? (await store.getSetting('time_zone')) ?? 'UTC';
  const notes = await listNotes(store);
  const hosts = (o.hosts?.length ? o.hosts.map((h) => canonicalHost(h)).filter((h): h is string => h !== null) : hostsOfInterest(notes)).slice(0, 10);
  const storyThresholds = { ...DEFAULT_STORY_THRESHOLDS, ...o.storyThresholds };
  const coverageRules = { ...DEFAULT_COVERAGE_RULES, ...o.coverageRules };
  const timeline = await buildTimeline(store, { hosts, thresholds: storyThresholds, sinceUs: o.sinceUs });

  const sections: HostSection[] = [];
  for (const host of hosts) {
    const given = o.sinceUs ?? compromiseGiven(notes, host) ?? undefined;
    const story = await withHostScope(store, [host], (scope) => buildStoryInScope(store, scope, { sinceUs: given, thresholds: storyThresholds }));
    const sinceUs = story.compromiseUs;
    const assessment = sinceUs === null ? null : await assessBreach(store, { hosts: [host], sinceUs, rules: coverageRules });
    sections.push({ host, story, assessment, series: await hostSeries(store, host), destinations: await destinationContext(store, assessment) });
  }
  const dets = await readDetections(store, hosts.length ? { hosts } : {});
  const hasDetectionsTable = n(await store.value(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'detections'`)) > 0;
  const totals = await store.one(`SELECT (SELECT count(*) FROM flows) AS flows, (SELECT count(*) FROM flows_counted) AS counted,
      (SELECT min(start_us) FROM flows) AS lo, (SELECT max(end_us) FROM flows) AS hi`);
  return {
    caseName: store.path.split(/[\\/]/).pop() ?? store.path, casePath: store.path, generatedUs: o.generatedUs, timeZone,
    versions: {
      flowcase: TOOL_VERSION, duckdb: String(await store.value(`SELECT version()`)),
      parsers: (await store.all(`SELECT DISTINCT tool_version FROM evidence ORDER BY 1`)).map((r) => String(r.tool_version)),
    },
    custody: await auditHead(store),
    question: (await store.getSetting(QUESTION_SETTING)) ?? DEFAULT_QUESTION,
    conclusions: notes.filter((x) => x.tags.some((t) => t.toLowerCase() === 'conclusion')),
    evidence: await readEvidence(store),
    hosts: sections, timeline: timeline.events, notes, detections: dets, detectionRuns: await readDetectionRuns(store), hasDetectionsTable,
    citedFlows: await citedFlows(store, sections, notes),
    settings: { internalNetworks: await getInternalNetworks(store), storyThresholds, coverageRules },
    totals: { flows: n(totals?.flows), counted: n(totals?.counted), firstUs: nn(totals?.lo), lastUs: nn(totals?.hi) },
  };
}

async function readEvidence(store: CaseStore): Promise<ReportEvidence[]> {
  const rows = await store.all(`SELECT * FROM evidence ORDER BY evidence_id`);
  return rows.map((r) => {
    let issues: { kept?: ReportEvidence['issues']; byCode?: Record<string, number> } = {};
    try { issues = JSON.parse(String(r.issues ?? '{}')) as typeof issues; } catch { /* an unreadable issue list shows as none */ }
    return {
      evidenceId: n(r.evidence_id), name: String(r.name), path: String(r.path), size: n(r.size), sha256: String(r.sha256),
      format: String(r.format), positionUnit: String(r.position_unit), toolVersion: String(r.tool_version), records: n(r.records),
      rejected: n(r.rejected), firstUs: nn(r.first_us), lastUs: nn(r.last_us), clockOffsetUs: n(r.clock_offset_us),
      issues: Array.isArray(issues.kept) ? issues.kept : [], issueCounts: issues.byCode ?? {},
    };
  });
}

/** The host's bytes out and in per time bin over its whole activity (flows counted once, sampled records scaled). */
async function hostSeries(store: CaseStore, host: string): Promise<HostSection['series']> {
  return withHostScope(store, [host], async (scope) => {
    const span = await store.one(`SELECT min(start_us) AS lo, max(end_us) AS hi FROM ${scope.flows}`);
    if (!span || span.lo === null) return null;
    const lo = n(span.lo);
    const hi = Math.max(n(span.hi), lo + 1);
    const binUs = niceBin((hi - lo) / MAX_BINS);
    const from = Math.floor(lo / binUs) * binUs;
    const rows = await store.all(
      `SELECT (start_us - $from) // $bin AS b, sum(bytes_out * sampling) AS up, sum(bytes_in * sampling) AS down FROM ${scope.flows}
        GROUP BY b ORDER BY b`, { from: BigInt(from), bin: BigInt(binUs) },
    );
    const bins = rows.map((r) => ({ t: from + n(r.b) * binUs, up: n(r.up), down: n(r.down) }));
    return { binUs, fromUs: from, toUs: Math.max(hi, from + binUs), bins };
  });
}

const NICE_BINS_S = [1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400];

function niceBin(us: number): number {
  return (NICE_BINS_S.find((s) => s * 1e6 >= us) ?? NICE_BINS_S[NICE_BINS_S.length - 1]) * 1e6;
}

/**
 * The flows the report rests on: each foothold session's records, the records of the
 * largest transfers, and every noted flow; each with its evidence file, hash and position.
 */
async function citedFlows(store: CaseStore, sections: readonly HostSection[], notes: readonly Note[]): Promise<CitedFlow[]> {
  const why = new Map<string, string>();
  const uids: [string, string][] = [];
  for (const s of sections) {
    if (s.story.foothold?.uid) uids.push([s.story.foothold.uid, `foothold of ${s.host}`]);
    for (const l of s.assessment?.largest.slice(0, 5) ?? []) uids.push([l.uid, `largest transfer from ${s.host}`]);
  }
  const flowIds: [number, string][] = notes.filter((x) => x.targetKind === 'flow').map((x) => [Number(x.targetRef), `note ${x.id}`]);
  for (const x of notes.filter((y) => y.targetKind === 'session')) uids.push([x.targetRef, `note ${x.id}`]);
  if (uids.length) {
    const rows = await store.all(
      `SELECT uid, unnest(flow_ids) AS flow_id FROM sessions WHERE list_contains(CAST($uids AS VARCHAR[]), uid)`,
      { uids: `[${uids.map(([u]) => u).filter((u) => /^C[0-9A-Z]{13}$/.test(u)).join(',')}]` },
    );
    for (const r of rows) {
      const reason = uids.filter(([u]) => u === r.uid).map(([, w]) => w).join('; ');
      flowIds.push([n(r.flow_id), `${reason} (session ${String(r.uid)})`]);
    }
  }
  for (const [id, w] of flowIds) {
    const k = String(id);
    why.set(k, why.has(k) && !why.get(k)!.includes(w) ? `${why.get(k)}; ${w}` : why.get(k) ?? w);
  }
  const ids = [...why.keys()].map(Number).filter(Number.isSafeInteger).sort((a, b) => a - b);
  if (!ids.length) return [];
  const rows = await store.all(
    `SELECT f.flow_id, f.start_us, f.end_us, f.proto, f.src_ip, f.src_port, f.dst_ip, f.dst_port, f.packets, f.bytes, f.rev_packets,
            f.rev_bytes, f.sampling, f.src_pos, e.name, e.sha256, e.position_unit
       FROM flows f JOIN evidence e USING (evidence_id) WHERE list_contains(CAST($ids AS BIGINT[]), f.flow_id)
      ORDER BY f.start_us, f.flow_id LIMIT ${MAX_CITED}`,
    { ids: `[${ids.join(',')}]` },
  );
  return rows.map((r) => ({
    flowId: n(r.flow_id), startUs: n(r.start_us), endUs: n(r.end_us), proto: n(r.proto), src: formatIpBigInt(BigInt(r.src_ip as bigint)),
    srcPort: n(r.src_port), dst: formatIpBigInt(BigInt(r.dst_ip as bigint)), dstPort: n(r.dst_port), packets: n(r.packets), bytes: n(r.bytes),
    revPackets: nn(r.rev_packets), revBytes: nn(r.rev_bytes), sampling: nn(r.sampling), evidence: String(r.name), sha256: String(r.sha256),
    pos: n(r.src_pos), positionUnit: String(r.position_unit), cited: why.get(String(n(r.flow_id))) ?? '',
  }));
}

/** The context of an assessment's destinations, by address text (empty without an assessment). */
async function destinationContext(store: CaseStore, a: BreachAssessment | null): Promise<Record<string, AddressContext>> {
  const addrs = (a?.destinations ?? []).map((d) => d.addr);
  const big = addrs.map((x) => parseIp(x)).map((ip) => (ip === null ? null : ipToBigInt(ip)));
  const ctx = await addressContext(store, big.filter((b): b is bigint => b !== null));
  const out: Record<string, AddressContext> = {};
  addrs.forEach((x, i) => {
    const c = big[i] === null ? undefined : ctx.get(big[i]!);
    if (c) out[x] = c;
  });
  return out;
}
