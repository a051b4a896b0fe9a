import { z } from 'zod';
import { method } from './method';
import { noArgs, pathArg } from './common';

/** The application around the cases: what runs, and the file dialogs of each transport. */

export interface AppInfo {
  version: string;
  transport: 'electron' | 'web' | 'cli';
  /** Where the server can list files (web mode) or null when native dialogs exist (Electron). */
  homeDir: string | null;
  platform: string;
}

export interface DirEntry {
  name: string;
  path: string;
  kind: 'dir' | 'file';
  size: number;
}

export interface DirListing {
  path: string;
  parent: string | null;
  entries: DirEntry[];
}

export const appMethods = {
  'app.info': method(noArgs).returns<AppInfo>(),
  /** Web mode: the server's own folders, for the file browser (the desktop app has native dialogs). */
  'fs.list': method(z.object({ path: pathArg.optional() }).strict()).returns<DirListing>(),
  /** Electron: native dialogs. Returns null when the user cancels. */
  'dialog.openCase': method(z.object({ create: z.boolean() }).strict()).returns<{ path: string } | null>(),
  'dialog.pickEvidence': method(noArgs).returns<{ paths: string[] } | null>(),
};
