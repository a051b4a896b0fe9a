import { formatIpBigInt } from '../model/ip';
import { microsToIso } from '../model/time';
import { protoName } from '../model/protocols';
import { tcpFlagsText } from '../model/tcp-flags';
import type { CaseStore } from '../store/case-store';
import { readDetections, type DetectionRow } from '../analysis/timeline/detection-reader';
import type { TimelineEvent } from '../analysis/timeline/timeline-events';
import { bytesText } from '../analysis/timeline/wording';

/** One exported value. */
export type Cell = string | number | boolean | null;
export type ExportRecord = Record<string, Cell>;

/** The four things a view can export. */
export const EXPORT_KINDS = ['flows', 'sessions', 'detections', 'timeline'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/**
 * Rows of one export: the columns (CSV header, JSON keys) and, per row, the record and its
 * Timesketch event (message, time, description and attributes with Zeek-style names).
 */
export interface ExportSource {
  kind: ExportKind;
  columns: readonly string[];
  /** Timesketch attribute names in CSV column order (after message, datetime, timestamp, timestamp_desc). */
  timesketchColumns: readonly string[];
  rows: AsyncIterable<{ record: ExportRecord; event: TimesketchEvent }>;
}

/** A Timesketch event before it is written: time in UTC µs and the attributes. */
export interface TimesketchEvent {
  message: string;
  timeUs: number;
  timestampDesc: string;
  attrs: ExportRecord;
}

/** A WHERE fragment (over the table's own columns) and its parameters, compiled by the caller from a filter. */
export interface SqlWhere {
  sql: string;
  params: Record<string, string | number | bigint | boolean | null>;
}

const PAGE = 10_000;
const n = (v: unknown): number => Number(v);
const nn = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const addr = (v: unknown): string => formatIpBigInt(BigInt(v as bigint));
const transport = (p: number): string => (p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 1 || p === 58 ? 'icmp' : 'unknown_transport');
const endpoint = (a: string, p: number): string => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);

// ---- flows --------------------------------------------------------------------------------

export const FLOW_EXPORT_COLUMNS = [
  'flow_id', 'start', 'end', 'duration', 'proto', 'src_addr', 'src_port', 'dst_addr', 'dst_port', 'packets', 'bytes', 'rev_packets',
  'rev_bytes', 'flags', 'rev_flags', 'state', 'service', 'label', 'exporter', 'sampling', 'evidence_id', 'evidence', 'evidence_sha256',
  'src_pos', 'pos_unit',
] as const;

/** Zeek conn.log names first (the attributes Timesketch users search by), then Flowcase's own. */
export const FLOW_TIMESKETCH_COLUMNS = [
  'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state',
  'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'uid', 'flow_id', 'end_time', 'tcp_flags', 'rev_tcp_flags',
  'exporter', 'sampling', 'label', 'evidence_file', 'evidence_sha256', 'evidence_pos', 'evidence_pos_unit', 'data_type',
] as const;

export interface FlowSelection {
  where?: SqlWhere;
  fromUs?: number;
  toUs?: number;
  limit?: number;
}

/** Flows (with their evidence file, hash and position) in time order, read a page at a time. */
export function flowSource(store: CaseStore, sel: FlowSelection = {}): ExportSource {
  async function* rows() {
    const pages = keysetPages(store, {
      time: 'f.start_us', key: 'f.flow_id', timeOut: 'start_us', keyOut: 'flow_id', sel, extra: [],
      query: (where, limit) => `SELECT f.*, e.name AS ev_name, e.sha256 AS ev_sha, e.position_unit AS ev_unit FROM flows f JOIN evidence e USING (evidence_id)
          WHERE ${where} ORDER BY f.start_us, f.flow_id LIMIT ${limit}`,
    });
    for await (const r of pages) yield flowRow(r);
  }
  return { kind: 'flows', columns: FLOW_EXPORT_COLUMNS, timesketchColumns: FLOW_TIMESKETCH_COLUMNS, rows: rows() };
}

type Params = Record<string, string | number | bigint | boolean | null>;

/**
 * Rows in (time, key) order a page at a time: each page continues after the last row of
 * the one before (keyset paging), so a large export never builds an OFFSET heap.
 */
