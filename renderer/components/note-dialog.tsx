import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Note, NoteTarget } from '../../core/api/contract';
import { useApi } from '../lib/api-context';
import { formatTime } from '../lib/format';
import { useAction, useApiQuery } from '../lib/hooks';
import { useTimeZone } from '../lib/time-zone';
import { ErrorMessage } from './error-message';
import { Modal } from './modal';
import './note-dialog.css';

/** What a bookmark can be about (the detections view passes kind 'detection'). */
export type NoteDialogTarget = Pick<NoteTarget, 'kind' | 'ref' | 'fromUs' | 'toUs' | 'host'> & { kind: 'flow' | 'session' | 'detection' | 'host' | 'range' };

/** Tags offered first; any text is a tag too. */
const SUGGESTED = ['foothold', 'exfil', 'false-positive', 'victim', 'scan', 'c2', 'conclusion'];

/** "Flow 123", "Session C…", "Host 10.0.0.5", "10:00:00 → 11:00:00 (UTC)". */
export function describeTarget(t: NoteDialogTarget, tz: string): string {
  switch (t.kind) {
    case 'flow': return `Flow #${t.ref}`;
    case 'session': return `Session ${t.ref}`;
    case 'detection': return `Detection #${t.ref}`;
    case 'host': return `Host ${t.ref}`;
    default: return `${t.host ? `${t.host}, ` : ''}${formatTime(t.fromUs ?? 0, tz, 's')} → ${formatTime(t.toUs ?? 0, tz, 's')} (${tz})`;
  }
}

const splitTags = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean);

/**
 * The one Bookmark / note dialog: a note and tags on a flow, session, detection, host or
 * time range, with the notes already on that target (edit keeps the history, remove is
 * undoable). Every change goes through the core, which audits it.
 */
