import duckdb from '@duckdb/node-bindings';
import { DuckDBAppender, DuckDBConnection, DuckDBDataChunk, DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { BIGINT, UBIGINT, UHUGEINT, UINTEGER, USMALLINT, UTINYINT, VARCHAR } from '@duckdb/node-api';
import { FLOW_COLUMNS } from '../model/flow-columns';
import type { FlowBatch, BatchColumn } from '../model/flow-batch';

const TYPE_BY_SQL: Record<string, DuckDBType> = {
  BIGINT, UBIGINT, UHUGEINT, UINTEGER, USMALLINT, UTINYINT, VARCHAR,
};

/**
 * Appends FlowBatches to the flows table one DataChunk (2048 rows) at a time, copying
 * each typed-array column into its DuckDB vector with a single memcpy. The row-by-row
 * Appender costs one native call per value; this costs one per column per chunk.
 */
export class FlowChunkWriter {
  private readonly appender: DuckDBAppender;
  private readonly types: DuckDBType[];
  private readonly chunkRows = duckdb.vector_size();
  // Scratch buffers reused for every chunk, sized for the widest column (16-byte UHUGEINT).
  private readonly scratch = new ArrayBuffer(this.chunkRows * 16);
  private readonly scratchU32 = new Uint32Array(this.scratch);
  private readonly validity = new BigUint64Array(Math.ceil(this.chunkRows / 64));
  rowsWritten = 0;
  // One chunk, reset and refilled for every 2048 rows: a chunk per write would leave
  // native memory to the garbage collector and let RSS grow with the file size.
  private readonly chunk: DuckDBDataChunk;
  private readonly rawChunk: duckdb.DataChunk;

  private constructor(appender: DuckDBAppender) {
    this.appender = appender;
    this.types = FLOW_COLUMNS.map((col) => {
      const t = TYPE_BY_SQL[col.sqlType];
      if (!t) throw new Error(`no DuckDB type for ${col.sqlType}`);
      return t;
    });
    this.chunk = DuckDBDataChunk.create(this.types);
    this.rawChunk = (this.chunk as unknown as { chunk: duckdb.DataChunk }).chunk;
  }

  static async open(connection: DuckDBConnection): Promise<FlowChunkWriter> {
    return new FlowChunkWriter(await connection.createAppender('flows'));
  }

  write(batch: FlowBatch): void {
    for (let start = 0; start < batch.length; start += this.chunkRows) {
      const rows = Math.min(this.chunkRows, batch.length - start);
      const raw = this.rawChunk;
      duckdb.data_chunk_reset(raw);
      duckdb.data_chunk_set_size(raw, rows);
      for (let c = 0; c < batch.columns.length; c++) {
        const vector = duckdb.data_chunk_get_vector(raw, c);
        this.fillVector(vector, batch.columns[c], start, rows);
      }
      this.appender.appendDataChunk(this.chunk);
      this.rowsWritten += rows;
    }
  }

  flush(): void {
    this.appender.flushSync();
  }

  close(): void {
    this.appender.closeSync();
  }

  private fillVector(vector: duckdb.Vector, col: BatchColumn, start: number, rows: number): void {
    const u32 = this.scratchU32;
    switch (col.kind) {
      case 'i64':
      case 'u64': {
        // JS numbers (exact to 2^53) split into little-endian 32-bit halves.
        const src = col.values as Float64Array;
        for (let i = 0; i < rows; i++) {
          const v = src[start + i];
          u32[2 * i] = v >>> 0;
          u32[2 * i + 1] = Math.floor(v / 4294967296) >>> 0;
        }
        duckdb.copy_data_to_vector(vector, 0, this.scratch, 0, rows * 8);
        break;
      }
      case 'ip': {
        // Four big-endian words per row -> UHUGEINT {lower u64, upper u64} little-endian.
        const src = col.values as Uint32Array;
        for (let i = 0; i < rows; i++) {
          const o = (start + i) * 4;
          const d = i * 4;
          u32[d] = src[o + 3];
          u32[d + 1] = src[o + 2];
          u32[d + 2] = src[o + 1];
          u32[d + 3] = src[o];
        }
        duckdb.copy_data_to_vector(vector, 0, this.scratch, 0, rows * 16);
        break;
      }
      case 'u32':
      case 'u16':
      case 'u8': {
        const src = col.values as Uint32Array | Uint16Array | Uint8Array;
        const width = src.BYTES_PER_ELEMENT;
        duckdb.copy_data_to_vector(vector, 0, src.buffer as ArrayBuffer, src.byteOffset + start * width, rows * width);
        break;
      }
      case 'text': {
        const text = col.text as (string | null)[];
        for (let i = 0; i < rows; i++) {
          const s = text[start + i];
          if (s !== null) duckdb.vector_assign_string_element(vector, i, s);
        }
        break;
      }
    }
    if (col.valid) this.fillValidity(vector, col.valid, start, rows);
  }

  private fillValidity(vector: duckdb.Vector, valid: Uint8Array, start: number, rows: number): void {
    const words = this.validity;
    let allValid = true;
    words.fill(0n);
    const lo = new Uint32Array(words.buffer);
    for (let i = 0; i < rows; i++) {
      if (valid[start + i]) lo[i >>> 5] |= 1 << (i & 31);
      else allValid = false;
    }
    if (allValid) return; // a vector without a validity mask is all valid
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, words.buffer, 0, Math.ceil(rows / 64) * 8);
  }
}

export { DuckDBTypeId };
