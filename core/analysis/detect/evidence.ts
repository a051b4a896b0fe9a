import { compactIso, protoWord } from '../timeline/evidence-filter';

/**
 * The evidence filter of a detection: a Flowcase filter expression built from values (never
 * from user text). The run counts the flows it selects, so the detection's flows, bytes,
 * start and end are exactly what `flowcase flows CASE --filter <evidence>` lists.
 */
export interface EvidenceSpec {
  src?: string | null;
  dst?: string | null;
  /** Either side. */
  host?: string | null;
  proto?: number | null;
  dstPorts?: readonly number[];
  fromUs: number;
  toUs: number;
  /** Extra clauses in the language (from fixed detector text only). */
  extra?: readonly string[];
}

/** At most this many ports go into a filter's port list; more are left out (the filter widens). */
export const MAX_FILTER_PORTS = 20;

export function evidenceFilter(e: EvidenceSpec): string {
  const parts: string[] = [];
  if (e.src) parts.push(`src host ${e.src}`);
  if (e.dst) parts.push(`dst host ${e.dst}`);
  if (e.host) parts.push(`host ${e.host}`);
  if (e.proto !== undefined && e.proto !== null) parts.push(protoWord(e.proto));
  if (e.dstPorts && e.dstPorts.length === 1) parts.push(`dst port ${e.dstPorts[0]}`);
  else if (e.dstPorts && e.dstPorts.length > 1 && e.dstPorts.length <= MAX_FILTER_PORTS) parts.push(`dst port in [${e.dstPorts.join(' ')}]`);
  parts.push(...(e.extra ?? []));
  parts.push(`start >= ${compactIso(Math.floor(e.fromUs))}`, `start <= ${compactIso(Math.ceil(e.toUs))}`);
  return parts.join(' and ');
}
