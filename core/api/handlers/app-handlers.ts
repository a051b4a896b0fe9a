import { readdir, stat } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { TOOL_VERSION } from '../../version';
import { ApiError } from '../api-error';
import type { appMethods, DirListing } from '../contract/app';
import { fsReason } from './arguments';
import type { HandlerContext, Handlers } from './handler-context';

/** app.*, fs.list and the native dialogs. */
export function appHandlers(ctx: HandlerContext): Handlers<keyof typeof appMethods> {
  const dialogs = () => {
    const d = ctx.options.dialogs;
    if (!d) throw new ApiError('not-available', 'native dialogs exist only in the desktop app');
    return d;
  };
  return {
    'app.info': async () => ({
      version: TOOL_VERSION, transport: ctx.options.transport, platform: platform(),
      homeDir: ctx.options.transport === 'web' ? homedir() : null,
    }),
    'fs.list': async (a) => {
      if (ctx.options.transport !== 'web') throw new ApiError('not-available', 'use the native dialogs in the desktop app');
      return listDirectory(a.path ?? homedir());
    },
    'dialog.openCase': async (a) => {
      const path = await dialogs().openCase(a.create);
      return path ? { path } : null;
    },
    'dialog.pickEvidence': async () => {
      const paths = await dialogs().pickEvidence();
      for (const p of paths ?? []) ctx.allowImportPath(p);
      return paths ? { paths } : null;
    },
  };
}

/** A folder's visible entries, folders first, for the web mode's file browser. */
async function listDirectory(path: string): Promise<DirListing> {
  const dir = resolve(path);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new ApiError('not-found', `cannot list ${dir}: ${fsReason(err)}`, 404);
  }
  const out: DirListing['entries'] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    const st = await stat(full).catch(() => null); // a dangling link, or gone since readdir
    if (st) out.push({ name: e.name, path: full, kind: st.isDirectory() ? 'dir' : 'file', size: st.size });
  }
  out.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
  const parent = dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, entries: out };
}
