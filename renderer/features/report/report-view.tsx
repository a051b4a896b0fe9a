import { useEffect, useState } from 'react';
import type { CaseInfo, ReportResult } from '../../../core/api/contract';
import { CopyButton } from '../../components/copy-button';
import { ErrorMessage } from '../../components/error-message';
import { useApi } from '../../lib/api-context';
import { useAction, useApiQuery } from '../../lib/hooks';
import { useTimeZone } from '../../lib/time-zone';
import { parseZonedInput } from '../../lib/zoned-input';
import { useAnalysis } from '../pivot/analysis-state';
import '../timeline/timeline.css';

/**
 * The report a lawyer can read: one self-contained HTML file (and a PDF of it) with the case,
 * the evidence and its hashes, the question and the assessment, the timeline with notes, the
 * detections, charts and the flows cited. Generating it twice gives the same file but for the
 * line with the generation time.
 */
export function ReportView({ info }: { info: CaseInfo }) {
  const api = useApi();
  const tz = useTimeZone();
  const shared = useAnalysis();
  const action = useAction();
  const question = useApiQuery('report.question', {}, info.path);
  const [draftQuestion, setDraftQuestion] = useState('');
  useEffect(() => { if (question.data) setDraftQuestion(question.data.question); }, [question.data]);
  const [hostText, setHostText] = useState(shared.host ?? '');
  const [sinceText, setSinceText] = useState('');
  const [pdf, setPdf] = useState(false);
  const [result, setResult] = useState<ReportResult | null>(null);
  const sinceUs = sinceText.trim() ? parseZonedInput(sinceText, tz) : null;

  const generate = async () => {
    setResult(null);
    const hosts = hostText.split(/[\s,]+/).filter(Boolean);
    if (question.data && draftQuestion.trim() && draftQuestion.trim() !== question.data.question) {
      if (!(await action.run(() => api.invoke('report.question', { question: draftQuestion.trim() })))) return;
    }
    const r = await action.run(() => api.invoke('report.generate', { hosts, pdf, ...(sinceUs !== null ? { sinceUs } : {}) }));
    if (r) setResult(r);
  };

  return (
    <div className="page report-page">
      <h1>Report</h1>
      <p className="muted">One HTML file with everything inline (no script, nothing fetched): it opens offline in any browser and prints as it shows.</p>
      <div className="report-form">
        <label className="note-field"><span>The question the report answers</span>
          <textarea rows={2} value={draftQuestion} onChange={(e) => setDraftQuestion(e.target.value)} data-testid="report-question" />
        </label>
        <label className="note-field"><span>Hosts (empty: the hosts your notes are about)</span>
          <input className="mono" value={hostText} onChange={(e) => setHostText(e.target.value)} data-testid="report-hosts" placeholder="10.0.0.5" />
        </label>
        <label className="note-field"><span>Compromise time ({tz}; empty: the accepted one, else the foothold)</span>
          <input className="mono" value={sinceText} onChange={(e) => setSinceText(e.target.value)} placeholder="YYYY-MM-DD HH:MM" />
        </label>
        {sinceText.trim() && sinceUs === null ? <span className="error-message">not a time: write 2024-03-12 10:30</span> : null}
        <label className="check"><input type="checkbox" checked={pdf} onChange={(e) => setPdf(e.target.checked)} /> also print a PDF</label>
        <div>
          <button type="button" className="primary" disabled={action.pending || (sinceText.trim() !== '' && sinceUs === null)} onClick={() => void generate()} data-testid="report-generate">
            {action.pending ? 'Generating…' : 'Generate report'}
          </button>
        </div>
      </div>
      {action.error ? <ErrorMessage error={action.error} onDismiss={action.clearError} /> : null}
      {result ? (
        <div className="panel report-result" data-testid="report-result">
          <div className="panel-body">
            <p>Report written to <span className="mono" data-testid="report-path">{result.htmlPath}</span> <CopyButton text={result.htmlPath} /></p>
            {result.url ? <p><a href={result.url} target="_blank" rel="noreferrer" data-testid="report-open">Open the report</a></p> : null}
            {result.pdfPath ? <p>PDF: <span className="mono" data-testid="report-pdf">{result.pdfPath}</span> <CopyButton text={result.pdfPath} /></p> : null}
            {result.pdfError ? <p className="error-message" data-testid="report-pdf-error">{result.pdfError}</p> : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
