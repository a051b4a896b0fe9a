import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CaseInfo, FlowSortColumn, FlowView } from '../../../core/api/contract';
import { ExportMenu } from '../../components/export-menu';
import { FilterBox, FilteredTag } from '../../components/filter-box';
import { useNoteDialog } from '../../components/note-dialog';
import { VirtualTable, type GridSort } from '../../components/virtual-table';
import { useApi } from '../../lib/api-context';
import { formatCount } from '../../lib/format';
import { useApiQuery } from '../../lib/hooks';
import { usePagedRows } from '../../lib/use-paged-rows';
import { EvidenceNamesContext, FLOW_COLUMN_IDS, FLOW_COLUMNS } from './flow-columns';
import { FlowDetail } from './flow-detail';
import { combinedFilter, useOptionalAnalysis } from '../pivot/analysis-state';
import './flows.css';

// The grid's column ids are FlowSortColumn keys (checked by the type of FLOW_COLUMN_IDS); importing the
// contract's runtime list would pull its argument schemas (zod) into the bundle.
const SORTABLE = new Set<string>(FLOW_COLUMN_IDS);
const isSortColumn = (c: string): c is FlowSortColumn => SORTABLE.has(c);
const flowKey = (f: FlowView) => String(f.flowId);

interface FlowQuery {
  filter: string;
  sort: { column: FlowSortColumn; desc: boolean } | null;
}

/** All flows of the case: a filter (nfdump-style language, evaluated by the core) over a server-sorted, paged grid. */
export function FlowsView({ info, generation }: { info: CaseInfo; generation: string }) {
  const api = useApi();
  // The filter and time range are shared with Overview, Pivot and Sessions (when the app provides them).
  const shared = useOptionalAnalysis();
  const notes = useNoteDialog();
  const range = shared?.range ?? null;
  const [query, setQuery] = useState<FlowQuery>({ filter: shared?.filter ?? '', sort: null });
  const sharedFilter = shared?.filter;
  useEffect(() => {
    if (sharedFilter === undefined) return;
    setQuery((q) => (q.filter === sharedFilter ? q : { ...q, filter: sharedFilter }));
  }, [sharedFilter]);
  const filter = combinedFilter(query.filter, range);
  const pagesKey = JSON.stringify([filter, query.sort, generation]);
  const pages = usePagedRows<FlowView>(pagesKey, (offset, limit) =>
    api.invoke('flows.page', { offset, limit, ...(query.sort ? { sort: query.sort } : {}), ...(filter ? { filter } : {}) }));
  const evidence = useApiQuery('evidence.list', {}, generation);
  const names = useMemo(() => new Map((evidence.data ?? []).map((e) => [e.evidenceId, e.name])), [evidence.data]);
  // The selection is a row index of the current query; a new query (or new content) clears it.
  const [selection, setSelection] = useState<{ key: string; index: number } | null>(null);
  const selectedIndex = selection && selection.key === pagesKey ? selection.index : null;
  const selected = selectedIndex === null ? undefined : pages.getRow(selectedIndex);
  const select = (index: number | null) => setSelection(index === null ? null : { key: pagesKey, index });

  const onSortChange = useCallback((s: GridSort | null) => {
    setQuery((q) => ({ ...q, sort: s && isSortColumn(s.column) ? { column: s.column, desc: s.desc } : null }));
  }, []);
  const apply = (text: string) => {
    setQuery((q) => ({ ...q, filter: text }));
    shared?.setFilter(text);
  };

  const filtered = query.filter !== '' || range !== null;
  const total = pages.total;

  return (
    <div className="page flows-page">
      <FilterBox
        value={query.filter} onApply={apply} error={pages.error} range={range} onClearRange={shared ? () => shared.setRange(null) : undefined}
        testId="flow-filter" label="Flow filter"
        right={<>
          <ExportMenu kind="flows" selection={{ filter: query.filter, ...(range ? { fromUs: range.fromUs, toUs: range.toUs } : {}) }} />
          <div className="flow-count" data-testid="flow-count" data-total={total ?? ''}>
            {pages.error ? (
              <span className="muted">no result</span>
            ) : total === null ? (
              <span className="muted">counting…</span>
            ) : filtered ? (
              <>
                <strong>{formatCount(total)}</strong> of {formatCount(info.flows)} flows<FilteredTag on />
              </>
            ) : (
              <>
                <strong>{formatCount(total)}</strong> flows
              </>
            )}
          </div>
        </>}
      />
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
