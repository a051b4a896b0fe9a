import type { DuckDBConnection } from '@duckdb/node-api';
import type { NameRecord } from '../model/name-record';

/**
 * Appends the names an evidence file showed to the `names` table (schema 11), each with the
 * evidence id and its position in the file as provenance. Runs inside the import's
 * transaction, after the flows' writer is closed, so a failed import leaves no names.
 */
export async function writeNames(connection: DuckDBConnection, evidenceId: number, names: readonly NameRecord[]): Promise<void> {
  if (names.length === 0) return;
  const app = await connection.createAppender('names');
  try {
    for (const n of names) {
      app.appendUInteger(evidenceId);
      app.appendBigInt(BigInt(Math.round(n.tsUs)));
      if (n.client === null) app.appendNull(); else app.appendUHugeInt(n.client);
      app.appendUHugeInt(n.addr);
      app.appendVarchar(n.name);
      app.appendVarchar(n.source);
      if (n.uri === undefined || n.uri === null) app.appendNull(); else app.appendVarchar(n.uri);
      app.appendUBigInt(BigInt(Math.max(0, Math.floor(n.pos))));
      app.endRow();
    }
    app.flushSync();
  } finally {
    app.closeSync();
  }
}
