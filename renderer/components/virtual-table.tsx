import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  columnResizingFeature,
  columnSizingFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { elementScroll, observeElementOffset, useVirtualizer } from '@tanstack/react-virtual';
import './virtual-table.css';

/** Per-column display hints the grid understands. */
export interface GridColumnMeta {
  align?: 'left' | 'right';
  /** Header tooltip (what the column means, units). */
  title?: string;
  /** The column may narrow down to this width (its text cut with …) so the grid fits its box without scrolling sideways. */
  minWidth?: number;
}

/**
 * Column widths that fit `avail` pixels: when the sizes add up to more, the columns that
 * may narrow (a minWidth) give up width in proportion to their room, never below it. What
 * still does not fit scrolls sideways.
 */
export function fitWidths(sizes: readonly number[], mins: readonly (number | undefined)[], avail: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (!(avail > 0) || total <= avail) return [...sizes];
  const room = sizes.map((w, i) => Math.max(0, w - (mins[i] ?? w)));
  const roomTotal = room.reduce((a, b) => a + b, 0);
  if (roomTotal === 0) return [...sizes];
  const take = Math.min(total - avail, roomTotal);
  const out = sizes.map((w, i) => w - Math.floor((room[i] * take) / roomTotal));
  // Rounding down leaves a few pixels: take them from the first columns with room left.
  let rest = total - take - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest < 0 && i < out.length; i++) {
    const can = Math.min(-rest, out[i] - (mins[i] ?? out[i]));
    out[i] -= can;
    rest += can;
  }
  return out;
}

/** The table features every grid uses: server-side (manual) sorting, column sizes the user can drag. */
export const gridFeatures = tableFeatures({ rowSortingFeature, columnSizingFeature, columnResizingFeature, columnMeta: {} as GridColumnMeta });
export type GridFeatures = typeof gridFeatures;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one grid mixes columns of every value type; TanStack types such a list with ColumnDef<..., any>
export type GridColumn<T extends RowData> = ColumnDef<GridFeatures, T, any>;

export interface GridSort {
  column: string;
  desc: boolean;
}

export interface VirtualTableProps<T extends RowData> {
  columns: GridColumn<T>[];
  /** Rows in the whole result (most of them not loaded). */
  rowCount: number;
  /** The row at an index, or undefined while its page is loading. */
  getRow: (index: number) => T | undefined;
  getRowKey: (row: T) => string;
  /** Changes whenever getRow would answer differently (a page arrived, the query changed). */
  dataVersion: unknown;
  /** Called with the visible index range (end exclusive) so the owner can fetch those pages. */
  onRangeChange?: (start: number, end: number) => void;
  sort: GridSort | null;
  onSortChange: (sort: GridSort | null) => void;
  rowHeight?: number;
  empty?: ReactNode;
  /** Key of the highlighted row, and what a click on a row does. */
  selectedKey?: string | null;
  onRowClick?: (row: T, index: number) => void;
  /** Right click on a row (e.g. a menu to bookmark it). */
  onRowContextMenu?: (row: T, index: number, event: React.MouseEvent) => void;
  /** Keyboard: the arrow, page, Home and End keys move the selection to this index (the grid scrolls to it). */
  selectedIndex?: number | null;
  onSelectIndex?: (index: number | null) => void;
  /** Scrolls back to the top when this changes (a new query). */
  resetKey?: unknown;
  className?: string;
}

/**
 * Browsers cap an element's height (Chromium near 33.5 million px, Firefox near 17.9 million).
 * Beyond this many pixels the scroll range is compressed: the spacer stays at this height and
 * scroll positions are scaled to row offsets, so ten million rows still scroll end to end.
 */
const MAX_SCROLL_PX = 8_000_000;

/**
 * A virtualised, server-backed grid: TanStack Table owns the column model and sort state,
 * TanStack Virtual decides which of `rowCount` rows are on screen, and only those rows (the ones
 * already loaded) are handed to the table. Rows have a fixed height, which keeps scrolling exact.
 */
