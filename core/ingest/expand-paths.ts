import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

export interface ExpandedPath {
  readonly path: string;
  /** Set for files found inside a folder the user named: the folder's name. */
  readonly evidenceSet?: string;
}

/**
 * Expands folders into the files they hold, sorted by name so that rotated collector
 * files (nfcapd.202401011200, ft-v05.2024-01-01.1200) import in time order, as
 * `nfdump -R` and flow-cat read them. Hidden files are skipped; folders nest.
 */
export async function expandPaths(paths: readonly string[]): Promise<ExpandedPath[]> {
  const out: ExpandedPath[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      out.push({ path: p }); // the importer reports it as missing
      continue;
    }
    if (!info.isDirectory()) {
      out.push({ path: p });
      continue;
    }
    const set = basename(p);
    for (const file of await walk(p)) out.push({ path: file, evidenceSet: set });
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await walk(full)));
    else if (e.isFile()) files.push(full);
  }
  return files;
}
