// A windowed list: only the rows in view (plus a few either side) are in the DOM, so 100,000 rows scroll as
// smoothly as 100. Rows have one fixed height; the spacer gives the scrollbar its true length. Keyboard: the list
// is one tab stop; ↑/↓/PageUp/PageDown/Home/End move the active row, Enter opens it (aria-activedescendant).

import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

const OVERSCAN = 6;
/** Ask for the next page while this many rows are still below the view. */
const PREFETCH_ROWS = 60;

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  label: string;
  itemKey(item: T): string;
  renderRow(item: T, index: number, active: boolean): ReactNode;
  onActivate(item: T): void;
  /** Called when the view nears the last loaded row and more exist. */
  onEndReached?(): void;
  hasMore?: boolean;
  header?: ReactNode;
}

export function VirtualList<T>({ items, rowHeight, label, itemKey, renderRow, onActivate, onEndReached, hasMore = false, header }: VirtualListProps<T>) {
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
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);

  useEffect(() => {
    if (hasMore && onEndReached && last + PREFETCH_ROWS >= items.length) onEndReached();
  }, [hasMore, onEndReached, last, items.length]);

  useEffect(() => {
    if (active >= items.length && items.length > 0) setActive(items.length - 1);
  }, [active, items.length]);

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
    if (items.length === 0) return;
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + page,
      PageUp: active - page,
      Home: 0,
      End: items.length - 1,
    };
    if (event.key === 'Enter') {
      event.preventDefault();
      const item = items[active];
      if (item !== undefined) onActivate(item);
      return;
    }
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = Math.min(items.length - 1, Math.max(0, target));
    setActive(next);
    scrollToRow(next);
  }

  const rows: ReactNode[] = [];
  for (let index = first; index < last; index++) {
    const item = items[index]!;
    rows.push(
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
      aria-rowcount={hasMore ? -1 : items.length + 1}
      aria-activedescendant={items.length > 0 && active >= first && active < last ? `${baseId}-row-${active}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      {header}
      <div ref={viewport} className="vlist-viewport" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="vlist-viewport">
        <div className="vlist-spacer" style={{ height: items.length * rowHeight + (hasMore ? rowHeight : 0) }}>
          {rows}
          {hasMore && (
            <div className="vrow loading-row" style={{ transform: `translateY(${items.length * rowHeight}px)`, height: rowHeight }} role="row">
              Loading more…
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
