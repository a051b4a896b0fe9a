import { useCallback, useEffect, useState } from 'react';
import type { DirEntry, DirListing } from '../../core/api/contract';
import { toApiError, type ApiError } from '../lib/api-client';
import { useApi } from '../lib/api-context';
import { dirName, formatBytes, joinPath } from '../lib/format';
import { ErrorMessage } from './error-message';
import { Modal } from './modal';
import './file-browser.css';

export type FileBrowserMode = 'open-case' | 'new-case' | 'evidence';

/** A folder the dialog offers as a shortcut. */
export interface Place {
  label: string;
  path: string;
}

/** Places without repeats (by path) or empty paths, in the order given. */
export function uniquePlaces(places: readonly (Place | null | undefined)[]): Place[] {
  const seen = new Set<string>();
  const out: Place[] = [];
  for (const p of places) {
    if (!p || !p.path || seen.has(p.path)) continue;
    seen.add(p.path);
    out.push(p);
  }
  return out;
}

export interface FileBrowserProps {
  mode: FileBrowserMode;
  /** Folder to start in (the server's home when omitted). */
  startPath?: string | null;
  /** Folders to jump to in one click (the case's folder, recent folders, home). */
  places?: readonly Place[];
  onChoose: (paths: string[]) => void;
  onCancel: () => void;
}

/** Folders of paths (most recent first), each once: where the analyst was working. */
export function foldersOf(items: readonly { path: string; at: number; exists?: boolean }[]): string[] {
  const dirs: string[] = [];
  for (const it of [...items].filter((i) => i.exists !== false).sort((a, b) => b.at - a.at)) {
    const d = dirName(it.path);
    if (d && !dirs.includes(d)) dirs.push(d);
  }
  return dirs;
}

const CASE_EXT = '.duckdb';
const TITLES: Record<FileBrowserMode, string> = { 'open-case': 'Open case', 'new-case': 'New case', evidence: 'Add evidence' };

/**
 * A file dialog over the server's file system (`fs.list`), for the web mode where the browser
 * cannot hand out paths. Navigate by double-click or by typing a path; evidence allows several
 * files and whole folders; a new case asks for a file name ending in .duckdb.
 */
