import { useState } from 'react';
import type { AppInfo } from '../../../core/api/contract';
import { ErrorMessage } from '../../components/error-message';
import { FileBrowser, foldersOf, uniquePlaces } from '../../components/file-browser';
import { Time } from '../../components/time';
import type { ApiError } from '../../lib/api-client';
import { toApiError } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { baseName, dirName } from '../../lib/format';
import { useApiQuery } from '../../lib/hooks';
import './cases.css';

export interface CasePickerProps {
  app: AppInfo | null;
  busy: boolean;
  error: ApiError | null;
  /** The case the last attempt was for (offered read-only when another process holds it). */
  lastPath: string | null;
  onOpen: (path: string, create: boolean, readOnly?: boolean) => void;
}

/**
 * The start page: recent cases, a new case, an existing one. Electron asks the OS dialog; the
 * web mode browses the server's disk through `fs.list`.
 */
export function CasePicker({ app, busy, error, lastPath, onOpen }: CasePickerProps) {
  const api = useApi();
  const recent = useApiQuery('case.recent', {});
  // The file dialog starts where the analyst last worked, not in the server's home.
  const recentFolders = foldersOf((recent.data ?? []).map((r) => ({ path: r.path, at: r.openedAtUs, exists: r.exists })));
  const [browser, setBrowser] = useState<'open-case' | 'new-case' | null>(null);
  const [dialogError, setDialogError] = useState<ApiError | null>(null);
  const native = api.transport === 'electron';

  const ask = async (create: boolean) => {
    if (!native) {
      setBrowser(create ? 'new-case' : 'open-case');
      return;
    }
    try {
      const r = await api.invoke('dialog.openCase', { create });
      if (r) onOpen(r.path, create);
    } catch (e) {
      setDialogError(toApiError(e));
    }
  };

  return (
    <div className="picker">
      <div className="picker-card panel">
        <div className="picker-title">
          <h1>Open a case</h1>
          <p className="muted">
            A case is one <span className="mono">.duckdb</span> file holding the evidence you import, its flows and your notes. Evidence files
            are read, hashed and never modified.
          </p>
        </div>
        <div className="picker-actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void ask(true)} data-testid="new-case">
            New case…
          </button>
          <button type="button" disabled={busy} onClick={() => void ask(false)} data-testid="open-case">
            Open case…
          </button>
          {busy ? <span className="muted">Opening…</span> : null}
        </div>
        <ErrorMessage error={error ?? dialogError} title="Could not open the case" />
        {error?.code === 'case-locked' && lastPath ? (
          <div className="picker-readonly">
            <button type="button" disabled={busy} onClick={() => onOpen(lastPath, false, true)} data-testid="open-read-only">
              Open read-only
            </button>
            <span className="muted">Browse and search the case while the other process keeps it; imports stay disabled.</span>
          </div>
        ) : null}
        <h3 className="picker-recent-title">Recent cases</h3>
        <ErrorMessage error={recent.error} />
        {recent.data && recent.data.length === 0 ? <p className="muted">No recent cases yet.</p> : null}
        {recent.data && recent.data.length > 0 ? (
          <ul className="recent-list" data-testid="recent-cases">
            {recent.data.map((r) => (
              <li key={r.path}>
                <button
                  type="button"
                  className={`recent ${r.exists ? '' : 'missing'}`}
                  disabled={busy || !r.exists}
                  onClick={() => onOpen(r.path, false)}
                  title={r.exists ? r.path : `${r.path} (file not found)`}
                >
                  <span className="recent-name">{r.name}</span>
                  <span className="recent-path mono">{r.path}</span>
                  <span className="recent-when">{r.exists ? <Time us={r.openedAtUs} precision="s" /> : 'missing'}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {app ? (
          <p className="picker-foot muted">
            {app.version} · {app.transport === 'web' ? 'web mode (127.0.0.1)' : 'desktop'} · {app.platform}
          </p>
        ) : null}
      </div>
      {browser ? (
        <FileBrowser
          mode={browser}
          startPath={recentFolders[0] ?? (lastPath ? dirName(lastPath) : null) ?? app?.homeDir}
          places={uniquePlaces([
            ...recentFolders.slice(0, 6).map((d) => ({ label: baseName(d) || d, path: d })),
            app?.homeDir ? { label: 'Home', path: app.homeDir } : null,
          ])}
          onCancel={() => setBrowser(null)}
          onChoose={(paths) => {
            setBrowser(null);
            if (paths[0]) onOpen(paths[0], browser === 'new-case');
          }}
        />
      ) : null}
    </div>
  );
}
