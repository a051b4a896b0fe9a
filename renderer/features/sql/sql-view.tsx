import { useCallback, useMemo, useState } from 'react';
import type { SqlRunResult } from '../../../core/api/contract';
import { ErrorMessage } from '../../components/error-message';
import { VirtualTable, type GridColumn } from '../../components/virtual-table';
import { toApiError, type ApiError } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { formatCount } from '../../lib/format';
import './sql.css';

const EXAMPLES: { label: string; sql: string }[] = [
  { label: 'Flows (readable)', sql: 'SELECT * FROM flows_v ORDER BY start_time LIMIT 100' },
  { label: 'Top destination ports', sql: 'SELECT proto, dst_port, count(*) AS flows, sum(bytes + coalesce(rev_bytes, 0)) AS bytes\nFROM flows GROUP BY ALL ORDER BY flows DESC LIMIT 20' },
  { label: 'Sessions by state', sql: 'SELECT conn_state, count(*) AS sessions, count(DISTINCT "id.orig_h") AS originators\nFROM sessions GROUP BY conn_state ORDER BY sessions DESC' },
  { label: 'Busiest pairs', sql: 'SELECT ip_text(src_ip) AS src, ip_text(dst_ip) AS dst, count(*) AS flows, sum(bytes) AS bytes\nFROM flows GROUP BY ALL ORDER BY bytes DESC LIMIT 25' },
  { label: 'Evidence', sql: 'SELECT evidence_id, name, format, records, rejected, sha256 FROM evidence' },
  { label: 'Audit log', sql: 'SELECT id, us_ts(at_us) AS at, actor, action, detail FROM audit_log ORDER BY id DESC' },
  { label: 'Tables', sql: 'SHOW TABLES' },
];

type Row = { i: number; cells: unknown[] };

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * A read-only SQL console on the case: one statement at a time, results in the same
 * virtual grid as the flows; the core refuses anything that writes or reads files and
 * says why.
 */
export function SqlView() {
  const api = useApi();
  const [sql, setSql] = useState(EXAMPLES[0].sql);
  const [limit, setLimit] = useState(10_000);
  const [result, setResult] = useState<SqlRunResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [running, setRunning] = useState(false);
  const [runId, setRunId] = useState(0);

  const run = useCallback(async (text: string) => {
    if (!text.trim()) return;
    setRunning(true);
    setError(null);
    try {
      setResult(await api.invoke('sql.run', { sql: text, limit }));
      setRunId((n) => n + 1);
    } catch (e) {
      setError(toApiError(e));
      setResult(null);
    } finally {
      setRunning(false);
    }
  }, [api, limit]);

  const ok = result && result.ok ? result : null;
  const rows = useMemo<Row[]>(() => (ok ? ok.rows.map((cells, i) => ({ i, cells })) : []), [ok]);
  const columns = useMemo<GridColumn<Row>[]>(
    () => (ok ? ok.columns.map((c, j) => {
      const numeric = /INT|DOUBLE|FLOAT|DECIMAL|REAL/.test(c.type) && !/\[\]/.test(c.type);
      return {
        id: `c${j}`,
        header: c.name,
        enableSorting: false,
        size: Math.min(360, Math.max(70, c.name.length * 8 + 24, numeric ? 90 : 140)),
        accessorFn: (r: Row) => r.cells[j],
        cell: (ctx: { row: { original: Row } }) => {
          const t = cellText(ctx.row.original.cells[j]);
          return <span title={t} className={ctx.row.original.cells[j] === null ? 'null' : undefined}>{ctx.row.original.cells[j] === null ? 'NULL' : t}</span>;
        },
        meta: { align: numeric ? 'right' : 'left', title: `${c.name} (${c.type})` },
      } as GridColumn<Row>;
    }) : []),
    [ok],
  );

  return (
    <div className="page sql-page" data-testid="sql">
      <div className="sql-editor panel">
        <textarea
          className="mono sql-text"
          value={sql}
          onChange={(e) => setSql(e.target.value)}
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
              e.preventDefault();
              void run(sql);
            }
          }}
          spellCheck={false}
          aria-label="SQL"
          data-testid="sql-text"
        />
        <div className="sql-side">
          <div className="sql-run">
            <button type="button" className="primary" onClick={() => void run(sql)} disabled={running} data-testid="sql-run" title="Run (Ctrl+Enter)">
              {running ? 'Running…' : 'Run'}
            </button>
            {running && (
              <button type="button" onClick={() => void api.invoke('sql.cancel', {})} data-testid="sql-cancel">Cancel</button>
            )}
            <label className="muted">
              rows at most{' '}
              <select value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
                {[1000, 10_000, 100_000].map((n) => <option key={n} value={n}>{formatCount(n)}</option>)}
              </select>
            </label>
          </div>
          <div className="sql-hint muted">
            Read-only: SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN. Views <code>flows_v</code> and <code>sessions_v</code> show addresses as text;
            <code> ip_text()</code> and <code>us_ts()</code> convert columns.
          </div>
          <div className="sql-examples">
            {EXAMPLES.map((x) => (
              <button key={x.label} type="button" className="small" onClick={() => { setSql(x.sql); void run(x.sql); }}>
                {x.label}
              </button>
            ))}
          </div>
        </div>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      {result && !result.ok ? (
        <div className={`sql-refusal ${result.kind}`} role="alert" data-testid="sql-refusal">
          <strong>{result.kind === 'refused' ? 'Refused' : 'Error'}:</strong> {result.message}
        </div>
      ) : null}
      {ok ? (
        <div className="sql-status muted" data-testid="sql-status">
          {formatCount(ok.rows.length)} row{ok.rows.length === 1 ? '' : 's'}
          {ok.truncated ? ` (first ${formatCount(ok.rows.length)}; more rows exist)` : ''} · {ok.ms.toFixed(0)} ms
        </div>
      ) : null}
      {ok ? (
        <VirtualTable
          className="sql-grid"
          columns={columns}
          rowCount={rows.length}
          getRow={(i) => rows[i]}
          getRowKey={(r) => String(r.i)}
          dataVersion={runId}
          sort={null}
          onSortChange={() => undefined}
          resetKey={runId}
          empty="The query returned no rows."
        />
      ) : null}
    </div>
  );
}