async function* keysetPages(store: CaseStore, o: {
  time: string; key: string; timeOut: string; keyOut: string; sel: { where?: SqlWhere; fromUs?: number; toUs?: number; limit?: number };
  extra: { sql: string; params: Params }[]; query: (where: string, limit: number) => string;
}): AsyncGenerator<Record<string, unknown>> {
  let after: { t: bigint; k: bigint } | null = null;
  let left = o.sel.limit ?? Number.MAX_SAFE_INTEGER;
  while (left > 0) {
    const where = [o.sel.where?.sql ?? 'TRUE', ...o.extra.map((x) => x.sql)];
    const params: Params = { ...(o.sel.where?.params ?? {}), ...Object.assign({}, ...o.extra.map((x) => x.params)) };
    if (o.sel.fromUs !== undefined) { where.push(`${o.time} >= $x_from`); params.x_from = BigInt(Math.floor(o.sel.fromUs)); }
    if (o.sel.toUs !== undefined) { where.push(`${o.time} < $x_to`); params.x_to = BigInt(Math.ceil(o.sel.toUs)); }
    if (after) { where.push(`(${o.time} > $x_t OR (${o.time} = $x_t AND ${o.key} > $x_k))`); params.x_t = after.t; params.x_k = after.k; }
    const limit = Math.min(PAGE, left);
    const page = await store.all(o.query(where.join(' AND '), limit), params);
    yield* page;
    if (page.length < limit) return;
    left -= page.length;
    const last = page[page.length - 1];
    after = { t: BigInt(last[o.timeOut] as bigint), k: BigInt(last[o.keyOut] as bigint) };
  }
}

function flowRow(r: Record<string, unknown>): { record: ExportRecord; event: TimesketchEvent } {
  const start = n(r.start_us);
  const end = n(r.end_us);
  const proto = n(r.proto);
  const src = addr(r.src_ip);
  const dst = addr(r.dst_ip);
  const exporter = r.exporter_ip === null || r.exporter_ip === undefined ? null : addr(r.exporter_ip);
  const record: ExportRecord = {
    flow_id: n(r.flow_id), start: microsToIso(start), end: microsToIso(end), duration: (end - start) / 1e6, proto: protoName(proto),
    src_addr: src, src_port: n(r.src_port), dst_addr: dst, dst_port: n(r.dst_port), packets: n(r.packets), bytes: n(r.bytes),
    rev_packets: nn(r.rev_packets), rev_bytes: nn(r.rev_bytes), flags: r.tcp_flags == null ? null : tcpFlagsText(n(r.tcp_flags)),
    rev_flags: r.rev_tcp_flags == null ? null : tcpFlagsText(n(r.rev_tcp_flags)), state: s(r.state), service: s(r.service), label: s(r.label),
    exporter, sampling: nn(r.sampling), evidence_id: n(r.evidence_id), evidence: String(r.ev_name), evidence_sha256: String(r.ev_sha),
    src_pos: n(r.src_pos), pos_unit: String(r.ev_unit),
  };
  const back = r.rev_bytes == null ? '' : `, ${n(r.rev_packets)} packets ${bytesText(n(r.rev_bytes))} back`;
  const message = `${protoName(proto)} flow ${endpoint(src, n(r.src_port))} -> ${endpoint(dst, n(r.dst_port))}: ${n(r.packets)} packets ${bytesText(n(r.bytes))}${back}${r.state ? ` (${r.state})` : ''}`;
  return {
    record,
    event: {
      message, timeUs: start, timestampDesc: 'Flow start',
      attrs: {
        'id.orig_h': src, 'id.orig_p': n(r.src_port), 'id.resp_h': dst, 'id.resp_p': n(r.dst_port), proto: transport(proto),
        service: s(r.service), duration: (end - start) / 1e6, orig_bytes: nn(r.payload_bytes), resp_bytes: nn(r.rev_payload_bytes),
        conn_state: s(r.state), history: s(r.history), orig_pkts: n(r.packets), orig_ip_bytes: n(r.bytes), resp_pkts: nn(r.rev_packets),
        resp_ip_bytes: nn(r.rev_bytes), uid: s(r.uid), flow_id: n(r.flow_id), end_time: microsToIso(end), tcp_flags: record.flags,
        rev_tcp_flags: record.rev_flags, exporter, sampling: nn(r.sampling), label: s(r.label), evidence_file: String(r.ev_name),
        evidence_sha256: String(r.ev_sha), evidence_pos: n(r.src_pos), evidence_pos_unit: String(r.ev_unit), data_type: 'flowcase:flow',
      },
    },
  };
}

