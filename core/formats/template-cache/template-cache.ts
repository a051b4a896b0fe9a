import type { CompiledTemplate } from './compile-template';
import type { ExportHeader } from './export-header';

/**
 * Template state of one (exporter address, source id / observation domain): RFC 3954 §5.1
 * and RFC 7011 §8 scope templates to the exporter's transport session and domain.
 */
export interface DomainState {
  readonly key: string;
  readonly templates: Map<number, CompiledTemplate>;
  /** systemInitTimeMilliseconds from an options record (RFC 7011 IE 160); NaN until seen. */
  systemInitMs: number;
  /** Sampling interval (1 in N) per sampler/selector id; key -1 = options without an id. */
  readonly sampling: Map<number, number>;
  /** Set once a note about uptime times without a reference was written. */
  notedNoInitTime: boolean;
}

/** A data set that arrived before its template, kept until the template arrives. */
export interface PendingSet {
  readonly domainKey: string;
  readonly setId: number;
  /** Copy of the set's records (after the 4-byte set header). */
  readonly body: Uint8Array;
  /** File offset of body[0] (raw files) — issue and record positions derive from it. */
  readonly base: number;
  readonly header: ExportHeader;
}

export interface TemplateCacheLimits {
  /** Templates over all domains; beyond it new templates are refused (noted). */
  readonly maxTemplates: number;
  /** Data sets held while waiting for a template, and their total bytes. */
  readonly maxPendingSets: number;
  readonly maxPendingBytes: number;
}

export const DEFAULT_CACHE_LIMITS: TemplateCacheLimits = { maxTemplates: 8192, maxPendingSets: 512, maxPendingBytes: 8 << 20 };

/** The outcome of learning a template. */
export type LearnResult = 'new' | 'same' | 'redefined' | 'refused';

/**
 * Templates and options state per (exporter, domain), plus the bounded queue of data sets
 * waiting for their template. Bounded so that a hostile or corrupt stream cannot grow it.
 */
export class TemplateCache {
  private readonly domains = new Map<string, DomainState>();
  private pending: PendingSet[] = [];
  private pendingBytes = 0;
  private total = 0;

  constructor(readonly limits: TemplateCacheLimits = DEFAULT_CACHE_LIMITS) {}

  domain(key: string): DomainState {
    let d = this.domains.get(key);
    if (!d) {
      d = { key, templates: new Map(), systemInitMs: NaN, sampling: new Map(), notedNoInitTime: false };
      this.domains.set(key, d);
    }
    return d;
  }

  get templateCount(): number {
    return this.total;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  get pendingByteCount(): number {
    return this.pendingBytes;
  }

  learn(d: DomainState, t: CompiledTemplate): LearnResult {
    const old = d.templates.get(t.id);
    if (!old) {
      if (this.total >= this.limits.maxTemplates) return 'refused';
      this.total++;
      d.templates.set(t.id, t);
      return 'new';
    }
    d.templates.set(t.id, t);
    return sameFields(old, t) ? 'same' : 'redefined';
  }

  /** RFC 7011 §8.1 template withdrawal of one id; returns whether it existed. */
  withdraw(d: DomainState, id: number): boolean {
    if (!d.templates.delete(id)) return false;
    this.total--;
    return true;
  }

  /** RFC 7011 §8.1: a withdrawal with the set id as template id withdraws all of that kind. */
  withdrawAll(d: DomainState, options: boolean): number {
    let n = 0;
    for (const [id, t] of d.templates) {
      if (t.options === options) {
        d.templates.delete(id);
        n++;
      }
    }
    this.total -= n;
    return n;
  }

  /** Holds a data set for later; false when the queue is full (the caller rejects the set). */
  hold(p: PendingSet): boolean {
    if (this.pending.length >= this.limits.maxPendingSets || this.pendingBytes + p.body.length > this.limits.maxPendingBytes) return false;
    this.pending.push(p);
    this.pendingBytes += p.body.length;
    return true;
  }

  /** Removes and returns the held sets of a domain's template id, oldest first. */
  take(domainKey: string, setId: number): PendingSet[] {
    if (this.pending.length === 0) return [];
    const hit: PendingSet[] = [];
    const keep: PendingSet[] = [];
    for (const p of this.pending) (p.domainKey === domainKey && p.setId === setId ? hit : keep).push(p);
    if (hit.length === 0) return hit;
    this.pending = keep;
    for (const p of hit) this.pendingBytes -= p.body.length;
    return hit;
  }

  /** Everything still held (at the end of the input), and empties the queue. */
  drain(): PendingSet[] {
    const all = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    return all;
  }
}

function sameFields(a: CompiledTemplate, b: CompiledTemplate): boolean {
  if (a.fields.length !== b.fields.length || a.options !== b.options || a.scopeCount !== b.scopeCount) return false;
  for (let i = 0; i < a.fields.length; i++) {
    const x = a.fields[i];
    const y = b.fields[i];
    if (x.id !== y.id || x.pen !== y.pen || x.len !== y.len) return false;
  }
  return true;
}
