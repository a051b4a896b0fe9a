import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is test/helpers/corpus.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The shared corpus of real captures and oracles lives beside the clone, in
 * ../shared/testdata (FLOWCASE_CORPUS overrides). It is never copied into the project.
 */
export const CORPUS_DIR = process.env.FLOWCASE_CORPUS ?? resolve(REPO_ROOT, '..', 'shared', 'testdata');
export const HAVE_CORPUS = existsSync(join(CORPUS_DIR, 'README.md'));

/** Path of a corpus file, e.g. corpus('pcap/zeek/http-get.pcap'). */
export function corpus(rel: string): string {
  return join(CORPUS_DIR, rel);
}

export const CORPUS_SKIP_REASON = `corpus not found at ${CORPUS_DIR}: corpus tests skipped (place ../shared/testdata beside the clone or set FLOWCASE_CORPUS)`;

if (!HAVE_CORPUS && !process.env.FLOWCASE_CORPUS_WARNED) {
  process.env.FLOWCASE_CORPUS_WARNED = '1';
  console.warn(CORPUS_SKIP_REASON);
}