// ---- sessions -----------------------------------------------------------------------------

export const SESSION_EXPORT_COLUMNS = [
  'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes',
  'conn_state', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'missed_bytes', 'state_confidence',
  'direction_inferred', 'sightings', 'flows', 'evidence', 'evidence_sha256', 'evidence_pos', 'evidence_pos_unit',
] as const;

export const SESSION_TIMESKETCH_COLUMNS = [
  'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state',
  'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'missed_bytes', 'uid', 'end_time', 'state_confidence',
  'sightings', 'evidence_file', 'evidence_sha256', 'evidence_pos', 'evidence_pos_unit', 'data_type',
] as const;

export interface SessionSelection {
  /** A WHERE fragment over `sessions` (the API compiles the filter language to one). */
  where?: SqlWhere;
  states?: readonly string[];
  fromUs?: number;
  toUs?: number;
  limit?: number;
}

/** Sessions in time order with the evidence file, hash and position of their first record. */
export function sessionSource(store: CaseStore, sel: SessionSelection = {}): ExportSource {
  async function* rows() {
    const states = (sel.states ?? []).filter((x) => /^[A-Z0-9]{2,6}$/.test(x));
    const extra = states.length ? [{ sql: 'list_contains(CAST($x_states AS VARCHAR[]), conn_state::VARCHAR)', params: { x_states: `[${states.join(',')}]` } }] : [];
    const pages = keysetPages(store, {
      time: 'ts', key: 'uid_hash', timeOut: 'ts', keyOut: 'uid_hash', sel, extra,
      query: (where, limit) => `WITH s AS (SELECT *, list_min(flow_ids) AS first_flow FROM sessions WHERE ${where}
                     ORDER BY ts, uid_hash LIMIT ${limit})
         SELECT s.*, s.conn_state::VARCHAR AS state_text, s.state_confidence::VARCHAR AS confidence_text, len(s.flow_ids) AS n_flows,
                f.src_pos AS ev_pos, e.name AS ev_name, e.sha256 AS ev_sha, e.position_unit AS ev_unit
           FROM s LEFT JOIN flows f ON f.flow_id = s.first_flow LEFT JOIN evidence e ON e.evidence_id = f.evidence_id
          ORDER BY s.ts, s.uid_hash`,
    });
    for await (const r of pages) yield sessionRow(r);
  }
  return { kind: 'sessions', columns: SESSION_EXPORT_COLUMNS, timesketchColumns: SESSION_TIMESKETCH_COLUMNS, rows: rows() };
}

function sessionRow(r: Record<string, unknown>): { record: ExportRecord; event: TimesketchEvent } {
  const ts = n(r.ts);
  const o = addr(r['id.orig_h']);
  const rh = addr(r['id.resp_h']);
  const record: ExportRecord = {
    ts: microsToIso(ts), uid: String(r.uid), 'id.orig_h': o, 'id.orig_p': n(r['id.orig_p']), 'id.resp_h': rh, 'id.resp_p': n(r['id.resp_p']),
    proto: String(r.proto), service: s(r.service), duration: n(r.duration), orig_bytes: nn(r.orig_bytes), resp_bytes: nn(r.resp_bytes),
    conn_state: String(r.state_text), history: s(r.history), orig_pkts: n(r.orig_pkts), orig_ip_bytes: n(r.orig_ip_bytes),
    resp_pkts: n(r.resp_pkts), resp_ip_bytes: n(r.resp_ip_bytes), missed_bytes: nn(r.missed_bytes), state_confidence: String(r.confidence_text),
    direction_inferred: !!r.direction_inferred, sightings: n(r.sightings), flows: n(r.n_flows), evidence: s(r.ev_name),
    evidence_sha256: s(r.ev_sha), evidence_pos: nn(r.ev_pos), evidence_pos_unit: s(r.ev_unit),
  };
  const message = `${record.proto} connection ${endpoint(o, n(r['id.orig_p']))} -> ${endpoint(rh, n(r['id.resp_p']))} ${record.conn_state}: `
    + `${bytesText(n(r.orig_ip_bytes))} sent, ${bytesText(n(r.resp_ip_bytes))} back${r.service ? ` (${r.service})` : ''}`;
  const { ts: _ts, flows: _flows, evidence: _ev, direction_inferred: _d, ...zeek } = record;
  return {
    record,
    event: {
      message, timeUs: ts, timestampDesc: 'Connection start',
      attrs: { ...zeek, end_time: microsToIso(n(r.end_us)), evidence_file: record.evidence, data_type: 'flowcase:session' },
    },
  };
}

