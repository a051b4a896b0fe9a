import { useApiQuery } from '../../lib/hooks';

/** Which evidence a view counts (the analysis methods' `evidence` argument). */
export type EvidenceArg = 'counted' | 'all' | number[];

const toValue = (v: EvidenceArg): string => (Array.isArray(v) ? `ev:${v.join(',')}` : v);
const fromValue = (s: string): EvidenceArg => (s.startsWith('ev:') ? s.slice(3).split(',').map(Number) : (s as 'counted' | 'all'));

/**
 * The per-view evidence choice: each conversation once (the default: overlapping evidence
 * counted from its richest file), every record as imported, or one file alone. Shown only
 * when the case holds more than one evidence file.
 */
export function EvidenceChoiceSelect({ value, onChange, generation }: { value: EvidenceArg; onChange: (v: EvidenceArg) => void; generation: string }) {
  const evidence = useApiQuery('evidence.list', {}, generation);
  const list = evidence.data ?? [];
  if (list.length < 2) return null;
  const overlapping = list.some((e) => e.overlaps.length > 0);
  return (
    <label className="evidence-choice" title="Which evidence this view counts. Files that recorded the same traffic (a capture and the router's NetFlow of it) are counted once by default, from the richest file.">
      <span className="muted">Evidence</span>{' '}
      <select value={toValue(value)} onChange={(e) => onChange(fromValue(e.target.value))} data-testid="evidence-choice">
        <option value="counted">each conversation once{overlapping ? ' (overlaps de-duplicated)' : ''}</option>
        <option value="all">all records (overlaps count twice)</option>
        {list.map((e) => (
          <option key={e.evidenceId} value={`ev:${e.evidenceId}`}>only #{e.evidenceId} {e.name}</option>
        ))}
      </select>
    </label>
  );
}