export function VirtualTable<T extends RowData>(props: VirtualTableProps<T>) {
  const { columns, rowCount, getRow, getRowKey, dataVersion, onRangeChange, sort, onSortChange, rowHeight = 22 } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  // The width the rows have (the scroll box without its scrollbar): columns that may narrow fit it.
  const [avail, setAvail] = useState(0);
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setAvail(el.clientWidth);
    const ro = new ResizeObserver(() => setAvail(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const virtualTotal = rowCount * rowHeight;
  const realTotal = Math.min(virtualTotal, MAX_SCROLL_PX);
  const viewport = scrollRef.current?.clientHeight ?? 600;
  // Scale between real scrollTop and virtual offset, chosen so that the last row is reachable.
  const scale = virtualTotal > MAX_SCROLL_PX ? (virtualTotal - viewport) / Math.max(1, realTotal - viewport) : 1;
  const scaleRef = useRef(scale);
  scaleRef.current = scale;

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    observeElementOffset: (instance, cb) => observeElementOffset(instance, (offset, isScrolling) => cb(offset * scaleRef.current, isScrolling)),
    scrollToFn: (offset, options, instance) => elementScroll(offset / scaleRef.current, options, instance),
  });
  const items = virtualizer.getVirtualItems();
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index + 1 : 0;

  useEffect(() => {
    onRangeChange?.(first, last);
  }, [first, last, onRangeChange, dataVersion]);

  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [props.resetKey]);

  // The table sees only the loaded rows in the window: cheap to rebuild on every scroll step.
  const data = useMemo(() => {
    const out: T[] = [];
    for (let i = first; i < last; i++) {
      const r = getRow(i);
      if (r !== undefined) out.push(r);
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- dataVersion says the rows behind getRow changed: the reason to recompute
  }, [first, last, dataVersion, getRow]);

  const sorting = useMemo<SortingState>(() => (sort ? [{ id: sort.column, desc: sort.desc }] : []), [sort]);
  const table = useTable({
    features: gridFeatures,
    columns,
    data,
    getRowId: (row: T) => getRowKey(row),
    manualSorting: true,
    enableMultiSort: false,
    columnResizeMode: 'onChange',
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      onSortChange(next.length ? { column: next[0].id, desc: !!next[0].desc } : null);
    },
  });

  const rowsById = new Map(table.getRowModel().rows.map((r) => [r.id, r]));
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  // A column the analyst sized by hand keeps that width; the others make room.
  const sizedByHand = (h: (typeof headers)[number]) => h.column.columnDef.size !== undefined && h.getSize() !== h.column.columnDef.size;
  const fitted = fitWidths(
    headers.map((h) => h.getSize()),
    headers.map((h) => (sizedByHand(h) ? undefined : h.column.columnDef.meta?.minWidth)),
    avail,
  );
  const widthOf = new Map(headers.map((h, i) => [h.column.id, fitted[i]]));
  // A drag starts from the width the analyst sees: a column narrowed to fit is first given
  // that width as its size, so the edge follows the pointer instead of jumping.
  const startResize = (h: (typeof headers)[number], e: React.MouseEvent | React.TouchEvent) => {
    const shown = widthOf.get(h.column.id);
    if (shown !== undefined && shown !== h.getSize()) table.setColumnSizing((s) => ({ ...s, [h.column.id]: shown }));
    h.getResizeHandler()(e);
  };
  const width = fitted.reduce((s, w) => s + w, 0);
  const offset = virtualizer.scrollOffset ?? 0;
  // Where the viewport's top is in real pixels; rows are placed relative to it when scaled.
  const shift = scale === 1 ? 0 : offset / scale - offset;

  return (
    <div className={`vt ${props.className ?? ''}`} role="grid" aria-rowcount={rowCount}>
      <div className="vt-head" ref={headRef}>
        <div className="vt-row vt-head-row" style={{ width }} role="row">
          {headers.map((h) => {
            const meta = h.column.columnDef.meta;
            const sorted = h.column.getIsSorted();
            const canSort = h.column.getCanSort();
            return (
              <div
                key={h.id}
                role="columnheader"
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                className={`vt-cell vt-th ${meta?.align === 'right' ? 'right' : ''} ${canSort ? 'sortable' : ''} ${sorted ? 'sorted' : ''}`}
                style={{ width: widthOf.get(h.column.id) }}
                title={meta?.title}
                data-col={h.id}
                onClick={canSort ? h.column.getToggleSortingHandler() : undefined}
              >
                <span className="vt-th-label">
                  <table.FlexRender header={h} />
                </span>
                {sorted ? <span className="vt-sort">{sorted === 'desc' ? '▼' : '▲'}</span> : null}
                {h.column.getCanResize() ? (
                  <span
                    className={`vt-resizer ${h.column.getIsResizing() ? 'active' : ''}`}
                    onMouseDown={(e) => startResize(h, e)}
                    onTouchStart={(e) => startResize(h, e)}
                    onClick={(e) => e.stopPropagation()}
                    onDoubleClick={() => h.column.resetSize()}
                    title="Drag to resize, double-click to reset"
                    aria-hidden
                  />
                ) : null}
              </div>
            );
          })}
        </div>
      </div>
      <div
        className="vt-scroll"
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={(e) => {
          if (!props.onSelectIndex || rowCount === 0) return;
          const cur = props.selectedIndex ?? -1;
          const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
          const next = { ArrowDown: cur + 1, ArrowUp: cur - 1, PageDown: cur + pageRows, PageUp: cur - pageRows, Home: 0, End: rowCount - 1 }[e.key];
          if (e.key === 'Escape') {
            props.onSelectIndex(null);
            return;
          }
          if (next === undefined) return;
          e.preventDefault();
          const i = Math.min(rowCount - 1, Math.max(0, next));
          props.onSelectIndex(i);
          virtualizer.scrollToIndex(i, { align: 'auto' });
        }}
        onScroll={(e) => {
          if (headRef.current) headRef.current.scrollLeft = e.currentTarget.scrollLeft;
        }}
      >
        <div className="vt-body" style={{ height: realTotal, width }}>
          {items.map((item) => {
            const data = getRow(item.index);
            const row = data !== undefined ? rowsById.get(getRowKey(data)) : undefined;
            const top = item.start + shift;
            return (
              <div
                key={item.index}
                role="row"
                aria-rowindex={item.index + 1}
                className={`vt-row ${item.index % 2 ? 'odd' : ''} ${row ? '' : 'loading'} ${data !== undefined && props.selectedKey === getRowKey(data) ? 'selected' : ''}`}
                style={{ transform: `translateY(${top}px)`, width, height: rowHeight }}
                aria-selected={data !== undefined && props.selectedKey === getRowKey(data)}
                onClick={data !== undefined && props.onRowClick ? () => props.onRowClick!(data, item.index) : undefined}
                onContextMenu={data !== undefined && props.onRowContextMenu ? (e) => props.onRowContextMenu!(data, item.index, e) : undefined}
              >
                {row
                  ? row.getAllCells().map((cell) => (
                      <div
                        key={cell.id}
                        role="gridcell"
                        className={`vt-cell ${cell.column.columnDef.meta?.align === 'right' ? 'right' : ''}`}
                        style={{ width: widthOf.get(cell.column.id) ?? cell.column.getSize() }}
                        data-col={cell.column.id}
                      >
                        <table.FlexRender cell={cell} />
                      </div>
                    ))
                  : <div className="vt-cell vt-placeholder" style={{ width }} />}
              </div>
            );
          })}
        </div>
        {rowCount === 0 && props.empty ? <div className="vt-empty">{props.empty}</div> : null}
      </div>
    </div>
  );
}
