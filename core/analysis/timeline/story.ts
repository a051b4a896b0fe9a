import { formatIpBigInt, ipToBigInt, parseIp } from '../../model/ip';
import type { CaseStore } from '../../store/case-store';
import { listNotes, type Note } from '../notes/note-store';
import { readDetections } from './detection-reader';
import { pairEvidence, sessionEvidence } from './evidence-filter';
import { withHostScope, type HostScope } from './host-scope';
import { outboundByDestination } from './outbound';
import { DEFAULT_STORY_THRESHOLDS, type Story, type StoryEntry, type StoryThresholds } from './story-types';
import { bytesText, listText, plural, portText } from './wording';

export interface StoryOptions {
  /** The compromise time, when the analyst knows it (UTC µs). */
  sinceUs?: number;
  thresholds?: Partial<StoryThresholds>;
}

/** Zeek conn_states of an attempt nobody answered or that was refused. */
const FAILED_STATES = `('REJ', 'S0', 'RSTOS0', 'RSTRH', 'SH', 'SHR')`;
/** Zeek conn_states of a connection both sides took part in. */
const ESTABLISHED_STATES = `('SF', 'S1', 'S2', 'S3', 'RSTO', 'RSTR')`;
const FAILED = `((ip_proto = 6 AND conn_state IN ${FAILED_STATES}) OR (ip_proto = 17 AND conn_state = 'S0'))`;
const ESTABLISHED = `(ip_proto = 6 AND conn_state IN ${ESTABLISHED_STATES} AND resp_pkts > 0)`;
/** Detection kinds that make their source an attacker of the destination. */
const ATTACK_KINDS = /scan|brute|probe|sweep|guess|exploit/i;

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const addr = (v: unknown): string => formatIpBigInt(BigInt(v as bigint));

interface SessionRow {
  uid: string; ts: number; endUs: number; peer: string; origH: string; respH: string; origP: number; respP: number; ipProto: number;
  bytesOut: number; bytesIn: number;
}

const SESSION_COLS = `uid, ts, end_us, peer, orig_h, resp_h, orig_p, resp_p, ip_proto, bytes_out, bytes_in`;
function toSession(r: Record<string, unknown>): SessionRow {
  return {
    uid: String(r.uid), ts: n(r.ts), endUs: n(r.end_us), peer: addr(r.peer), origH: addr(r.orig_h), respH: addr(r.resp_h),
    origP: n(r.orig_p), respP: n(r.resp_p), ipProto: n(r.ip_proto), bytesOut: n(r.bytes_out), bytesIn: n(r.bytes_in),
  };
}
const sessEvidence = (s: SessionRow): string => sessionEvidence({ ...s, endUs: s.endUs });

/**
 * Proposes the story of one host: who probed it and how (before), the session that
 * succeeded (the foothold: the first established session carrying real data from a source
 * that scanned, probed or brute-forced the host, or that a detection names), and what the
 * host did afterwards (downloads, new peers, new services offered or used, scans it ran,
 * data sent out). Every entry carries its evidence filter; the analyst's decisions (notes
 * of origin 'story') are merged in. The rules read sessions; transfers out read the flows
 * counted once, like the assessment.
 */
export async function buildStory(store: CaseStore, host: string, opts: StoryOptions = {}): Promise<Story> {
  const ip = parseIp(host);
  if (ip === null) throw new Error(`not an IP address: ${host}`);
  const h = formatIpBigInt(ipToBigInt(ip));
  return withHostScope(store, [h], (scope) => buildStoryInScope(store, scope, opts));
}

/** buildStory() over a scope already made for this one host (the timeline shares it with its contacts). */
export async function buildStoryInScope(store: CaseStore, scope: HostScope, opts: StoryOptions = {}): Promise<Story> {
  if (scope.hosts.length !== 1) throw new Error('a story is about one host');
  const h = formatIpBigInt(BigInt(scope.hosts[0]));
  const th: StoryThresholds = { ...DEFAULT_STORY_THRESHOLDS, ...opts.thresholds };
  const sinceUs = opts.sinceUs ?? null;
  const proposals = await propose(store, scope, h, sinceUs, th);
  const decisions = await listNotes(store, { origin: 'story', host: h, includeRemoved: true });
  const entries = mergeDecisions(proposals.entries, decisions.filter((d) => d.host === h));
  const foothold = entries.find((e) => e.kind === 'foothold' && e.status !== 'dismissed') ?? null;
  return {
    host: h, sinceUs, compromiseUs: proposals.compromiseUs,
    compromiseBasis: sinceUs !== null ? 'given' : proposals.compromiseUs !== null ? 'foothold' : 'none',
    attackers: proposals.attackers, foothold, entries, thresholds: th,
  };
}

