import { useState } from 'react';
import type { Story, StoryEntry } from '../../../core/api/contract';
import { ErrorMessage } from '../../components/error-message';
import { Modal } from '../../components/modal';
import { useApi } from '../../lib/api-context';
import { formatTime } from '../../lib/format';
import { useAction, useApiQuery } from '../../lib/hooks';
import { useTimeZone } from '../../lib/time-zone';

/**
 * The story of a host as Flowcase proposes it (before, the compromise, after), each entry
 * with its evidence filter; the analyst accepts (with a note), edits or removes entries.
 * Accepted entries become timeline events with their notes.
 */
export function StoryPanel({ host, sinceUs, generation, onChanged, onShowFlows }: {
  host: string; sinceUs: number | null; generation: string; onChanged: () => void; onShowFlows: (filter: string) => void;
}) {
  const api = useApi();
  const tz = useTimeZone();
  const action = useAction();
  const [tick, setTick] = useState(0);
  const story = useApiQuery('story.build', { host, ...(sinceUs !== null ? { sinceUs } : {}) }, `${generation}-${tick}`);
  const [editing, setEditing] = useState<StoryEntry | null>(null);

  const decide = async (e: StoryEntry, decision: 'accept' | 'dismiss', extra: { text?: string; summary?: string; tags?: string[] } = {}) => {
    const r = await action.run(() => api.invoke('story.decide', { host, key: e.key, decision, ...(sinceUs !== null ? { sinceUs } : {}), ...extra }));
    if (r) { setTick((t) => t + 1); onChanged(); }
  };
  const s: Story | undefined = story.data;
  return (
    <section className="panel story-panel" data-testid="story-panel">
      <div className="panel-head">
        <h2>Story of {host}</h2>
        <span className="muted">
          {s ? (s.compromiseUs === null ? 'no compromise time known: give one, or no foothold was found'
            : `compromise ${s.compromiseBasis === 'given' ? 'given' : 'from the foothold'}: ${formatTime(s.compromiseUs, tz, 's')} (${tz})`) : ''}
        </span>
      </div>
      {story.error ? <ErrorMessage error={story.error} /> : null}
      {action.error ? <ErrorMessage error={action.error} onDismiss={action.clearError} /> : null}
      {s && s.entries.length === 0 ? <div className="panel-body muted">Nobody probed this host and nothing it did afterwards stands out.</div> : null}
      {s && s.entries.length ? (
        <table className="story-table">
          <thead><tr><th>Time</th><th>Phase</th><th>Entry</th><th>Evidence</th><th /></tr></thead>
          <tbody>
            {s.entries.map((e) => (
              <tr key={e.key} className={`story-${e.status}`} data-testid="story-entry" data-kind={e.kind} data-status={e.status}>
                <td className="mono">{formatTime(e.timeUs, tz, 's')}</td>
                <td>{e.phase}</td>
                <td>
                  <strong>{e.kind}</strong> {e.summary}
                  {e.note ? <div className="story-note">note: {e.note}</div> : null}
                  {e.status === 'dismissed' ? <div className="muted">removed</div> : null}
                </td>
                <td><button type="button" className="link mono small" onClick={() => onShowFlows(e.evidence)} title={e.evidence}>flows</button></td>
                <td className="story-actions">
                  {e.status !== 'accepted' ? <button type="button" onClick={() => void decide(e, 'accept')} data-testid="story-accept">Accept</button> : null}
                  <button type="button" onClick={() => setEditing(e)}>Edit…</button>
                  {e.status !== 'dismissed' ? <button type="button" onClick={() => void decide(e, 'dismiss')}>Remove</button> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {editing ? (
        <EntryEditor entry={editing} onClose={() => setEditing(null)}
          onSave={async (v) => { await decide(editing, 'accept', v); setEditing(null); }} />
      ) : null}
    </section>
  );
}

function EntryEditor({ entry, onClose, onSave }: { entry: StoryEntry; onClose: () => void; onSave: (v: { text: string; summary: string; tags: string[] }) => Promise<void> }) {
  const [summary, setSummary] = useState(entry.summary);
  const [text, setText] = useState(entry.note ?? '');
  const [tags, setTags] = useState((entry.tags ?? []).join(', '));
  return (
    <Modal title={`Story entry: ${entry.kind}`} onClose={onClose} footer={<>
      <button type="button" onClick={onClose}>Cancel</button>
      <button type="button" className="primary" disabled={!summary.trim()}
        onClick={() => void onSave({ summary, text, tags: tags.split(',').map((t) => t.trim()).filter(Boolean) })}>Accept with these words</button>
    </>}>
      <div className="note-dialog">
        <label className="note-field"><span>Summary (as the timeline and the report will say it)</span>
          <textarea rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} /></label>
        <label className="note-field"><span>Note</span><textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} /></label>
        <label className="note-field"><span>Tags</span><input value={tags} onChange={(e) => setTags(e.target.value)} /></label>
        <div className="muted small mono">{entry.evidence}</div>
      </div>
    </Modal>
  );
}
