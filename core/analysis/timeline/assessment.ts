import { formatIpBigInt } from '../../model/ip';
import { microsToIso } from '../../model/time';
import { getInternalNetworks } from '../../query/internal-networks';
import type { CaseStore } from '../../store/case-store';
import { DEFAULT_COVERAGE_RULES, evidenceCoverage, type CoverageRules, type GapKind } from './coverage';
import { sessionEvidence } from './evidence-filter';
import { withHostScope, type HostScope } from './host-scope';
import { outboundByDestination, outboundWhere } from './outbound';
import { bytesText, countText, listText, plural, portText } from './wording';

/**
 * The breach assessment of `flowcase assess --json` and the report: every byte the hosts
 * sent after `since` to destinations outside the internal networks, and how sure that
 * figure is. Keys are the issue's contract (snake_case); *_us twins are for charts.
 */
export interface BreachAssessment {
  /** The host (several joined with ','). */
  host: string;
  hosts: string[];
  since: string;
  since_us: number;
  /** End of the period: the given end, else the last record of the case. */
  until: string;
  until_us: number;
  /** Best estimate: bytes as recorded, records from sampled exporters scaled by their rate. */
  bytes_out: number;
  /** The same bytes unscaled, exactly as the evidence holds them. */
  bytes_out_recorded: number;
  packets_out: number;
  flows_out: number;
  destinations: AssessmentDestination[];
  by_port: { port: number; proto: number; service: string; bytes: number; flows: number }[];
  by_hour: { hour: string; hour_us: number; bytes: number }[];
  /** The largest transfers, each one session (from the sessions table). */
  largest: { uid: string; time: string; end: string; time_us: number; end_us: number; host: string; peer: string; port: number; proto: number; bytes: number; evidence: string }[];
  coverage: {
    gaps: { from: string; to: string; from_us: number; to_us: number; source: string; kind: GapKind }[];
    sampled: boolean;
    sampling: { source: string; rate: number; flows: number; bytes_recorded: number; bytes_estimated: number }[];
    sources: { source: string; first: string; last: string; flows: number; usual_spacing_s: number | null }[];
    one_directional: { source: string; conversations: number; out_only: number; in_only: number }[];
    clock_offsets: { evidence: string; offset_us: number }[];
    bin_s: number;
  };
  qualifiers: { code: string; text: string }[];
  internal_networks: string[];
  rules: { gap_min_s: number; gap_factor: number; min_active_bins: number };
}

export interface AssessmentDestination {
  addr: string;
  bytes: number;
  bytes_recorded: number;
  flows: number;
  first: string;
  last: string;
  first_us: number;
  last_us: number;
  ports: number[];
  services: string[];
  sampled: boolean;
}

