import type { IssueView } from '../../core/api/contract';
import { issueCodeInfo } from '../../core/api/reference-data';
import { formatCount } from '../lib/format';

/** Where an issue is: a byte offset or a line number, depending on the format. */
export function issuePlace(issue: IssueView, unit: 'byte' | 'line' = 'byte'): string {
  return unit === 'line' ? `line ${formatCount(issue.offset)}` : `byte ${formatCount(issue.offset)}`;
}

/** An issue code, its meaning from the catalogue on hover (and its severity as a class). */
export function IssueCode({ code }: { code: string }) {
  const info = issueCodeInfo(code);
  return (
    <span className={`issue-code ${info?.severity ?? ''}`} title={info ? `${info.severity}: ${info.meaning}` : undefined}>
      {code}
    </span>
  );
}

/** What a code means, for lists that show it beside the code. */
export function IssueMeaning({ code }: { code: string }) {
  const info = issueCodeInfo(code);
  return info ? <span className="issue-meaning muted">{info.meaning}</span> : null;
}

/** One kept issue: code, place, message. */
export function IssueLine({ issue, unit }: { issue: IssueView; unit: 'byte' | 'line' }) {
  return (
    <li>
      <IssueCode code={issue.code} /> <span className="mono muted">{issuePlace(issue, unit)}</span> {issue.message}
    </li>
  );
}
