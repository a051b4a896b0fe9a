import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

/** A case this user opened lately. */
export interface RecentCase {
  path: string;
  name: string;
  openedAtUs: number;
  exists: boolean;
}

const MAX_RECENT = 20;

/** Where Flowcase keeps per-user state (recent cases). FLOWCASE_HOME overrides, for tests. */
export function flowcaseHome(): string {
  return process.env.FLOWCASE_HOME ?? join(homedir(), '.config', 'flowcase');
}

/** The recent-cases list in the user's config folder (never inside a case). */
export class RecentCases {
  private readonly file: string;
  constructor(home = flowcaseHome()) {
    this.file = join(home, 'recent.json');
  }

  async list(): Promise<RecentCase[]> {
    let items: { path: string; openedAtUs: number }[];
    try {
      items = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      items = []; // no list yet, or one that cannot be read: start afresh
    }
    return items.map((i) => ({ path: i.path, name: basename(i.path), openedAtUs: i.openedAtUs, exists: existsSync(i.path) }));
  }

  async touch(path: string, nowUs: number): Promise<void> {
    const items = (await this.list()).filter((i) => i.path !== path).map(({ path: p, openedAtUs }) => ({ path: p, openedAtUs }));
    items.unshift({ path, openedAtUs: nowUs });
    await mkdir(join(this.file, '..'), { recursive: true });
    await writeFile(this.file, JSON.stringify(items.slice(0, MAX_RECENT), null, 1));
  }
}