export interface AssessmentOptions {
  hosts: readonly string[];
  sinceUs: number;
  untilUs?: number;
  rules?: Partial<CoverageRules>;
  /** Destinations listed (largest first); bytes_out counts all of them. */
  destinationLimit?: number;
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const iso = (us: number): string => microsToIso(us);

/** Assesses what left the hosts after the compromise, with the qualifiers an analyst must state. */
export async function assessBreach(store: CaseStore, o: AssessmentOptions): Promise<BreachAssessment> {
  const rules: CoverageRules = { ...DEFAULT_COVERAGE_RULES, ...o.rules };
  const networks = await getInternalNetworks(store);
  return withHostScope(store, o.hosts, async (scope) => {
    const hosts = scope.hosts.map((h) => formatIpBigInt(BigInt(h)));
    const caseEnd = n(await store.value(`SELECT coalesce(max(end_us), 0) FROM flows`));
    const untilUs = o.untilUs ?? Math.max(caseEnd, o.sinceUs);
    const w = { sinceUs: o.sinceUs, ...(o.untilUs !== undefined ? { untilUs: o.untilUs } : {}) };
    const where = outboundWhere(w);

    const all = await outboundByDestination(store, scope, w, 1_000_000);
    const destinations = all.slice(0, o.destinationLimit ?? 100).map((d) => ({
      addr: d.addr, bytes: d.bytes, bytes_recorded: d.bytesRecorded, flows: d.flows, first: iso(d.firstUs), last: iso(d.lastUs),
      first_us: d.firstUs, last_us: d.lastUs, ports: d.ports, services: d.services, sampled: d.sampled,
    }));
    const total = all.reduce((t, d) => ({ b: t.b + d.bytes, r: t.r + d.bytesRecorded, p: t.p + d.packets, f: t.f + d.flows }), { b: 0, r: 0, p: 0, f: 0 });

    const byPort = (await store.all(
      `SELECT svc_port, proto, sum(bytes_out * sampling) AS b, count(*) AS f FROM ${scope.flows} WHERE ${where.sql}
        GROUP BY ALL ORDER BY b DESC, svc_port, proto LIMIT 50`, where.params,
    )).map((r) => ({ port: n(r.svc_port), proto: n(r.proto), service: portText(n(r.svc_port), n(r.proto)), bytes: n(r.b), flows: n(r.f) }));
    const byHour = (await store.all(
      `SELECT start_us // 3600000000 * 3600000000 AS h, sum(bytes_out * sampling) AS b FROM ${scope.flows} WHERE ${where.sql}
        GROUP BY h ORDER BY h`, where.params,
    )).map((r) => ({ hour: iso(n(r.h)), hour_us: n(r.h), bytes: n(r.b) }));
    const largest = await largestTransfers(store, scope, w);

    const sources = (await store.all(`SELECT DISTINCT src FROM ${scope.flows} ORDER BY src`)).map((r) => String(r.src));
    const cov = await evidenceCoverage(store, { fromUs: o.sinceUs, toUs: untilUs }, sources, rules);
    const sampling = (await store.all(
      `SELECT src, sampling, count(*) AS f, sum(bytes_out) AS rec, sum(bytes_out * sampling) AS est FROM ${scope.flows}
        WHERE ${where.sql} AND sampling > 1 GROUP BY src, sampling ORDER BY src, sampling`, where.params,
    )).map((r) => ({ source: String(r.src), rate: n(r.sampling), flows: n(r.f), bytes_recorded: n(r.rec), bytes_estimated: n(r.est) }));
    const oneWay = await oneDirectional(store, scope, w);
    const offsets = (await store.all(
      `SELECT name, clock_offset_us FROM evidence WHERE clock_offset_us <> 0
          AND evidence_id IN (SELECT DISTINCT evidence_id FROM ${scope.flows}) ORDER BY name`,
    )).map((r) => ({ evidence: String(r.name), offset_us: n(r.clock_offset_us) }));
    const shadowed = n(await store.value(`SELECT (SELECT count(*) FROM flows) - (SELECT count(*) FROM flows_counted)`));
    const argus = n(await store.value(`SELECT count(*) FROM evidence WHERE format IN ('argus', 'argus-csv')
        AND evidence_id IN (SELECT DISTINCT evidence_id FROM ${scope.flows})`));

    const a: BreachAssessment = {
      host: hosts.join(','), hosts, since: iso(o.sinceUs), since_us: o.sinceUs, until: iso(untilUs), until_us: untilUs,
      bytes_out: total.b, bytes_out_recorded: total.r, packets_out: total.p, flows_out: total.f,
      destinations, by_port: byPort, by_hour: byHour, largest,
      coverage: {
        gaps: cov.gaps.map((g) => ({ from: iso(g.fromUs), to: iso(g.toUs), from_us: g.fromUs, to_us: g.toUs, source: g.source, kind: g.kind })),
        sampled: sampling.length > 0, sampling,
        sources: cov.sources.map((s) => ({ source: s.source, first: iso(s.firstUs), last: iso(s.lastUs), flows: s.flows,
          usual_spacing_s: s.usualSpacingUs === null ? null : s.usualSpacingUs / 1e6 })),
        one_directional: oneWay, clock_offsets: offsets, bin_s: cov.binUs / 1e6,
      },
      qualifiers: [],
      internal_networks: networks,
      rules: { gap_min_s: rules.gapMinUs / 1e6, gap_factor: rules.gapFactor, min_active_bins: rules.minActiveBins },
    };
    a.qualifiers = qualifiersOf(a, { destinationsTotal: all.length, shadowed, argus: argus > 0 });
    return a;
  });
}

async function largestTransfers(store: CaseStore, scope: HostScope, w: { sinceUs: number; untilUs?: number }): Promise<BreachAssessment['largest']> {
  const params: Record<string, bigint> = { since: BigInt(w.sinceUs) };
  if (w.untilUs !== undefined) params.until = BigInt(w.untilUs);
  const rows = await store.all(
    `SELECT uid, ts, end_us, host, peer, orig_h, resp_h, orig_p, resp_p, ip_proto, bytes_out FROM ${scope.sessions}
      WHERE NOT peer_internal AND bytes_out > 0 AND ts >= $since${w.untilUs !== undefined ? ' AND ts < $until' : ''}
      ORDER BY bytes_out DESC, uid LIMIT 10`, params,
  );
  return rows.map((r) => {
    const s = {
      origH: formatIpBigInt(BigInt(r.orig_h as bigint)), respH: formatIpBigInt(BigInt(r.resp_h as bigint)), origP: n(r.orig_p),
      respP: n(r.resp_p), ipProto: n(r.ip_proto), ts: n(r.ts), endUs: n(r.end_us),
    };
    return {
      uid: String(r.uid), time: iso(s.ts), end: iso(s.endUs), time_us: s.ts, end_us: s.endUs, host: formatIpBigInt(BigInt(r.host as bigint)),
      peer: formatIpBigInt(BigInt(r.peer as bigint)), port: s.respP, proto: s.ipProto, bytes: n(r.bytes_out), evidence: sessionEvidence(s),
    };
  });
}

/**
 * Conversations with external peers after `since` that the evidence shows in one direction
 * only (across all sources: a reply recorded by another exporter counts), per source that
 * recorded them. Bidirectional records (pcap, Zeek, Argus, IPFIX biflows) are both ways by nature.
 */
async function oneDirectional(store: CaseStore, scope: HostScope, w: { sinceUs: number; untilUs?: number }): Promise<BreachAssessment['coverage']['one_directional']> {
  const params: Record<string, bigint> = { since: BigInt(w.sinceUs) };
  if (w.untilUs !== undefined) params.until = BigInt(w.untilUs);
  const rows = await store.all(
    `WITH u AS (
       SELECT src, host, peer, proto, CASE WHEN dir = 0 THEN src_port ELSE dst_port END AS hp,
              CASE WHEN dir = 0 THEN dst_port ELSE src_port END AS pp, dir, bidir
         FROM ${scope.flows} WHERE NOT peer_internal AND start_us >= $since${w.untilUs !== undefined ? ' AND start_us < $until' : ''}),
     t AS (SELECT host, peer, proto, hp, pp, bool_or(dir = 0 OR bidir) AS has_out, bool_or(dir = 1 OR bidir) AS has_in
             FROM u GROUP BY ALL),
     per AS (SELECT DISTINCT u.src, t.host, t.peer, t.proto, t.hp, t.pp, t.has_out, t.has_in FROM u JOIN t USING (host, peer, proto, hp, pp) WHERE NOT u.bidir)
     SELECT src, count(*) AS conv, count(*) FILTER (WHERE has_out AND NOT has_in) AS out_only, count(*) FILTER (WHERE has_in AND NOT has_out) AS in_only
       FROM per GROUP BY src ORDER BY src`,
    params,
  );
  return rows
    .map((r) => ({ source: String(r.src), conversations: n(r.conv), out_only: n(r.out_only), in_only: n(r.in_only) }))
    .filter((r) => r.out_only + r.in_only > 0 && (r.out_only + r.in_only) * 2 >= r.conversations);
}

const span = (fromUs: number, toUs: number): string => {
  const s = Math.round((toUs - fromUs) / 1e6);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
};

/** The sentences an analyst must state with the figure, in a fixed order. */
function qualifiersOf(a: BreachAssessment, x: { destinationsTotal: number; shadowed: number; argus: boolean }): BreachAssessment['qualifiers'] {
  const q: BreachAssessment['qualifiers'] = [];
  const who = a.hosts.length === 1 ? a.host : `the hosts ${listText(a.hosts)}`;
  if (a.bytes_out === 0) {
    q.push({ code: 'no-outbound', text: `The evidence shows no bytes from ${who} to destinations outside the internal networks after ${a.since}.` });
  }
  for (const g of a.coverage.gaps) {
    const src = a.coverage.sources.find((s) => s.source === g.source);
    const usual = src?.usual_spacing_s ? ` although it otherwise recorded at least every ${span(0, src.usual_spacing_s * 1e6)}` : '';
    const text = g.kind === 'silent'
      ? `${cap(g.source)} went silent at ${g.from} (${span(g.from_us, g.to_us)} before the end of the period, ${a.until}): traffic it would have recorded afterwards is not in the evidence.`
      : g.kind === 'starts-late'
        ? `${cap(g.source)} begins at ${g.to}, ${span(g.from_us, g.to_us)} after the period begins: traffic before then is not in its evidence.`
        : `${cap(g.source)} recorded nothing from ${g.from} to ${g.to} (${span(g.from_us, g.to_us)})${usual}: traffic in that time is not in its evidence.`;
    q.push({ code: g.kind === 'gap' ? 'coverage-gap' : g.kind === 'silent' ? 'silent-source' : 'starts-late', text });
  }
  const judged = a.coverage.sources.filter((s) => s.usual_spacing_s !== null);
  const sparse = a.coverage.sources.filter((s) => s.usual_spacing_s === null);
  if (a.coverage.gaps.length === 0 && judged.length) {
    q.push({ code: 'coverage-continuous', text: `${sparse.length ? `${cap(listText(judged.map((s) => s.source)))} ${judged.length === 1 ? 'covers' : 'cover'}` : `Every source that recorded ${who} covers`} the period without a gap longer than ${span(0, a.rules.gap_min_s * 1e6)} (or ${a.rules.gap_factor} times its usual spacing).` });
  }
  for (const s of sparse) {
    q.push({ code: 'coverage-unjudged', text: `${cap(s.source)} has records in too few minutes of the period (${plural(s.flows, 'record')}) to tell a gap from a quiet time: whether it missed traffic cannot be judged.` });
  }
  for (const s of a.coverage.sampling) {
    q.push({ code: 'sampled', text: `Records from ${s.source} are sampled 1 in ${countText(s.rate)}: ${bytesText(s.bytes_recorded)} recorded in ${plural(s.flows, 'flow')} is estimated as ${bytesText(s.bytes_estimated)} (×${countText(s.rate)}); bytes_out is an estimate.` });
  }
  for (const d of a.coverage.one_directional) {
    const dir = d.out_only >= d.in_only ? 'only the outbound direction' : 'only the inbound direction';
    q.push({ code: 'one-directional', text: `${cap(d.source)} recorded ${dir} of ${d.out_only + d.in_only} of ${plural(d.conversations, 'conversation')} with external peers (asymmetric routing or one-way export)${d.in_only > d.out_only ? ': bytes sent out may be missing entirely' : ': the replies are not in the evidence'}.` });
  }
  for (const c of a.coverage.clock_offsets) {
    const sign = c.offset_us > 0 ? '+' : '-';
    q.push({ code: 'clock-offset', text: `Evidence ${c.evidence} records a clock offset of ${sign}${(Math.abs(c.offset_us) / 1e6).toFixed(3)} s; its times are shown as recorded, not corrected.` });
  }
  if (a.coverage.clock_offsets.length === 0) {
    q.push({ code: 'no-clock-offset', text: 'No clock offset is recorded for the evidence; times are as the sources recorded them.' });
  }
  if (x.shadowed > 0) {
    q.push({ code: 'counted-once', text: `Figures count each conversation once: ${plural(x.shadowed, 'flow record')} that repeat traffic another source recorded are left out of the sums.` });
  }
  if (x.argus) q.push({ code: 'argus-bytes', text: 'Argus evidence counts bytes including link-layer headers; other sources count IP-layer bytes.' });
  if (x.destinationsTotal > a.destinations.length) {
    q.push({ code: 'destinations-truncated', text: `${plural(x.destinationsTotal, 'destination')} in all; the ${a.destinations.length} largest are listed, bytes_out counts all.` });
  }
  q.push({ code: 'internal-networks', text: `Destinations count as outside when they are not in the internal networks ${listText(a.internal_networks, 12)}.` });
  return q;
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