export function FileBrowser({ mode, startPath, places = [], onChoose, onCancel }: FileBrowserProps) {
  const api = useApi();
  const [listing, setListing] = useState<DirListing | null>(null);
  const [pathInput, setPathInput] = useState(startPath ?? '');
  const [selected, setSelected] = useState<string[]>([]);
  const [fileName, setFileName] = useState('case.duckdb');
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [done, setDone] = useState(false);

  const go = useCallback(
    async (path?: string) => {
      setLoading(true);
      try {
        const l = await api.invoke('fs.list', path ? { path } : {});
        setListing(l);
        setPathInput(l.path);
        setSelected([]);
        setError(null);
      } catch (e) {
        setError(toApiError(e));
      } finally {
        setLoading(false);
      }
    },
    [api],
  );

  useEffect(() => {
    void go(startPath ?? undefined);
  }, [go, startPath]);

  const multi = mode === 'evidence';
  const selectable = (e: DirEntry) => (mode === 'evidence' ? true : e.kind === 'file' && e.name.toLowerCase().endsWith(CASE_EXT));

  const click = (e: DirEntry) => {
    if (mode === 'new-case') {
      if (e.kind === 'file' && e.name.toLowerCase().endsWith(CASE_EXT)) setFileName(e.name);
      return;
    }
    if (!selectable(e)) return;
    if (multi) setSelected((s) => (s.includes(e.path) ? s.filter((p) => p !== e.path) : [...s, e.path]));
    else setSelected([e.path]);
  };

  const open = (e: DirEntry) => {
    if (e.kind === 'dir') void go(e.path);
    else if (mode !== 'new-case' && selectable(e) && !done) {
      setDone(true);
      onChoose([e.path]);
    }
  };

  const newCasePath = listing ? joinPath(listing.path, fileName.toLowerCase().endsWith(CASE_EXT) ? fileName : `${fileName}${CASE_EXT}`) : '';
  const canChoose = mode === 'new-case' ? !!listing && fileName.trim() !== '' && !/[\\/]/.test(fileName) : selected.length > 0;
  // Enter and a click may both fire: choose once.
  const choose = () => {
    if (!canChoose || done) return;
    setDone(true);
    onChoose(mode === 'new-case' ? [newCasePath] : selected);
  };

  const footer = (
    <>
      <div className="fb-summary">
        {mode === 'new-case' ? (
          <span className="mono" title={newCasePath}>{newCasePath}</span>
        ) : selected.length ? (
          <span>{selected.length} selected</span>
        ) : (
          <span className="muted">{mode === 'evidence' ? 'Select files or folders (click to toggle)' : 'Select a .duckdb case file'}</span>
        )}
      </div>
      <button type="button" onClick={onCancel}>Cancel</button>
      <button type="button" className="primary" disabled={!canChoose} onClick={choose} data-testid="file-browser-choose">
        {mode === 'new-case' ? 'Create case' : mode === 'open-case' ? 'Open' : `Import ${selected.length || ''}`.trim()}
      </button>
    </>
  );

  return (
    <Modal title={TITLES[mode]} onClose={onCancel} footer={footer} wide>
      <form
        className="fb-path"
        onSubmit={(e) => {
          e.preventDefault();
          void go(pathInput.trim() || undefined);
        }}
      >
        <button type="button" disabled={!listing?.parent} onClick={() => listing?.parent && void go(listing.parent)} title="Parent folder">
          ↑ Up
        </button>
        <input
          className="mono"
          value={pathInput}
          onChange={(e) => setPathInput(e.target.value)}
          aria-label="Folder path"
          spellCheck={false}
          data-testid="file-browser-path"
        />
        <button type="submit">Go</button>
      </form>
      {places.length ? (
        <div className="fb-places" aria-label="Places" data-testid="file-browser-places">
          {places.map((p) => (
            <button key={p.path} type="button" className={`small ${listing?.path === p.path ? 'on' : ''}`} onClick={() => void go(p.path)} title={p.path} data-testid="fb-place">
              {p.label}
            </button>
          ))}
        </div>
      ) : null}
      <ErrorMessage error={error} />
      <div className={`fb-list ${loading ? 'busy' : ''}`} role="listbox" aria-multiselectable={multi} data-testid="file-browser-list">
        {listing && listing.entries.length === 0 ? <div className="fb-empty muted">Empty folder</div> : null}
        {listing?.entries.map((e) => {
          const isSel = selected.includes(e.path);
          const enabled = e.kind === 'dir' || selectable(e) || mode === 'new-case';
          return (
            <div
              key={e.path}
              role="option"
              aria-selected={isSel}
              className={`fb-entry ${e.kind} ${isSel ? 'selected' : ''} ${enabled ? '' : 'disabled'}`}
              onClick={() => click(e)}
              onDoubleClick={() => open(e)}
              title={e.path}
              data-name={e.name}
            >
              {multi ? <input type="checkbox" checked={isSel} readOnly tabIndex={-1} aria-hidden /> : null}
              <span className="fb-icon" aria-hidden>{e.kind === 'dir' ? '▸' : ''}</span>
              <span className="fb-name">{e.name}{e.kind === 'dir' ? '/' : ''}</span>
              <span className="fb-size mono">{e.kind === 'file' ? formatBytes(e.size) : ''}</span>
            </div>
          );
        })}
      </div>
      {mode === 'new-case' ? (
        <label className="fb-filename">
          <span>File name</span>
          <input
            className="mono"
            value={fileName}
            onChange={(e) => setFileName(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && choose()}
            spellCheck={false}
            data-testid="file-browser-name"
          />
        </label>
      ) : null}
    </Modal>
  );
}