interface Proposals {
  entries: StoryEntry[];
  attackers: string[];
  compromiseUs: number | null;
}

async function propose(store: CaseStore, scope: HostScope, h: string, sinceUs: number | null, th: StoryThresholds): Promise<Proposals> {
  const S = scope.sessions;
  const entries: StoryEntry[] = [];
  const entry = (e: Omit<StoryEntry, 'host' | 'status' | 'key'> & { key: string }): StoryEntry =>
    ({ ...e, key: `${h}|${e.key}`, host: h, status: 'proposed' });
  const before = sinceUs === null ? '' : ' AND ts < $since';
  const sinceParam: Record<string, bigint> = sinceUs === null ? {} : { since: BigInt(sinceUs) };

  // Before: sources that probed the host (refused/unanswered attempts, ports tried, short established attempts).
  const probers = await store.all(
    `WITH inbound AS (SELECT * FROM ${S} WHERE role = 'resp' AND peer <> host${before}),
     brute AS (SELECT peer, resp_p, count(*) AS n FROM inbound WHERE ${ESTABLISHED} AND orig_ip_bytes + resp_ip_bytes <= $short
                GROUP BY peer, resp_p),
     best_brute AS (SELECT peer, arg_max(resp_p, n) AS brute_port, max(n) AS brute_n FROM brute GROUP BY peer)
     SELECT i.peer, count(*) FILTER (WHERE ${FAILED}) AS failed, count(DISTINCT resp_p) FILTER (WHERE ${FAILED}) AS failed_ports,
            min(ts) FILTER (WHERE ${FAILED}) AS first_failed, min(ts) AS first_us, count(*) AS sessions,
            max(end_us) FILTER (WHERE ${FAILED} OR (${ESTABLISHED} AND orig_ip_bytes + resp_ip_bytes <= $short)) AS last_us,
            list(DISTINCT resp_p ORDER BY resp_p) FILTER (WHERE ${FAILED}) AS ports, any_value(b.brute_port) AS brute_port,
            coalesce(any_value(b.brute_n), 0) AS brute_n, any_value(ip_proto) FILTER (WHERE ${FAILED}) AS proto
       FROM inbound i LEFT JOIN best_brute b USING (peer)
      GROUP BY i.peer
     HAVING count(*) FILTER (WHERE ${FAILED}) >= $min_failed OR count(DISTINCT resp_p) FILTER (WHERE ${FAILED}) >= $min_ports
            OR coalesce(any_value(b.brute_n), 0) >= $min_brute
      ORDER BY count(*) DESC, i.peer LIMIT ${th.maxPerKind}`,
    { ...sinceParam, short: BigInt(th.shortSessionBytes), min_failed: th.minFailed, min_ports: th.minScanPorts, min_brute: th.minBruteSessions },
  );
  const attackers = new Map<string, number>(); // attacker -> first attempt
  for (const r of probers) {
    const peer = addr(r.peer);
    const failed = n(r.failed);
    const ports = ((r.ports as unknown[] | null) ?? []).map(n);
    const bruteN = n(r.brute_n);
    const kind = n(r.failed_ports) >= th.minScanPorts ? 'scan' : bruteN >= th.minBruteSessions ? 'brute-force' : 'probe';
    const firstUs = n(r.first_us);
    attackers.set(peer, r.first_failed === null ? firstUs : Math.min(firstUs, n(r.first_failed)));
    const summary = kind === 'brute-force'
      ? `${peer} tried ${h} on ${portText(n(r.brute_port), 6)} ${plural(bruteN, 'time')} with short sessions (brute force)`
        + (failed ? `, and ${plural(failed, 'refused or unanswered attempt')}` : '')
      : `${peer} ${kind === 'scan' ? 'scanned' : 'probed'} ${h}: ${plural(failed, 'refused or unanswered attempt')} on ${plural(ports.length, 'port')} (${listText(ports)})`;
    entries.push(entry({
      key: `${kind}|${peer}`, phase: 'before', kind, timeUs: firstUs, endUs: n(r.last_us), peer, summary,
      evidence: pairEvidence({ host: h, peer, from: 'peer', ports: kind === 'brute-force' ? [n(r.brute_port)] : undefined, fromUs: firstUs, toUs: n(r.last_us) }),
      flows: n(r.sessions),
    }));
  }
  // Detections naming the host as the target add their sources (and appear as entries of their own).
  const dets = (await readDetections(store, { hosts: [h], ...(sinceUs === null ? {} : { toUs: sinceUs }) }))
    .filter((d) => d.dst === h && d.src !== null && ATTACK_KINDS.test(d.kind));
  for (const d of dets) {
    const src = d.src!;
    attackers.set(src, Math.min(attackers.get(src) ?? d.startUs, d.startUs));
    entries.push(entry({
      key: `detection|${d.detectionId}`, phase: 'before', kind: d.kind, timeUs: d.startUs, endUs: d.endUs, peer: src,
      summary: d.summary || `${d.kind} from ${src}`, evidence: d.evidence || pairEvidence({ host: h, peer: src, fromUs: d.startUs, toUs: d.endUs }),
      flows: d.flows,
    }));
  }

  // The foothold: an attacker's established session with real data, after its first attempt.
  let foothold: SessionRow | null = null;
  if (attackers.size) {
    const attackerList = [...attackers.keys()];
    const rows = await store.all(
      `WITH est AS (SELECT *, orig_ip_bytes + resp_ip_bytes AS tot,
                      count(*) OVER (PARTITION BY peer, resp_p) AS on_port,
                      median(orig_ip_bytes + resp_ip_bytes) OVER (PARTITION BY peer, resp_p) AS med
                 FROM ${S} WHERE role = 'resp' AND ${ESTABLISHED} AND peer IN (SELECT unnest(CAST($attackers AS UHUGEINT[]))))
       SELECT ${SESSION_COLS} FROM est
        WHERE tot >= $min_success AND (on_port < 3 OR tot >= $factor * med)
        ORDER BY ts, uid`,
      { attackers: `[${attackerList.map((a) => ipToBigInt(parseIp(a)!).toString()).join(',')}]`, min_success: BigInt(th.minSuccessBytes), factor: th.successFactor },
    );
    const candidates = rows.map(toSession).filter((s) => s.ts >= (attackers.get(s.peer) ?? 0));
    // The first success, whatever compromise time the analyst gives (that time only moves where "after" begins).
    foothold = candidates[0] ?? null;
  }
  if (foothold) {
    const s = foothold;
    entries.push(entry({
      key: `foothold|${s.uid}`, phase: 'compromise', kind: 'foothold', timeUs: s.ts, endUs: s.endUs, peer: s.peer, uid: s.uid,
      summary: `${s.peer} opened a session to ${h} on ${portText(s.respP, s.ipProto)} that worked (${bytesText(s.bytesIn)} in, ${bytesText(s.bytesOut)} out): the foothold`,
      evidence: sessEvidence(s), bytes: s.bytesIn + s.bytesOut,
    }));
  }
  const t0 = sinceUs ?? foothold?.ts ?? null;
  if (sinceUs !== null) {
    entries.push(entry({
      key: `compromise|${sinceUs}`, phase: 'compromise', kind: 'compromise', timeUs: sinceUs, endUs: null, peer: null,
      summary: `compromise of ${h} assumed from this time (given by the analyst)`, evidence: pairEvidence({ host: h, fromUs: sinceUs }),
    }));
  }
  if (t0 === null) return { entries: sortEntries(entries), attackers: [...attackers.keys()].sort(), compromiseUs: null };

  const after = { t0: BigInt(t0), foot: foothold?.uid ?? '' };
  // Downloads: large amounts received from outside after the compromise.
  const downloads = await store.all(
    `SELECT ${SESSION_COLS}, role FROM ${S} WHERE ts >= $t0 AND NOT peer_internal AND bytes_in >= $min AND uid <> $foot
      ORDER BY bytes_in DESC, uid LIMIT ${th.maxPerKind}`,
    { ...after, min: BigInt(th.minDownloadBytes) },
  );
  for (const r of downloads) {
    const s = toSession(r);
    const how = r.role === 'orig' ? `${h} connected out` : `${s.peer} connected in`;
    entries.push(entry({
      key: `download|${s.uid}`, phase: 'after', kind: 'download', timeUs: s.ts, endUs: s.endUs, peer: s.peer, uid: s.uid,
      summary: `${h} received ${bytesText(s.bytesIn)} from ${s.peer} on ${portText(s.respP, s.ipProto)} (${how})`,
      evidence: sessEvidence(s), bytes: s.bytesIn,
    }));
  }
  // New external peers: first contact after the compromise, none before; attackers are told already.
  const newPeers = await store.all(
    `SELECT peer, min(ts) AS first_us, max(end_us) AS last_us, count(*) AS sessions, sum(bytes_out) AS b_out, sum(bytes_in) AS b_in,
            list(DISTINCT resp_p ORDER BY resp_p) AS ports
       FROM ${S} WHERE NOT peer_internal GROUP BY peer HAVING min(ts) >= $t0
      ORDER BY sum(bytes_out) + sum(bytes_in) DESC, peer LIMIT ${2 * th.maxPerKind + attackers.size}`,
    { t0: after.t0 },
  );
  // Data sent out: by destination, from the flows counted once (the assessment's figures).
  const transfers = (await outboundByDestination(store, scope, { sinceUs: t0 }, th.maxPerKind)).filter((x) => x.bytes >= th.minTransferBytes);
  for (const d of transfers) {
    const estimate = d.sampled ? ` (estimate from sampled records; ${bytesText(d.bytesRecorded)} recorded)` : '';
    entries.push(entry({
      key: `transfer-out|${d.addr}`, phase: 'after', kind: 'transfer-out', timeUs: d.firstUs, endUs: d.lastUs, peer: d.addr,
      summary: `${h} sent ${bytesText(d.bytes)} to ${d.addr} (${listText(d.services, 3)}) in ${plural(d.flows, 'flow')}${estimate}`,
      evidence: pairEvidence({ host: h, peer: d.addr, fromUs: d.firstUs, toUs: d.lastUs }), flows: d.flows, bytes: d.bytes,
    }));
  }
  // A destination that received a transfer is told by that entry; the others are new peers.
  const told = new Set([...attackers.keys(), ...transfers.map((d) => d.addr)]);
  for (const r of newPeers.filter((x) => !told.has(addr(x.peer))).slice(0, th.maxPerKind)) {
    const peer = addr(r.peer);
    entries.push(entry({
      key: `new-peer|${peer}`, phase: 'after', kind: 'new-peer', timeUs: n(r.first_us), endUs: n(r.last_us), peer,
      summary: `${h} talked to ${peer} for the first time: ${plural(n(r.sessions), 'session')}, ${bytesText(n(r.b_out))} out, ${bytesText(n(r.b_in))} in (ports ${listText(((r.ports as unknown[]) ?? []).map(n))})`,
      evidence: pairEvidence({ host: h, peer, fromUs: n(r.first_us), toUs: n(r.last_us) }), flows: n(r.sessions), bytes: n(r.b_out) + n(r.b_in),
    }));
  }
  // New services: ports the host answered (or used as a client) after the compromise, never before.
  const footPort = foothold ? foothold.respP : -1;
  for (const role of ['resp', 'orig'] as const) {
    const rows = await store.all(
      `SELECT resp_p, ip_proto, min(ts) AS first_us, max(end_us) AS last_us, count(*) AS sessions, count(DISTINCT peer) AS peers,
              arg_min(peer, ts) AS first_peer
         FROM ${S} WHERE role = '${role}' AND (${ESTABLISHED} OR (ip_proto = 17 AND conn_state = 'SF'))
        GROUP BY resp_p, ip_proto
       HAVING min(ts) >= $t0 AND resp_p <> $foot_port ${role === 'orig' ? 'AND (resp_p < 1024 OR count(*) >= 3)' : ''}
        ORDER BY min(ts), resp_p LIMIT ${th.maxPerKind}`,
      { t0: after.t0, foot_port: footPort },
    );
    for (const r of rows) {
      const port = n(r.resp_p);
      const proto = n(r.ip_proto);
      const firstPeer = addr(r.first_peer);
      const kind = role === 'resp' ? 'new-service' : 'new-service-used';
      entries.push(entry({
        key: `${kind}|${port}/${proto}`, phase: 'after', kind, timeUs: n(r.first_us), endUs: n(r.last_us), peer: firstPeer,
        summary: role === 'resp'
          ? `${h} began answering on ${portText(port, proto)} (${plural(n(r.sessions), 'session')} from ${plural(n(r.peers), 'peer')}, first ${firstPeer})`
          : `${h} began using ${portText(port, proto)} as a client (${plural(n(r.sessions), 'session')} to ${plural(n(r.peers), 'peer')}, first ${firstPeer})`,
        evidence: role === 'resp'
          ? pairEvidence({ host: h, from: 'peer', ports: [port], proto, fromUs: n(r.first_us), toUs: n(r.last_us) })
          : pairEvidence({ host: h, from: 'host', ports: [port], proto, fromUs: n(r.first_us), toUs: n(r.last_us) }),
        flows: n(r.sessions),
      }));
    }
  }
  // Scans the host ran: refused/unanswered attempts to many hosts on one port.
  const scans = await store.all(
    `SELECT resp_p, ip_proto, count(DISTINCT peer) AS targets, count(*) AS attempts, min(ts) AS first_us, max(end_us) AS last_us
       FROM ${S} WHERE role = 'orig' AND ts >= $t0 AND ${FAILED}
      GROUP BY resp_p, ip_proto HAVING count(DISTINCT peer) >= $min_targets
      ORDER BY count(DISTINCT peer) DESC, resp_p LIMIT ${th.maxPerKind}`,
    { t0: after.t0, min_targets: th.minScanTargets },
  );
  for (const r of scans) {
    const port = n(r.resp_p);
    const proto = n(r.ip_proto);
    entries.push(entry({
      key: `scan-out|${port}/${proto}`, phase: 'after', kind: 'scan-out', timeUs: n(r.first_us), endUs: n(r.last_us), peer: null,
      summary: `${h} tried ${plural(n(r.targets), 'host')} on ${portText(port, proto)} (${plural(n(r.attempts), 'refused or unanswered attempt')}): a scan`,
      evidence: pairEvidence({ host: h, from: 'host', ports: [port], proto, fromUs: n(r.first_us), toUs: n(r.last_us) }), flows: n(r.attempts),
    }));
  }
  return { entries: sortEntries(entries), attackers: [...attackers.keys()].sort(), compromiseUs: t0 };
}