export function NoteDialog({ target, onClose, onSaved }: { target: NoteDialogTarget; onClose: () => void; onSaved?: (note: Note) => void }) {
  const api = useApi();
  const tz = useTimeZone();
  const action = useAction();
  const [text, setText] = useState('');
  const [tags, setTags] = useState('');
  const [editing, setEditing] = useState<Note | null>(null);
  const [tick, setTick] = useState(0);
  // A range's stored reference is made by the core; list its notes by host and window instead.
  const listArgs = target.kind === 'range'
    ? { targetKind: 'range' as const, fromUs: target.fromUs, toUs: target.toUs, ...(target.host ? { host: target.host } : {}) }
    : { targetKind: target.kind, targetRef: target.ref };
  const existing = useApiQuery('notes.list', listArgs, tick);
  const known = useApiQuery('notes.tags', {}, tick);
  const [history, setHistory] = useState<number | null>(null);
  const revisions = useApiQuery('notes.history', { id: history ?? 0 }, `${history}-${tick}`, history !== null);

  const suggestions = useMemo(() => {
    const have = new Set(splitTags(tags).map((t) => t.toLowerCase()));
    const all = [...SUGGESTED, ...(known.data ?? []).map((t) => t.tag)];
    return [...new Set(all)].filter((t) => !have.has(t.toLowerCase())).slice(0, 12);
  }, [known.data, tags]);

  const save = async () => {
    const r = await action.run(() => (editing
      ? api.invoke('notes.edit', { id: editing.id, text, tags: splitTags(tags) })
      : api.invoke('notes.add', { target, text, tags: splitTags(tags) })));
    if (!r) return;
    onSaved?.(r);
    setEditing(null);
    setText('');
    setTags('');
    setTick((t) => t + 1);
  };
  const remove = async (n: Note, status: 'active' | 'deleted') => {
    if (await action.run(() => api.invoke('notes.edit', { id: n.id, status }))) setTick((t) => t + 1);
  };

  return (
    <Modal
      title={`Bookmark / note: ${describeTarget(target, tz)}`}
      onClose={onClose}
      wide
      footer={<>
        {editing ? <button type="button" onClick={() => { setEditing(null); setText(''); setTags(''); }}>Cancel edit</button> : null}
        <button type="button" onClick={onClose} data-testid="note-close">Close</button>
        <button type="button" className="primary" disabled={action.pending || (!text.trim() && !splitTags(tags).length)} onClick={() => void save()} data-testid="note-save">
          {editing ? `Save revision ${editing.revision + 1}` : 'Save note'}
        </button>
      </>}
    >
      <div className="note-dialog" data-testid="note-dialog">
        <label className="note-field">
          <span>{editing ? `Editing note ${editing.id} (the earlier text stays in its history)` : 'Note'}</span>
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={4} autoFocus data-testid="note-text"
            placeholder="What this shows, why it matters, what to check next" />
        </label>
        <label className="note-field">
          <span>Tags (comma-separated)</span>
          <input value={tags} onChange={(e) => setTags(e.target.value)} data-testid="note-tags" placeholder="foothold, exfil" />
        </label>
        <div className="tag-suggestions">
          {suggestions.map((s) => (
            <button key={s} type="button" className="tag-chip" onClick={() => setTags((t) => (t.trim() ? `${t.replace(/,\s*$/, '')}, ${s}` : s))}>+ {s}</button>
          ))}
        </div>
        {action.error ? <ErrorMessage error={action.error} onDismiss={action.clearError} /> : null}
        <h3>Notes on this {target.kind === 'range' ? 'time range' : target.kind}</h3>
        {existing.error ? <ErrorMessage error={existing.error} /> : null}
        {(existing.data ?? []).length === 0 ? <p className="muted">None yet.</p> : null}
        <ul className="note-list" data-testid="note-list">
          {(existing.data ?? []).map((n) => (
            <li key={n.id}>
              <div className="note-text">{n.text || <span className="muted">(bookmark)</span>}</div>
              <div className="note-meta muted">
                {n.tags.map((t) => <span key={t} className="tag-chip static">{t}</span>)}
                <span>note {n.id}, revision {n.revision}, {formatTime(n.updatedUs, tz, 's')}</span>
                <button type="button" className="link" onClick={() => { setEditing(n); setText(n.text); setTags(n.tags.join(', ')); }}>Edit</button>
                <button type="button" className="link" onClick={() => void remove(n, 'deleted')}>Remove</button>
                <button type="button" className="link" onClick={() => setHistory(history === n.id ? null : n.id)}>History</button>
              </div>
              {history === n.id ? (
                <ol className="note-history">
                  {(revisions.data ?? []).map((r) => (
                    <li key={r.revision}><span className="muted">{formatTime(r.atUs, tz, 's')} {r.change} by {r.actor}:</span> {r.text} {r.tags.length ? `[${r.tags.join(', ')}]` : ''}</li>
                  ))}
                </ol>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
    </Modal>
  );
}

interface NoteDialogApi {
  /** Opens the dialog for a target. */
  open: (target: NoteDialogTarget) => void;
  /** Changes whenever a note was saved (views that show notes reload on it). */
  version: number;
}

const NoteDialogContext = createContext<NoteDialogApi | null>(null);

/** Lets any view open the one note dialog (useNoteDialog().open(target)). */
export function NoteDialogProvider({ children }: { children: ReactNode }) {
  const [target, setTarget] = useState<NoteDialogTarget | null>(null);
  const [version, setVersion] = useState(0);
  const open = useCallback((t: NoteDialogTarget) => setTarget(t), []);
  const value = useMemo(() => ({ open, version }), [open, version]);
  return (
    <NoteDialogContext.Provider value={value}>
      {children}
      {target ? <NoteDialog target={target} onClose={() => { setTarget(null); setVersion((v) => v + 1); }} onSaved={() => setVersion((v) => v + 1)} /> : null}
    </NoteDialogContext.Provider>
  );
}

/** The note dialog of the app (null outside a NoteDialogProvider, e.g. in isolated tests). */
export function useNoteDialog(): NoteDialogApi | null {
  return useContext(NoteDialogContext);
}

/** A small "Note…" button that opens the dialog for a target (hidden without a provider). */
export function NoteButton({ target, label = 'Note…', testId }: { target: NoteDialogTarget; label?: string; testId?: string }) {
  const dialog = useNoteDialog();
  if (!dialog) return null;
  return (
    <button type="button" className="note-button" onClick={(e) => { e.stopPropagation(); dialog.open(target); }} data-testid={testId ?? 'note-button'}
      title="Bookmark with a note and tags (kept with its history, audited)">
      {label}
    </button>
  );
}
