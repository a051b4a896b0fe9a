import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rebuildSessions } from '../../../core/analysis/sessions/rebuild-sessions';
import { ingestFile } from '../../../core/ingest/ingest-file';
import { CaseStore } from '../../../core/store/case-store';
import { corpus } from '../../helpers/corpus';
import { tempDir } from '../../helpers/temp';

/** One Zeek conn.log row, the fields the comparison needs. */
export interface ZeekConn {
  origH: string;
  origP: number;
  respH: string;
  respP: number;
  proto: string;
  connState: string;
  history: string;
}

/** Reads a Zeek ASCII conn.log (BTest baseline lines and masked timestamps allowed). */
export function readZeekConnLog(rel: string): ZeekConn[] {
  const lines = readFileSync(corpus(rel), 'utf8').split('\n');
  const fields = (lines.find((l) => l.startsWith('#fields')) ?? '').split('\t').slice(1);
  if (!fields.includes('id.orig_h')) return [];
  const ix = (name: string) => fields.indexOf(name);
  return lines
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'))
    .map((f) => ({
      origH: f[ix('id.orig_h')], origP: Number(f[ix('id.orig_p')]), respH: f[ix('id.resp_h')], respP: Number(f[ix('id.resp_p')]),
      proto: f[ix('proto')], connState: f[ix('conn_state')], history: f[ix('history')],
    }));
}

export interface OurSession extends ZeekConn {
  confidence: string;
  reason: string | null;
}

/** Imports corpus files into a fresh case, rebuilds sessions, returns them; the case is removed. */
export async function sessionsOf(files: { rel: string; format?: string }[], idleLimitS?: number): Promise<OurSession[]> {
  const tmp = tempDir('flowcase-sessions-it-');
  const store = await CaseStore.open(join(tmp.dir, 'case.duckdb'));
  try {
    for (const f of files) await ingestFile(store, corpus(f.rel), f.format ? { format: f.format } : {});
    await rebuildSessions(store, { idleLimitS });
    const rows = await store.all(
      `SELECT ip_text("id.orig_h") AS oh, "id.orig_p" AS op, ip_text("id.resp_h") AS rh, "id.resp_p" AS rp, proto, conn_state,
              history, state_confidence, state_reason FROM sessions ORDER BY ts, uid`,
    );
    return rows.map((r) => ({
      origH: r.oh as string, origP: Number(r.op), respH: r.rh as string, respP: Number(r.rp), proto: r.proto as string,
      connState: r.conn_state as string, history: (r.history as string) ?? '-', confidence: r.state_confidence as string,
      reason: (r.state_reason as string) ?? null,
    }));
  } finally {
    store.close();
    tmp.cleanup();
  }
}

/** Same-conversation key regardless of direction (IPv6 text as ip_text writes it). */
export function pairKey(c: { origH: string; origP: number; respH: string; respP: number; proto: string }): string {
  const a = `${normIp(c.origH)}:${c.origP}`;
  const b = `${normIp(c.respH)}:${c.respP}`;
  return `${c.proto} ${a < b ? a : b} ${a < b ? b : a}`;
}

function normIp(s: string): string {
  if (!s.includes(':')) return s;
  // Expand '::' and strip leading zeros so Zeek's compressed form and ip_text's full form agree.
  const [head, tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const groups = tail !== undefined ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => parseInt(g || '0', 16).toString(16)).join(':');
}

export interface Agreement {
  zeek: number;
  matched: number;
  sameState: number;
  sameDirection: number;
  /** zeek state -> our state -> count, for the matched sessions that differ. */
  confusion: Map<string, number>;
  unmatched: ZeekConn[];
}

/** Matches our sessions to Zeek's by 5-tuple (in order of appearance) and counts agreement. */
export function agreement(zeek: ZeekConn[], ours: OurSession[]): Agreement {
  const byKey = new Map<string, OurSession[]>();
  for (const s of ours) {
    const k = pairKey(s);
    byKey.set(k, [...(byKey.get(k) ?? []), s]);
  }
  const out: Agreement = { zeek: zeek.length, matched: 0, sameState: 0, sameDirection: 0, confusion: new Map(), unmatched: [] };
  for (const z of zeek) {
    const list = byKey.get(pairKey(z));
    const s = list?.shift();
    if (!s) {
      out.unmatched.push(z);
      continue;
    }
    out.matched++;
    if (normIp(s.origH) === normIp(z.origH) && s.origP === z.origP) out.sameDirection++;
    if (s.connState === z.connState) out.sameState++;
    else {
      const k = `${z.connState} (${z.history}) -> ${s.connState} (${s.history}, ${s.confidence})`;
      out.confusion.set(k, (out.confusion.get(k) ?? 0) + 1);
    }
  }
  return out;
}

/** Records per canonical TCP/UDP 5-tuple that a loader reads from one corpus file. */
export async function flowKeyCounts(rel: string, format: string): Promise<Map<string, number>> {
  const tmp = tempDir('flowcase-sessions-it-');
  const store = await CaseStore.open(join(tmp.dir, 'case.duckdb'));
  try {
    await ingestFile(store, corpus(rel), { format });
    const rows = await store.all(
      `SELECT ip_text(src_ip) AS a, src_port AS ap, ip_text(dst_ip) AS b, dst_port AS bp, proto FROM flows WHERE proto IN (6, 17)`,
    );
    const out = new Map<string, number>();
    for (const r of rows) {
      const k = pairKey({ origH: r.a as string, origP: Number(r.ap), respH: r.b as string, respP: Number(r.bp), proto: Number(r.proto) === 6 ? 'tcp' : 'udp' });
      out.set(k, (out.get(k) ?? 0) + 1);
    }
    return out;
  } finally {
    store.close();
    tmp.cleanup();
  }
}

/** Sessions per canonical 5-tuple. */
export function sessionKeyCounts(sessions: OurSession[], protos: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of sessions.filter((x) => protos.includes(x.proto))) out.set(pairKey(s), (out.get(pairKey(s)) ?? 0) + 1);
  return out;
}
