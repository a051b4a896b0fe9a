/**
 * Evidence filters: the filter-language expression that selects the flows an event,
 * story entry or assessment line rests on, so an analyst (or counsel's expert) can paste
 * it into Flows and see exactly those records. Built from values, never from user text.
 */
import { microsToIso } from '../../model/time';

const PROTO_WORDS: Readonly<Record<number, string>> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmp6', 132: 'sctp' };

/** Protocols whose flows carry ports. */
const HAS_PORTS = new Set([6, 17, 132]);

/** ISO-8601 UTC, without a fraction on whole seconds (filters and references stay short). */
export function compactIso(us: number): string {
  const iso = microsToIso(us);
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

export function protoWord(proto: number): string {
  return PROTO_WORDS[proto] ?? `proto ${proto}`;
}

/** `start >= T1 and start <= T2` (either end optional). */
export function timeClause(fromUs?: number | null, toUs?: number | null): string[] {
  const out: string[] = [];
  if (fromUs !== undefined && fromUs !== null) out.push(`start >= ${compactIso(fromUs)}`);
  if (toUs !== undefined && toUs !== null) out.push(`start <= ${compactIso(toUs)}`);
  return out;
}

/** One flow record: its 5-tuple and start time. */
export function flowEvidence(f: { src: string; dst: string; srcPort: number; dstPort: number; proto: number; startUs: number }): string {
  const parts = [`src host ${f.src}`, `dst host ${f.dst}`, protoWord(f.proto)];
  if (HAS_PORTS.has(f.proto)) parts.push(`src port ${f.srcPort}`, `dst port ${f.dstPort}`);
  parts.push(`start = ${compactIso(f.startUs)}`);
  return parts.join(' and ');
}

/** A session: both endpoints (either direction, as its records run both ways) within its time span. */
export function sessionEvidence(s: { origH: string; respH: string; origP: number; respP: number; ipProto: number; ts: number; endUs: number }): string {
  const parts = [`host ${s.origH}`, `host ${s.respH}`, protoWord(s.ipProto)];
  if (HAS_PORTS.has(s.ipProto)) parts.push(`port ${s.origP}`, `port ${s.respP}`);
  parts.push(...timeClause(s.ts, s.endUs));
  return parts.join(' and ');
}

/** Traffic between two hosts (or of one host) in a time span, optionally from one side and on some ports. */
export function pairEvidence(o: {
  host: string; peer?: string | null; from?: 'host' | 'peer'; ports?: readonly number[]; proto?: number; fromUs?: number | null; toUs?: number | null;
}): string {
  const parts: string[] = [];
  if (o.from === 'host') parts.push(`src host ${o.host}`);
  else if (o.from === 'peer') parts.push(`dst host ${o.host}`);
  else parts.push(`host ${o.host}`);
  if (o.peer) parts.push(o.from === 'host' ? `dst host ${o.peer}` : o.from === 'peer' ? `src host ${o.peer}` : `host ${o.peer}`);
  if (o.proto !== undefined) parts.push(protoWord(o.proto));
  // With a direction the ports are the responder's (the destination of those flows).
  const portDir = o.from ? 'dst ' : '';
  if (o.ports && o.ports.length === 1) parts.push(`${portDir}port ${o.ports[0]}`);
  else if (o.ports && o.ports.length > 1 && o.ports.length <= 20) parts.push(`${portDir}port in [${o.ports.join(', ')}]`);
  parts.push(...timeClause(o.fromUs, o.toUs));
  return parts.join(' and ');
}
