import { createHash } from 'node:crypto';
import { FLOW_COLUMNS } from '../model/flow-columns';
import type { ChainStore } from './audit-chain';

/**
 * A digest of the flow rows stored for one evidence file (#14), computed by one
 * deterministic SQL aggregate inside the import's transaction, right after the rows were
 * appended, and again by `verify`.
 *
 * Why SQL and not a hash kept while writing: the verifier must compute exactly the same
 * value from what the case holds, and one SQL text used by both sides cannot drift from the
 * writer's encoding (typed arrays, UHUGEINT halves, validity masks); DuckDB runs it in
 * parallel at a few million rows a second without moving rows into JS.
 *
 * Construction: each row is written as canonical text (every flows column in schema order,
 * integers in decimal, addresses as their 128-bit integer, text as `length:text`, NULL as
 * `-`, separated by `|`), hashed with SHA-256; the 256-bit row hashes are summed as four
 * 60-bit lanes (an additive multiset hash, so it needs no ORDER BY and no memory per row).
 * flow_id is part of every row, which pins the canonical order (flow_id order): moving,
 * adding, removing or changing any row changes the sum. The digest is
 * `rows-v1:` + SHA-256 over the row count and the four lane sums.
 */
export const ROWS_DIGEST_VERSION = 'rows-v1';

const rowText = (): string =>
  FLOW_COLUMNS.map((c) => (c.kind === 'text'
    ? `coalesce(length(${c.name})::VARCHAR || ':' || ${c.name}, '-')`
    : `coalesce(${c.name}::VARCHAR, '-')`)).join(` || '|' || `);

const lane = (i: number): string => `sum(('0x' || substr(h, ${1 + i * 15}, 15))::BIGINT::HUGEINT)::VARCHAR`;

/** The digest of the rows of each evidence id given (all evidence ids that have flows when ids is undefined). */
export async function rowsDigests(store: ChainStore, ids?: readonly number[]): Promise<Map<number, { rows: number; digest: string }>> {
  const where = ids ? `WHERE list_contains(CAST($ids AS UINTEGER[]), evidence_id)` : '';
  const rows = await store.all<{ evidence_id: number; n: bigint; a: string; b: string; c: string; d: string }>(
    `SELECT evidence_id, count(*) AS n, ${lane(0)} AS a, ${lane(1)} AS b, ${lane(2)} AS c, ${lane(3)} AS d
       FROM (SELECT evidence_id, sha256(${rowText()}) AS h FROM flows ${where}) GROUP BY evidence_id`,
    ids ? { ids: `[${ids.map((i) => Math.trunc(i)).join(',')}]` } : undefined,
  );
  const out = new Map<number, { rows: number; digest: string }>();
  for (const r of rows) out.set(Number(r.evidence_id), { rows: Number(r.n), digest: digestOf(Number(r.n), [r.a, r.b, r.c, r.d]) });
  for (const id of ids ?? []) if (!out.has(id)) out.set(id, { rows: 0, digest: digestOf(0, ['0', '0', '0', '0']) });
  return out;
}

export async function rowsDigest(store: ChainStore, evidenceId: number): Promise<string> {
  return (await rowsDigests(store, [evidenceId])).get(evidenceId)!.digest;
}

function digestOf(n: number, lanes: string[]): string {
  return `${ROWS_DIGEST_VERSION}:${createHash('sha256').update(`${n}|${lanes.join('|')}`).digest('hex')}`;
}
