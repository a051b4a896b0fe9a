import type { ReactNode } from 'react';
import type { CaseInfo } from '../../core/api/contract';
import { ProgressBar } from '../components/progress-bar';
import { TimeSpan } from '../components/time';
import { TimeZoneSelect } from '../features/cases/time-zone-select';
import type { Importer } from '../features/import/use-import';
import { baseName, formatCount } from '../lib/format';
import { nextTheme, type ThemeChoice } from '../lib/theme';
import { VIEWS, type ViewId } from './views';

export interface ShellProps {
  info: CaseInfo;
  view: ViewId;
  onView: (v: ViewId) => void;
  onTimeZone: (tz: string) => void;
  onClose: () => void;
  importer: Importer;
  theme: { choice: ThemeChoice; dark: boolean; setChoice: (c: ThemeChoice) => void };
  onHelp: () => void;
  busy: boolean;
  children: ReactNode;
}

/** Header (the case and its numbers), the view nav on the left, the view itself. */
export function Shell({ info, view, onView, onTimeZone, onClose, importer, busy, theme, onHelp, children }: ShellProps) {
  const cur = importer.files[importer.files.length - 1];
  const deriving = importer.jobs.find((j) => j.running && j.deriving)?.deriving ?? null;
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">Flowcase</div>
        <div className="case-id">
          <div className="case-name" data-testid="case-name">
            {info.name}
            {info.readOnly ? <span className="badge warn">read-only</span> : null}
          </div>
          <div className="case-path mono" title={info.path}>{info.path}</div>
        </div>
        <div className="case-stats">
          <Stat label="flows" value={<span data-testid="case-flows">{formatCount(info.flows)}</span>} />
          <Stat label="evidence" value={formatCount(info.evidenceCount)} />
          <Stat label="time span" value={<TimeSpan first={info.firstUs} last={info.lastUs} />} />
        </div>
        <div className="topbar-right">
          {importer.running ? (
            <button type="button" className="import-mini" onClick={() => onView('evidence')} title="Import running: show progress">
              <span data-testid="import-mini-text">{deriving ? `Building ${deriving.step ?? 'derived tables'}…` : cur ? `Importing ${baseName(cur.path)}` : 'Importing…'}</span>
              <ProgressBar value={deriving ? deriving.stepIndex ?? 0 : cur?.bytesRead ?? 0} max={deriving ? deriving.stepCount ?? null : cur ? cur.totalBytes : null} />
            </button>
          ) : null}
          <label className="tz">
            <span className="muted">Time zone</span>
            <TimeZoneSelect value={info.timeZone || 'UTC'} onChange={onTimeZone} disabled={busy} />
          </label>
          <button
            type="button" className="icon-text" onClick={() => theme.setChoice(nextTheme(theme.choice))} data-testid="theme-toggle" data-theme-choice={theme.choice}
            title={`Theme: ${theme.choice === 'system' ? `as the system (${theme.dark ? 'dark' : 'light'})` : theme.choice}; click for ${nextTheme(theme.choice)}`}
          >
            {theme.choice === 'system' ? '◐ Auto' : theme.choice === 'dark' ? '☾ Dark' : '☀ Light'}
          </button>
          <button type="button" onClick={onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" data-testid="shortcut-help-button">?</button>
          <button type="button" onClick={onClose} disabled={busy || importer.running} data-testid="close-case">
            Close case
          </button>
        </div>
      </header>
      <div className="shell-body">
        <nav className="sidenav" aria-label="Views">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              className={`nav-item ${view === v.id ? 'active' : ''}`}
              disabled={!v.enabled}
              title={v.hint}
              onClick={() => onView(v.id)}
              data-testid={`nav-${v.id}`}
              aria-current={view === v.id ? 'page' : undefined}
            >
              {v.label}
            </button>
          ))}
        </nav>
        <main className="content">{children}</main>
      </div>
    </div>
  );
}

function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-value mono">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}
