import { createHash } from 'node:crypto';
import type { DuckDBValue } from '@duckdb/node-api';

/**
 * The audit log as a hash chain (#14). Every entry carries
 *   content_hash = SHA-256 of the canonical JSON of {action, actor, args, atUs}
 *   hash         = SHA-256 of the canonical JSON of {content, prev, seq, v}
 * where prev is the previous entry's hash (GENESIS for the first) and seq its position
 * (1, 2, ...). Editing an entry changes its content hash; deleting entries leaves a gap in
 * seq and a prev that no longer matches; rewriting the whole tail changes the head, which
 * every report and export prints. `args` is the entry's detail exactly as stored (itself
 * canonical JSON), so the hash covers the text a reader sees.
 */
export const CHAIN_VERSION = 1;
export const GENESIS = '0'.repeat(64);

/** The columns of one chained entry, as stored. */
export interface ChainEntry {
  id: number;
  seq: number;
  atUs: bigint;
  actor: string;
  action: string;
  detail: string | null;
  prevHash: string;
  contentHash: string;
  hash: string;
}

/** Enough of a store to read and write the chain (CaseStore satisfies it; no import cycle). */
export interface ChainStore {
  run(sql: string, params?: Record<string, DuckDBValue>): Promise<void>;
  one<T extends Record<string, unknown>>(sql: string, params?: Record<string, DuckDBValue>): Promise<T | undefined>;
  all<T extends Record<string, unknown>>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]>;
}

/**
 * JSON with object keys sorted at every level, no spaces, bigints as decimal strings and
 * undefined members left out: one text per value, so hashes do not depend on key order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return 'null';
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function contentHash(e: { atUs: bigint; actor: string; action: string; detail: string | null }): string {
  return sha256(canonicalJson({ action: e.action, actor: e.actor, args: e.detail, atUs: e.atUs }));
}

export function entryHash(seq: number, prevHash: string, content: string): string {
  return sha256(canonicalJson({ content, prev: prevHash, seq, v: CHAIN_VERSION }));
}

/** The newest chained entry. */
export async function chainHead(store: ChainStore): Promise<{ id: number; seq: number; hash: string } | null> {
  const row = await store.one<{ id: bigint; seq: bigint; hash: string }>(
    `SELECT id, seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`,
  );
  return row ? { id: Number(row.id), seq: Number(row.seq), hash: row.hash } : null;
}

/**
 * Appends one entry to the chain. The caller runs this inside a transaction (CaseStore.audit
 * opens one when none is open), so reading the head and writing the next entry is atomic.
 * The head is also kept in meta ('audit_head'), which lets verify see a log cut at its end.
 */
export async function appendChained(store: ChainStore, action: string, detail: unknown, actor: string, atUs = BigInt(Date.now() * 1000)): Promise<ChainEntry> {
  const head = await chainHead(store);
  const maxId = await store.one<{ m: bigint | null }>(`SELECT max(id) AS m FROM audit_log`);
  const id = Number(maxId?.m ?? 0) + 1;
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS;
  const text = detail === undefined ? canonicalJson(null) : canonicalJson(detail);
  const content = contentHash({ atUs, actor, action, detail: text });
  const hash = entryHash(seq, prevHash, content);
  await store.run(
    `INSERT INTO audit_log (id, at_us, actor, action, detail, seq, prev_hash, content_hash, hash)
     VALUES ($id, $at, $actor, $action, $detail, $seq, $prev, $content, $hash)`,
    { id: BigInt(id), at: atUs, actor, action, detail: text, seq: BigInt(seq), prev: prevHash, content, hash },
  );
  await store.run(`INSERT OR REPLACE INTO meta VALUES ('audit_head', $v)`, { v: `${seq}:${hash}` });
  return { id, seq, atUs, actor, action, detail: text, prevHash, contentHash: content, hash };
}

/**
 * Chains entries written before the log was chained (a case from schema < 9), in id order,
 * then records from where on entries were chained as they were written. Their content is
 * hashed as found at the upgrade: the chain proves nothing about them before that moment.
 */
export async function chainUnchained(store: ChainStore): Promise<number> {
  const rows = await store.all<{ id: bigint; at_us: bigint; actor: string; action: string; detail: string | null }>(
    `SELECT id, at_us, actor, action, detail FROM audit_log WHERE seq IS NULL ORDER BY id`,
  );
  if (!rows.length) return 0;
  const head = await chainHead(store);
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS;
  for (const r of rows) {
    seq++;
    const content = contentHash({ atUs: BigInt(r.at_us), actor: r.actor, action: r.action, detail: r.detail });
    const hash = entryHash(seq, prev, content);
    await store.run(`UPDATE audit_log SET seq = $seq, prev_hash = $prev, content_hash = $content, hash = $hash WHERE id = $id`, {
      seq: BigInt(seq), prev, content, hash, id: r.id,
    });
    prev = hash;
  }
  await store.run(`INSERT OR REPLACE INTO meta VALUES ('audit_head', $v)`, { v: `${seq}:${prev}` });
  await appendChained(store, 'custody.chain-started', { sealedEntries: rows.length, note: 'entries before this one were chained when the case was upgraded, not when written' }, 'flowcase');
  return rows.length;
}

/** Every entry in chain order (unchained rows, if any were inserted behind the chain's back, last). */
export async function readChain(store: ChainStore): Promise<(Omit<ChainEntry, 'seq' | 'prevHash' | 'contentHash' | 'hash'> & {
  seq: number | null; prevHash: string | null; contentHash: string | null; hash: string | null;
})[]> {
  const rows = await store.all<{
    id: bigint; seq: bigint | null; at_us: bigint; actor: string; action: string; detail: string | null;
    prev_hash: string | null; content_hash: string | null; hash: string | null;
  }>(`SELECT id, seq, at_us, actor, action, detail, prev_hash, content_hash, hash FROM audit_log ORDER BY seq NULLS LAST, id`);
  return rows.map((r) => ({
    id: Number(r.id), seq: r.seq === null ? null : Number(r.seq), atUs: BigInt(r.at_us), actor: r.actor, action: r.action,
    detail: r.detail, prevHash: r.prev_hash, contentHash: r.content_hash, hash: r.hash,
  }));
}