const PHASE_ORDER = { before: 0, compromise: 1, after: 2 } as const;

function sortEntries(entries: StoryEntry[]): StoryEntry[] {
  return entries.sort((a, b) => a.timeUs - b.timeUs || PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Applies the analyst's decisions: an accepted entry takes its note's summary and text; a
 * dismissed one is marked so; accepted entries whose proposal no longer comes up (other
 * thresholds, a changed case) stay in the story as accepted.
 */
export function mergeDecisions(proposed: StoryEntry[], decisions: Note[]): StoryEntry[] {
  const byKey = new Map<string, Note>();
  for (const d of decisions) {
    if (!d.storyKey || d.status === 'deleted') continue;
    const prev = byKey.get(d.storyKey);
    if (!prev || d.id > prev.id) byKey.set(d.storyKey, d);
  }
  const out: StoryEntry[] = [];
  const used = new Set<string>();
  for (const p of proposed) {
    const d = byKey.get(p.key);
    if (!d) { out.push(p); continue; }
    used.add(p.key);
    out.push(applyDecision(p, d));
  }
  for (const [key, d] of byKey) {
    if (used.has(key) || d.status !== 'active') continue;
    out.push(applyDecision({
      key, phase: phaseOf(d.eventKind), kind: d.eventKind ?? 'note', timeUs: d.atUs ?? 0, endUs: d.endUs, host: d.host ?? '',
      peer: d.peer, summary: d.summary ?? d.text, evidence: d.evidence ?? '', status: 'accepted',
    }, d));
  }
  return sortEntries(out);
}

function applyDecision(p: StoryEntry, d: Note): StoryEntry {
  if (d.status === 'dismissed') return { ...p, status: 'dismissed', noteId: d.id };
  const summary = d.summary ?? p.summary;
  return {
    ...p, status: 'accepted', summary, noteId: d.id, note: d.text, tags: d.tags,
    ...(summary !== p.summary ? { proposedSummary: p.summary } : {}),
  };
}

function phaseOf(kind: string | null): StoryEntry['phase'] {
  if (kind === 'foothold' || kind === 'compromise') return 'compromise';
  if (kind && /probe|scan$|^scan|brute|detection/.test(kind) && kind !== 'scan-out') return 'before';
  return 'after';
}