// ---- detections ---------------------------------------------------------------------------

export const DETECTION_EXPORT_COLUMNS = [
  'detection_id', 'run_id', 'kind', 'severity', 'score', 'start', 'end', 'src', 'dst', 'targets', 'ports', 'flows', 'bytes', 'attack',
  'summary', 'evidence', 'status',
] as const;

export const DETECTION_TIMESKETCH_COLUMNS = [
  'id.orig_h', 'id.resp_h', 'detection_id', 'kind', 'severity', 'score', 'end_time', 'targets', 'ports', 'flows', 'bytes', 'attack',
  'evidence_filter', 'status', 'data_type',
] as const;

export function detectionSource(store: CaseStore, sel: { hosts?: string[]; fromUs?: number; toUs?: number; includeSuppressed?: boolean } = {}): ExportSource {
  async function* rows() {
    for (const d of await readDetections(store, sel)) yield detectionRow(d);
  }
  return { kind: 'detections', columns: DETECTION_EXPORT_COLUMNS, timesketchColumns: DETECTION_TIMESKETCH_COLUMNS, rows: rows() };
}

function detectionRow(d: DetectionRow): { record: ExportRecord; event: TimesketchEvent } {
  const record: ExportRecord = {
    detection_id: d.detectionId, run_id: d.runId, kind: d.kind, severity: d.severity, score: d.score, start: microsToIso(d.startUs),
    end: microsToIso(d.endUs), src: d.src, dst: d.dst, targets: d.targets, ports: d.ports.join(' '), flows: d.flows, bytes: d.bytes,
    attack: d.attack, summary: d.summary, evidence: d.evidence, status: d.status,
  };
  return {
    record,
    event: {
      message: `${d.kind} detected: ${d.summary || d.kind}`, timeUs: d.startUs, timestampDesc: 'Detection',
      attrs: {
        'id.orig_h': d.src, 'id.resp_h': d.dst, detection_id: d.detectionId, kind: d.kind, severity: d.severity, score: d.score,
        end_time: microsToIso(d.endUs), targets: d.targets, ports: record.ports, flows: d.flows, bytes: d.bytes, attack: d.attack,
        evidence_filter: d.evidence, status: d.status, data_type: 'flowcase:detection',
      },
    },
  };
}

// ---- timeline -----------------------------------------------------------------------------

/** The issue's event fields first (the CLI's JSON contract), then Flowcase's own. */
export const TIMELINE_EXPORT_COLUMNS = [
  'time', 'end', 'kind', 'host', 'peer', 'summary', 'source', 'evidence', 'status', 'phase', 'note', 'tags', 'uid', 'detection_id',
  'note_id', 'id',
] as const;

export const TIMELINE_TIMESKETCH_COLUMNS = [
  'kind', 'source', 'host', 'peer', 'end_time', 'evidence_filter', 'status', 'phase', 'note', 'tags', 'uid', 'detection_id', 'note_id',
  'evidence_file', 'evidence_sha256', 'evidence_pos', 'evidence_pos_unit', 'data_type',
] as const;

const DESC: Readonly<Record<string, string>> = {
  detection: 'Detection', note: 'Analyst note', story: 'Story entry', 'first-contact': 'First contact', 'last-contact': 'Last contact',
};

