import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { TimeRange } from '../../components/filter-box';
import { formatUtcIso } from '../../lib/format';

export type { TimeRange } from '../../components/filter-box';

/** Views the analysis features can send the analyst to (a subset of the app's ViewId). */
export type AnalysisTarget = 'overview' | 'flows' | 'pivot' | 'sessions' | 'sql' | 'detections';

/**
 * What Flows, Overview, Pivot and Sessions share: the filter expression, the time range,
 * and the pivot host with its history (back/forward like a browser). Brushing any chart
 * sets the range everywhere; clicking any address opens it in the pivot.
 */
export interface AnalysisState {
  /** The applied filter expression (filter language), '' for none. */
  filter: string;
  setFilter: (filter: string) => void;
  range: TimeRange | null;
  setRange: (range: TimeRange | null) => void;
  /** The host shown by the pivot, or null. */
  host: string | null;
  /** Opens a host in the pivot view (and switches to it). */
  openHost: (addr: string) => void;
  canBack: boolean;
  canForward: boolean;
  back: () => void;
  forward: () => void;
  /** The pivot history, oldest first, and where we are in it. */
  history: readonly string[];
  historyIndex: number;
  navigate: (view: AnalysisTarget) => void;
  /** conn_state values the sessions table shows ([] = all); set from the pivot too. */
  sessionStates: readonly string[];
  setSessionStates: (states: readonly string[]) => void;
  /** The host the detections view is narrowed to (null: every host). */
  detectionsHost: string | null;
  /** Opens the detections view, narrowed to a host or not (the pivot's alert score links here). */
  showDetections: (host: string | null) => void;
}

const AnalysisContext = createContext<AnalysisState | null>(null);

const MAX_HISTORY = 100;

/** Holds the shared view state for one open case (remount it with a new key per case). */
export function AnalysisProvider({ onNavigate, children }: { onNavigate: (view: AnalysisTarget) => void; children: ReactNode }) {
  const [filter, setFilter] = useState('');
  const [range, setRangeRaw] = useState<TimeRange | null>(null);
  // Whole microseconds, and never empty: a brush may report fractions or a zero-width span.
  const setRange = useCallback((r: TimeRange | null) => {
    if (!r) return setRangeRaw(null);
    const fromUs = Math.floor(Math.min(r.fromUs, r.toUs));
    const toUs = Math.max(fromUs + 1, Math.ceil(Math.max(r.fromUs, r.toUs)));
    setRangeRaw({ fromUs, toUs });
  }, []);
  const [sessionStates, setSessionStates] = useState<readonly string[]>([]);
  const [detectionsHost, setDetectionsHost] = useState<string | null>(null);
  const showDetections = useCallback((h: string | null) => { setDetectionsHost(h); onNavigate('detections'); }, [onNavigate]);
  const [hist, setHist] = useState<{ stack: string[]; index: number }>({ stack: [], index: -1 });

  const openHost = useCallback(
    (addr: string) => {
      const a = addr.trim();
      if (!a) return;
      setHist((h) => {
        if (h.stack[h.index] === a) return h;
        const stack = [...h.stack.slice(0, h.index + 1), a].slice(-MAX_HISTORY);
        return { stack, index: stack.length - 1 };
      });
      onNavigate('pivot');
    },
    [onNavigate],
  );
  const back = useCallback(() => setHist((h) => (h.index > 0 ? { ...h, index: h.index - 1 } : h)), []);
  const forward = useCallback(() => setHist((h) => (h.index < h.stack.length - 1 ? { ...h, index: h.index + 1 } : h)), []);

  const value = useMemo<AnalysisState>(
    () => ({
      filter, setFilter, range, setRange,
      host: hist.stack[hist.index] ?? null, openHost,
      canBack: hist.index > 0, canForward: hist.index < hist.stack.length - 1, back, forward,
      history: hist.stack, historyIndex: hist.index,
      navigate: onNavigate,
      sessionStates, setSessionStates,
      detectionsHost, showDetections,
    }),
    [filter, range, setRange, hist, openHost, back, forward, onNavigate, sessionStates, detectionsHost, showDetections],
  );
  return <AnalysisContext.Provider value={value}>{children}</AnalysisContext.Provider>;
}

/** The shared analysis state; outside a provider (e.g. a view rendered alone) a local fallback. */
export function useAnalysis(): AnalysisState {
  const ctx = useContext(AnalysisContext);
  if (!ctx) throw new Error('useAnalysis() outside <AnalysisProvider>');
  return ctx;
}

/** Whether an AnalysisProvider is above (the flows table works without one). */
export function useOptionalAnalysis(): AnalysisState | null {
  return useContext(AnalysisContext);
}

/**
 * The filter and the time range as one filter expression, for methods that take only a
 * filter (flows.page, sessions.page): `(filter) and between <from> and <to>`.
 */
export function combinedFilter(filter: string, range: TimeRange | null): string {
  const f = filter.trim();
  if (!range) return f;
  const between = `between ${formatUtcIso(range.fromUs)} and ${formatUtcIso(range.toUs)}`;
  return f ? `(${f}) and ${between}` : between;
}

/** The range as the optional fromUs/toUs arguments of the analysis methods. */
export function windowArgs(range: TimeRange | null): { fromUs?: number; toUs?: number } {
  return range ? { fromUs: Math.floor(range.fromUs), toUs: Math.ceil(range.toUs) } : {};
}
