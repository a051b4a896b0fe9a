import type { FormatLoader } from './decoder';
import type { FormatOption } from './format-options';

/**
 * Every format Flowcase reads. Order matters only for ties in sniff scores: put the
 * more specific format first.
 */
export const LOADERS: FormatLoader[] = [];

export function registerLoader(loader: FormatLoader): void {
  if (LOADERS.some((l) => l.id === loader.id)) throw new Error(`format ${loader.id} registered twice`);
  LOADERS.push(loader);
}

export function loaderById(id: string): FormatLoader | undefined {
  return LOADERS.find((l) => l.id === id);
}

export interface SniffResult {
  readonly loader: FormatLoader;
  readonly score: number;
}

/** Ranks the loaders for a file head (already decompressed); best first, zero scores dropped. */
export function sniffFormat(head: Uint8Array, fileName: string): SniffResult[] {
  return LOADERS.map((loader) => ({ loader, score: safeSniff(loader, head, fileName) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score);
}

function safeSniff(loader: FormatLoader, head: Uint8Array, fileName: string): number {
  try {
    return loader.sniff(head, fileName);
  } catch {
    return 0;
  }
}

/** A format as clients see it (`formats.list`, `flowcase formats --json`), with its declared options. */
export interface FormatDescription {
  id: string;
  label: string;
  extensions: string[];
  patterns: string[];
  positionUnit: 'byte' | 'line';
  options: FormatOption[];
}

/** Every format Flowcase reads, described for clients. */
export function describeFormats(): FormatDescription[] {
  return LOADERS.map((l) => ({
    id: l.id, label: l.label, extensions: [...l.extensions], patterns: [...(l.patterns ?? [])], positionUnit: l.positionUnit, options: [...l.options],
  }));
}