/** A timeline event as the CLI's JSON prints it: {"time","end","kind","host","peer","summary","source","evidence"} plus extras. */
export function timelineEventRecord(e: TimelineEvent): ExportRecord {
  return {
    time: microsToIso(e.timeUs), end: e.endUs === null ? null : microsToIso(e.endUs), kind: e.kind, host: e.host, peer: e.peer,
    summary: e.summary, source: e.source, evidence: e.evidence, status: e.status ?? null, phase: e.phase ?? null, note: e.note ?? null,
    tags: e.tags?.length ? e.tags.join(', ') : null, uid: e.uid ?? null, detection_id: e.detectionId ?? null, note_id: e.noteId ?? null, id: e.id,
  };
}

/**
 * Timeline events; a note on a flow (or a story entry about one session) carries the
 * evidence file, hash and position of that flow (or the session's first record).
 */
export function timelineSource(store: CaseStore, events: readonly TimelineEvent[]): ExportSource {
  async function* rows() {
    const positions = await eventPositions(store, events);
    for (const e of events) {
      const record = timelineEventRecord(e);
      const pos = positions.get(e.id);
      const message = e.note && e.note !== e.summary && !e.summary.includes(e.note) ? `${e.summary} — note: ${e.note}` : e.summary;
      yield {
        record,
        event: {
          message, timeUs: e.timeUs, timestampDesc: DESC[e.source === 'contact' ? e.kind : e.source] ?? 'Event',
          attrs: {
            kind: e.kind, source: e.source, host: e.host, peer: e.peer, end_time: record.end, evidence_filter: e.evidence, status: record.status,
            phase: record.phase, note: record.note, tags: record.tags, uid: record.uid, detection_id: record.detection_id, note_id: record.note_id,
            evidence_file: pos?.file ?? null, evidence_sha256: pos?.sha256 ?? null, evidence_pos: pos?.pos ?? null, evidence_pos_unit: pos?.unit ?? null,
            data_type: 'flowcase:timeline',
          },
        },
      };
    }
  }
  return { kind: 'timeline', columns: TIMELINE_EXPORT_COLUMNS, timesketchColumns: TIMELINE_TIMESKETCH_COLUMNS, rows: rows() };
}

interface EvidencePos { file: string; sha256: string; pos: number; unit: string }

async function eventPositions(store: CaseStore, events: readonly TimelineEvent[]): Promise<Map<string, EvidencePos>> {
  const out = new Map<string, EvidencePos>();
  const flowIds = events.filter((e) => e.targetKind === 'flow' && /^\d+$/.test(e.targetRef ?? '')).map((e) => e.targetRef!);
  const uids = events.filter((e) => e.uid || e.targetKind === 'session').map((e) => e.uid ?? e.targetRef!).filter((u) => /^C[0-9A-Z]{13}$/.test(u));
  const rows = [
    ...(flowIds.length ? await store.all(
      `SELECT f.flow_id::VARCHAR AS k, f.src_pos, e.name, e.sha256, e.position_unit FROM flows f JOIN evidence e USING (evidence_id)
        WHERE list_contains(CAST($ids AS BIGINT[]), f.flow_id)`, { ids: `[${flowIds.join(',')}]` }) : []),
    ...(uids.length ? await store.all(
      `SELECT s.uid AS k, f.src_pos, e.name, e.sha256, e.position_unit
         FROM (SELECT uid, list_min(flow_ids) AS ff FROM sessions WHERE list_contains(CAST($uids AS VARCHAR[]), uid)) s
         JOIN flows f ON f.flow_id = s.ff JOIN evidence e ON e.evidence_id = f.evidence_id`, { uids: `[${uids.join(',')}]` }) : []),
  ];
  const byKey = new Map(rows.map((r) => [String(r.k), { file: String(r.name), sha256: String(r.sha256), pos: n(r.src_pos), unit: String(r.position_unit) }]));
  for (const e of events) {
    const key = e.targetKind === 'flow' ? e.targetRef : e.uid ?? (e.targetKind === 'session' ? e.targetRef : undefined);
    const p = key ? byKey.get(key) : undefined;
    if (p) out.set(e.id, p);
  }
  return out;
}
