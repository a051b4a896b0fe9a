import { formatIpBigInt, ipToBigInt, parseIp } from '../../model/ip';
import { getInternalNetworks, internalMatcher } from '../../query/internal-networks';
import type { CaseStore } from '../../store/case-store';
import { uidHashRange } from '../sessions/session-view';
import { readDetections, tableExists } from '../timeline/detection-reader';
import { compactIso, flowEvidence, pairEvidence, sessionEvidence, timeClause } from '../timeline/evidence-filter';

/** What a note can be about. 'story' = an accepted story entry (made by the story feature). */
export const NOTE_TARGET_KINDS = ['flow', 'session', 'detection', 'host', 'range', 'story'] as const;
export type NoteTargetKind = (typeof NOTE_TARGET_KINDS)[number];

/**
 * A note's target as the UI and the CLI name it: a flow id, a session uid, a detection id,
 * an address, or a time range (fromUs/toUs, optionally about one host).
 */
export interface NoteTarget {
  kind: NoteTargetKind;
  ref: string;
  fromUs?: number;
  toUs?: number;
  /** For a range: the host the range is about (its lane on the timeline). */
  host?: string;
}

/** Where a target sits: its time on the timeline, its hosts, and the filter that shows its flows. */
export interface TargetAnchor {
  /** The stored reference (a range's is `FROM/TO` in ISO-8601 UTC). */
  ref: string;
  atUs: number | null;
  endUs: number | null;
  host: string | null;
  peer: string | null;
  evidence: string | null;
}

export type AnchorResult = { ok: true; anchor: TargetAnchor } | { ok: false; code: string; message: string };

const fail = (code: string, message: string): AnchorResult => ({ ok: false, code, message });
const n = (v: unknown): number => Number(v);

/**
 * Resolves a target against the case: a flow, session or detection must exist; an address
 * must parse; a range must end after it starts. The lane host of a two-sided target is its
 * internal endpoint when exactly one side is internal (the side an investigation is about),
 * else its originator.
 */
export async function resolveTarget(store: CaseStore, t: NoteTarget): Promise<AnchorResult> {
  const ref = t.ref.trim();
  const isInternal = internalMatcher(await getInternalNetworks(store));
  const lanes = (a: bigint, b: bigint): { host: string; peer: string } =>
    !isInternal(a) && isInternal(b) ? { host: formatIpBigInt(b), peer: formatIpBigInt(a) } : { host: formatIpBigInt(a), peer: formatIpBigInt(b) };

  switch (t.kind) {
    case 'flow': {
      if (!/^\d{1,18}$/.test(ref)) return fail('bad-target', `'${t.ref}' is not a flow id (a whole number)`);
      const r = await store.one(
        `SELECT flow_id, start_us, end_us, src_ip, dst_ip, src_port, dst_port, proto FROM flows WHERE flow_id = $id`, { id: BigInt(ref) },
      );
      if (!r) return fail('not-found', `no flow ${ref} in this case`);
      const src = BigInt(r.src_ip as bigint);
      const dst = BigInt(r.dst_ip as bigint);
      return { ok: true, anchor: {
        ref, atUs: n(r.start_us), endUs: n(r.end_us), ...lanes(src, dst),
        evidence: flowEvidence({ src: formatIpBigInt(src), dst: formatIpBigInt(dst), srcPort: n(r.src_port), dstPort: n(r.dst_port), proto: n(r.proto), startUs: n(r.start_us) }),
      } };
    }
    case 'session': {
      const range = uidHashRange(ref);
      if (!range) return fail('bad-target', `'${t.ref}' is not a session uid (C followed by 13 letters or digits)`);
      const r = await store.one(
        `SELECT ts, end_us, "id.orig_h" AS o, "id.resp_h" AS r, "id.orig_p" AS op, "id.resp_p" AS rp, ip_proto
           FROM sessions WHERE uid_hash BETWEEN $lo AND $hi AND uid = $uid`, { lo: range.lo, hi: range.hi, uid: ref },
      );
      if (!r) return fail('not-found', `no session ${ref} in this case`);
      const o = BigInt(r.o as bigint);
      const rr = BigInt(r.r as bigint);
      return { ok: true, anchor: {
        ref, atUs: n(r.ts), endUs: n(r.end_us), ...lanes(o, rr),
        evidence: sessionEvidence({ origH: formatIpBigInt(o), respH: formatIpBigInt(rr), origP: n(r.op), respP: n(r.rp), ipProto: n(r.ip_proto), ts: n(r.ts), endUs: n(r.end_us) }),
      } };
    }
    case 'detection': {
      if (!/^\d{1,18}$/.test(ref)) return fail('bad-target', `'${t.ref}' is not a detection id (a whole number)`);
      if (!(await tableExists(store, 'detections'))) return fail('not-found', 'this case has no detections yet');
      const d = (await readDetections(store, { includeSuppressed: true })).find((x) => x.detectionId === Number(ref));
      if (!d) return fail('not-found', `no detection ${ref} in this case`);
      // The attacked side is the lane: the destination of a scan or brute force, else the source.
      const host = d.dst ?? d.src;
      const peer = d.dst ? d.src : null;
      return { ok: true, anchor: { ref, atUs: d.startUs, endUs: d.endUs, host, peer, evidence: d.evidence || null } };
    }
    case 'host': {
      const ip = parseIp(ref);
      if (ip === null) return fail('bad-target', `'${t.ref}' is not an IP address`);
      const a = ipToBigInt(ip);
      const r = await store.one(
        `SELECT min(start_us) AS lo, max(end_us) AS hi FROM flows WHERE src_ip = CAST($a AS UHUGEINT) OR dst_ip = CAST($a AS UHUGEINT)`,
        { a: a.toString() },
      );
      const host = formatIpBigInt(a);
      const lo = r?.lo == null ? null : n(r.lo);
      const hi = r?.hi == null ? null : n(r.hi);
      return { ok: true, anchor: { ref: host, atUs: lo, endUs: hi, host, peer: null, evidence: `host ${host}` } };
    }
    case 'range': {
      if (t.fromUs === undefined || t.toUs === undefined) return fail('bad-target', 'a time range needs a start and an end');
      if (!(t.toUs > t.fromUs)) return fail('bad-target', 'the time range ends before it starts');
      let host: string | null = null;
      if (t.host) {
        const ip = parseIp(t.host);
        if (ip === null) return fail('bad-target', `'${t.host}' is not an IP address`);
        host = formatIpBigInt(ipToBigInt(ip));
      }
      const from = Math.floor(t.fromUs);
      const to = Math.ceil(t.toUs);
      const evidence = host ? pairEvidence({ host, fromUs: from, toUs: to }) : timeClause(from, to).join(' and ');
      return { ok: true, anchor: { ref: `${compactIso(from)}/${compactIso(to)}`, atUs: from, endUs: to, host, peer: null, evidence } };
    }
    case 'story':
      return fail('bad-target', 'story entries are accepted from the story, not noted directly');
  }
}
