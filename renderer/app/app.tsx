import { lazy, Suspense, useEffect, useState } from 'react';
import { ErrorMessage } from '../components/error-message';
import { NoteDialogProvider } from '../components/note-dialog';
import { CasePicker } from '../features/cases/case-picker';
import { useCaseSession } from '../features/cases/use-case-session';
import { EvidenceView } from '../features/evidence/evidence-view';
import { FlowsView } from '../features/flows/flows-view';
import { AnalysisProvider } from '../features/pivot/analysis-state';
import { useImport } from '../features/import/use-import';
import { TimeZoneContext } from '../lib/time-zone';
import { Shell } from './layout';
import type { ViewId } from './views';
import './app.css';

// The analysis views (and d3) load on first use, keeping the start-up bundle small.
const OverviewView = lazy(() => import('../features/overview/overview-view').then((m) => ({ default: m.OverviewView })));
const PivotView = lazy(() => import('../features/pivot/pivot-view').then((m) => ({ default: m.PivotView })));
const SessionsView = lazy(() => import('../features/sessions/sessions-view').then((m) => ({ default: m.SessionsView })));
const SqlView = lazy(() => import('../features/sql/sql-view').then((m) => ({ default: m.SqlView })));
const DetectionsView = lazy(() => import('../features/detections/detections-view').then((m) => ({ default: m.DetectionsView })));
const TimelineView = lazy(() => import('../features/timeline/timeline-view').then((m) => ({ default: m.TimelineView })));
const ReportView = lazy(() => import('../features/report/report-view').then((m) => ({ default: m.ReportView })));

/** Routing by state: no case -> the picker; a case -> the shell with the chosen view. */
export function App() {
  const session = useCaseSession();
  const importer = useImport();
  const [view, setView] = useState<ViewId>('evidence');
  const info = session.info;
  const caseKey = info?.path ?? '';

  // A freshly opened case lands on its flows, or on import when it has none yet.
  useEffect(() => {
    if (info) setView(info.flows > 0 ? 'flows' : 'evidence');
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when another case opens, not each time its counts change
  }, [caseKey]);

  useEffect(() => {
    document.title = info ? `${info.name} — Flowcase` : 'Flowcase';
  }, [info]);

  // Files dropped outside the drop zone must not make the window navigate to them.
  useEffect(() => {
    const stop = (e: DragEvent) => e.preventDefault();
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);

  if (info === undefined) {
    return <div className="boot muted">{session.error ? <ErrorMessage error={session.error} /> : 'Connecting to Flowcase…'}</div>;
  }
  if (info === null) {
    return (
      <CasePicker
        app={session.app}
        busy={session.busy}
        error={session.error}
        lastPath={session.lastPath}
        onOpen={(p, create, readOnly) => void session.open(p, create, readOnly)}
      />
    );
  }
  return (
    <TimeZoneContext.Provider value={info.timeZone || 'UTC'}>
      <AnalysisProvider key={caseKey} onNavigate={setView}>
      <NoteDialogProvider>
      <Shell
        info={info}
        view={view}
        onView={setView}
        onTimeZone={(tz) => void session.setTimeZone(tz)}
        onClose={() => void session.close()}
        importer={importer}
        busy={session.busy}
      >
        {session.error ? <ErrorMessage error={session.error} onDismiss={session.clearError} /> : null}
        <Suspense fallback={<div className="muted">Loading…</div>}>
        {view === 'flows' ? (
          <FlowsView info={info} generation={session.generation} />
        ) : view === 'overview' ? (
          <OverviewView info={info} generation={session.generation} />
        ) : view === 'pivot' ? (
          <PivotView info={info} generation={session.generation} />
        ) : view === 'sessions' ? (
          <SessionsView info={info} generation={session.generation} />
        ) : view === 'sql' ? (
          <SqlView />
        ) : view === 'detections' ? (
          <DetectionsView info={info} generation={session.generation} />
        ) : view === 'timeline' ? (
          <TimelineView info={info} generation={session.generation} />
        ) : view === 'report' ? (
          <ReportView info={info} />
        ) : (
          <EvidenceView info={info} generation={session.generation} importer={importer} homeDir={session.app?.homeDir ?? null} />
        )}
        </Suspense>
      </Shell>
      </NoteDialogProvider>
      </AnalysisProvider>
    </TimeZoneContext.Provider>
  );
}
