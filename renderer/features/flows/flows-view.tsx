import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CaseInfo, FlowSortColumn, FlowView } from '../../../core/api/contract';
import { ErrorMessage } from '../../components/error-message';
import { ExportMenu } from '../../components/export-menu';
import { useNoteDialog } from '../../components/note-dialog';
import { VirtualTable, type GridSort } from '../../components/virtual-table';
import { formatCount } from '../../lib/format';
import { useApiQuery } from '../../lib/hooks';
import { EvidenceNamesContext, FLOW_COLUMN_IDS, FLOW_COLUMNS } from './flow-columns';
import { FlowDetail } from './flow-detail';
import { combinedFilter, useOptionalAnalysis } from '../pivot/analysis-state';
import { TimeRangeChip } from '../pivot/filter-bar';
import { useFlowPages, type FlowQuery } from './use-flow-pages';
import './flows.css';

const EXAMPLES = ['host 10.0.0.5 and port 443', 'proto udp and dst port 53', 'net 192.168.0.0/16 and not port 80', 'bytes > 1000000'];

// The grid's column ids are FlowSortColumn keys (checked by the type of FLOW_COLUMN_IDS); importing the
// contract's runtime list would pull its argument schemas (zod) into the bundle.
const SORTABLE = new Set<string>(FLOW_COLUMN_IDS);
const isSortColumn = (c: string): c is FlowSortColumn => SORTABLE.has(c);
const flowKey = (f: FlowView) => String(f.flowId);

/** All flows of the case: a filter (nfdump-style language, evaluated by the core) over a server-sorted, paged grid. */
export function FlowsView({ info, generation }: { info: CaseInfo; generation: string }) {
  // The filter and time range are shared with Overview, Pivot and Sessions (when the app provides them).
  const shared = useOptionalAnalysis();
  const notes = useNoteDialog();
  const range = shared?.range ?? null;
  const [draft, setDraft] = useState(shared?.filter ?? '');
  const [query, setQuery] = useState<FlowQuery>({ filter: shared?.filter ?? '', sort: null });
  const sharedFilter = shared?.filter;
  useEffect(() => {
    if (sharedFilter === undefined) return;
    setDraft(sharedFilter);
    setQuery((q) => (q.filter === sharedFilter ? q : { ...q, filter: sharedFilter }));
  }, [sharedFilter]);
  const pages = useFlowPages(range ? { ...query, filter: combinedFilter(query.filter, range) } : query, generation);
  const evidence = useApiQuery('evidence.list', {}, generation);
  const names = useMemo(() => new Map((evidence.data ?? []).map((e) => [e.evidenceId, e.name])), [evidence.data]);
  // The selection is a row index of the current query; a new query (or new content) clears it.
  const [selection, setSelection] = useState<{ key: string; index: number } | null>(null);
  const queryKey = JSON.stringify([query, range, generation]);
  const selectedIndex = selection && selection.key === queryKey ? selection.index : null;
  const selected = selectedIndex === null ? undefined : pages.getRow(selectedIndex);
  const select = (index: number | null) => setSelection(index === null ? null : { key: queryKey, index });

  const onSortChange = useCallback((s: GridSort | null) => {
    setQuery((q) => ({ ...q, sort: s && isSortColumn(s.column) ? { column: s.column, desc: s.desc } : null }));
  }, []);
  const apply = (text: string) => {
    setDraft(text);
    setQuery((q) => ({ ...q, filter: text.trim() }));
    shared?.setFilter(text.trim());
  };

  const filtered = query.filter !== '' || range !== null;
  const total = pages.total;

  return (
    <div className="page flows-page">
      <div className="flows-toolbar">
        <form
          className="filter-form"
          onSubmit={(e) => {
            e.preventDefault();
            apply(draft);
          }}
        >
          <input
            className={`filter-input mono ${pages.error && filtered ? 'invalid' : ''}`}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="Filter, e.g. host 10.0.0.5 and port 443   (Enter to apply)"
            spellCheck={false}
            aria-label="Flow filter"
            data-testid="flow-filter"
            title={`Filter language (nfdump style), for example:\n${EXAMPLES.join('\n')}`}
          />
          <button type="submit" className="primary">Apply</button>
          <button type="button" disabled={!draft && !filtered} onClick={() => apply('')}>
            Clear
          </button>
        </form>
        {range && shared ? <TimeRangeChip range={range} onClear={() => shared.setRange(null)} /> : null}
        <ExportMenu kind="flows" selection={{ filter: query.filter, ...(range ? { fromUs: range.fromUs, toUs: range.toUs } : {}) }} />
        <div className="flow-count" data-testid="flow-count" data-total={total ?? ''}>
          {pages.error ? (
            <span className="muted">no result</span>
          ) : total === null ? (
            <span className="muted">counting…</span>
          ) : filtered ? (
            <>
              <strong>{formatCount(total)}</strong> of {formatCount(info.flows)} flows
            </>
          ) : (
            <>
              <strong>{formatCount(total)}</strong> flows
            </>
          )}
        </div>
      </div>
      {pages.error ? (
        <div className="filter-error" data-testid="filter-error">
          <ErrorMessage error={pages.error} title={filtered ? 'Filter' : undefined} />
        </div>
      ) : null}
      <EvidenceNamesContext.Provider value={names}>
        <VirtualTable
          className="flows-grid"
          columns={FLOW_COLUMNS}
          rowCount={total ?? 0}
          getRow={pages.getRow}
          getRowKey={flowKey}
          dataVersion={pages.version}
          onRangeChange={pages.ensureRange}
          sort={query.sort}
          onSortChange={onSortChange}
          resetKey={`${query.filter}|${range?.fromUs}-${range?.toUs}|${query.sort?.column}|${query.sort?.desc}`}
          selectedKey={selected ? flowKey(selected) : null}
          selectedIndex={selectedIndex}
          onSelectIndex={select}
          onRowClick={(_f, index) => select(index === selectedIndex ? null : index)}
          onRowContextMenu={notes ? (f, index, e) => { e.preventDefault(); select(index); notes.open({ kind: 'flow', ref: String(f.flowId) }); } : undefined}
          empty={total === 0 && !pages.error ? (filtered ? 'No flow matches the filter.' : 'No flows yet: import evidence first.') : null}
        />
      </EvidenceNamesContext.Provider>
      {selected ? (
        <FlowDetail flow={selected} evidence={evidence.data?.find((e) => e.evidenceId === selected.evidenceId)} onClose={() => select(null)} />
      ) : null}
    </div>
  );
}
