import { useEffect, useState } from 'react';
import { Modal } from './modal';

/** Every keyboard shortcut of the app, by where it works. */
export const SHORTCUTS: readonly { keys: string; what: string; where: string }[] = [
  { keys: '?', what: 'Show this help', where: 'anywhere (not while typing)' },
  { keys: 'Esc', what: 'Close a dialog, the detail pane or the selection', where: 'anywhere' },
  { keys: 'Enter', what: 'Apply the filter to every view', where: 'filter box' },
  { keys: '↑ ↓  PgUp PgDn  Home End', what: 'Move the selected row', where: 'Flows, Sessions, Pivot grids' },
  { keys: 'Alt+← / Alt+→', what: 'Back and forward through the hosts pivoted on', where: 'Pivot' },
  { keys: 'Double-click an address', what: 'Pivot on that host', where: 'grids' },
  { keys: 'Right-click a flow', what: 'Bookmark it with a note', where: 'Flows' },
  { keys: 'Drag across a chart', what: 'Set the time range for every view', where: 'Overview, Pivot' },
  { keys: 'Ctrl+Enter', what: 'Run the query', where: 'SQL' },
];

/** Whether a key event comes from a place where the analyst types (a "?" there is text). */
function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
}

/** "?" opens the list of shortcuts (and the button in the header does). */
export function useShortcutHelp(): { open: boolean; setOpen: (o: boolean) => void } {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e)) {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return { open, setOpen };
}

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <table className="data" data-testid="shortcut-help">
        <thead><tr><th>Keys</th><th>Does</th><th>Where</th></tr></thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}><td className="mono"><kbd>{s.keys}</kbd></td><td>{s.what}</td><td className="muted">{s.where}</td></tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
