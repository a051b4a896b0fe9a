import { MAPPED, type ConnSource } from './conn-to-flow';
import type { ZeekTsvHeader } from './zeek-tsv-header';

/**
 * A TSV row as a ConnSource. Built once per header block (field positions and types resolved
 * then); each row only swaps `values`, so reading a record allocates nothing but its attrs.
 */
export class TsvConnSource implements ConnSource {
  values: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly types: string[];
  private readonly extras: number[] = [];
  /** The header version this reader was built for. */
  readonly version: number;

  constructor(private readonly header: ZeekTsvHeader, readonly fields: readonly string[]) {
    this.version = header.version;
    this.types = fields.map((_, i) => header.typeOf(i));
    fields.forEach((f, i) => {
      if (!this.index.has(f)) this.index.set(f, i);
      if (!MAPPED.has(f)) this.extras.push(i);
    });
  }

  get(field: string): unknown {
    const i = this.index.get(field);
    return i === undefined ? undefined : this.header.value(this.values[i], this.types[i]);
  }

  attrs(): Record<string, unknown> | undefined {
    let attrs: Record<string, unknown> | undefined;
    for (const i of this.extras) {
      const v = this.header.value(this.values[i], this.types[i]);
      if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      (attrs ??= {})[this.fields[i]] = v;
    }
    return attrs;
  }
}
