// A windowed list: only the rows in view (plus a few either side) are in the DOM, so 100,000 rows scroll as
// smoothly as 100. Rows have one fixed height; the spacer gives the scrollbar its true length. Keyboard: the list
// is one tab stop; ↑/↓/PageUp/PageDown/Home/End move the active row, Enter opens it (aria-activedescendant).
// Rows that arrive above the view (new ones merged in at the top) do not move what the person is looking at: the
// first row in view keeps its place on screen, found again by its key.

import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { RowSource } from '../lib/pagedRows';

const OVERSCAN = 6;

export interface VirtualListProps<T> {
  rows: RowSource<T>;
  rowHeight: number;
  label: string;
  itemKey(item: T): string;
  renderRow(item: T, index: number, active: boolean): ReactNode;
  onActivate(item: T): void;
  /** Called when the view nears the last loaded row and more exist. */
  onEndReached?(): void;
  hasMore?: boolean;
  /** Ask for more while this many loaded rows or fewer are below the view (a page keeps the next one in reserve). */
  prefetchRows?: number;
  header?: ReactNode;
}

export function VirtualList<T>({ rows, rowHeight, label, itemKey, renderRow, onActivate, onEndReached, hasMore = false, prefetchRows = 60, header }: VirtualListProps<T>) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [active, setActive] = useState(0);
  const baseId = useId();

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element) return;
    setHeight(element.clientHeight);
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);

  // The first row in view as last rendered; when rows change, it is looked for again further down (rows can only
  // have been added above it) and the view follows it. At the very top the view stays put, so new rows show.
  const topRow = useRef<{ index: number; key: string; length: number }>(undefined);
  useLayoutEffect(() => {
    const element = viewport.current;
    const before = topRow.current;
    const index = Math.floor((element?.scrollTop ?? 0) / rowHeight);
    if (element && before && element.scrollTop > 0) {
      const shift = shiftOf(rows, itemKey, before);
      if (shift > 0) {
        element.scrollTop += shift * rowHeight;
        setScrollTop(element.scrollTop);
        setActive((a) => a + shift);
        const moved = rows.at(before.index + shift);
        topRow.current = moved === undefined ? undefined : { index: before.index + shift, key: itemKey(moved), length: rows.length };
        return;
      }
    }
    const row = rows.at(index);
    topRow.current = row === undefined ? undefined : { index, key: itemKey(row), length: rows.length };
  }, [rows, itemKey, rowHeight, scrollTop]);

  useEffect(() => {
    if (hasMore && onEndReached && last + prefetchRows >= rows.length) onEndReached();
  }, [hasMore, onEndReached, prefetchRows, last, rows.length]);

  useEffect(() => {
    if (active >= rows.length && rows.length > 0) setActive(rows.length - 1);
  }, [active, rows.length]);

  const scrollToRow = useCallback(
    (index: number) => {
      const element = viewport.current;
      if (!element) return;
      const top = index * rowHeight;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (top + rowHeight > element.scrollTop + element.clientHeight) element.scrollTop = top + rowHeight - element.clientHeight;
    },
    [rowHeight],
  );

  function onKeyDown(event: KeyboardEvent) {
    if (rows.length === 0) return;
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + page,
      PageUp: active - page,
      Home: 0,
      End: rows.length - 1,
    };
    if (event.key === 'Enter') {
      event.preventDefault();
      const item = rows.at(active);
      if (item !== undefined) onActivate(item);
      return;
    }
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = Math.min(rows.length - 1, Math.max(0, target));
    setActive(next);
    scrollToRow(next);
  }

  const rendered: ReactNode[] = [];
  for (let index = first; index < last; index++) {
    const item = rows.at(index)!;
    rendered.push(
      <div
        key={itemKey(item)}
        id={`${baseId}-row-${index}`}
        role="row"
        aria-rowindex={index + 2}
        aria-selected={index === active}
        className={index === active ? 'vrow active' : 'vrow'}
        style={{ transform: `translateY(${index * rowHeight}px)`, height: rowHeight }}
        onClick={() => {
          setActive(index);
          onActivate(item);
        }}
      >
        {renderRow(item, index, index === active)}
      </div>,
    );
  }

  return (
    <div
      className="vlist"
      role="grid"
      aria-label={label}
      aria-rowcount={hasMore ? -1 : rows.length + 1}
      aria-activedescendant={rows.length > 0 && active >= first && active < last ? `${baseId}-row-${active}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      {header}
      <div ref={viewport} className="vlist-viewport" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="vlist-viewport">
        <div className="vlist-spacer" style={{ height: rows.length * rowHeight + (hasMore ? rowHeight : 0) }}>
          {rendered}
          {hasMore && (
            <div className="vrow loading-row" style={{ transform: `translateY(${rows.length * rowHeight}px)`, height: rowHeight }} role="row">
              Loading more…
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

/** How many rows down the remembered top row has moved (0 when it is where it was, or gone). */
function shiftOf<T>(rows: RowSource<T>, itemKey: (item: T) => string, before: { index: number; key: string; length: number }): number {
  const grown = rows.length - before.length;
  for (let shift = 0; shift <= grown; shift++) {
    const row = rows.at(before.index + shift);
    if (row === undefined) return 0;
    if (itemKey(row) === before.key) return shift;
  }
  return 0;
}
